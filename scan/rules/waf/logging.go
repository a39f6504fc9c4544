package waf

import (
	"strings"

	"github.com/safetynet-dev/safetynet/cfn"
	"github.com/safetynet-dev/safetynet/scan"
	"github.com/safetynet-dev/safetynet/scan/rules/internal/prop"
)

// NoLogging reports WAFv2 web ACLs without a logging configuration in the
// template.
var NoLogging = &scan.Rule{
	ID:        "WAF-003",
	Title:     "WAFv2 web ACL has no logging configuration",
	Severity:  scan.Info,
	Resources: []string{"AWS::WAFv2::WebACL", "AWS::WAFv2::LoggingConfiguration"},
	Doc: `WAF logs record each inspected request and the rule that matched it;
without them a blocked customer or a missed attack cannot be explained.
AWS recommends logging on every web ACL (Security Hub control WAF.11). A
web ACL counts as logged when an AWS::WAFv2::LoggingConfiguration of the
same template names it in ResourceArn (!GetAtt Acl.Arn or
!Sub ${Acl.Arn}). Logging set up by another stack deserves a suppression
saying where.

Bad:

~~~yaml
Acl:
  Type: AWS::WAFv2::WebACL
  Properties:
    Scope: REGIONAL
    DefaultAction: {Block: {}}
    VisibilityConfig: {SampledRequestsEnabled: true, CloudWatchMetricsEnabled: true, MetricName: api}
~~~

Good:

~~~yaml
Acl:
  Type: AWS::WAFv2::WebACL
  Properties:
    Scope: REGIONAL
    DefaultAction: {Block: {}}
    VisibilityConfig: {SampledRequestsEnabled: true, CloudWatchMetricsEnabled: true, MetricName: api}
AclLogging:
  Type: AWS::WAFv2::LoggingConfiguration
  Properties:
    ResourceArn: !GetAtt Acl.Arn
    LogDestinationConfigs: [!GetAtt WafLogs.Arn]
~~~
`,
	Fix: "Add an AWS::WAFv2::LoggingConfiguration whose ResourceArn is the web ACL's Arn.",
	Check: func(p *scan.Pass) {
		res := p.Resources()
		logged := map[string]bool{}
		for _, r := range res {
			if r.Type != "AWS::WAFv2::LoggingConfiguration" {
				continue
			}
			for _, v := range prop.Get(p.Eval, r, "ResourceArn") {
				if id := aclID(v.Value); id != "" {
					logged[id] = true
				}
			}
		}
		for _, r := range res {
			if r.Type == "AWS::WAFv2::WebACL" && !logged[r.ID] {
				p.Reportf(r, nil, "", "WAFv2 web ACL %s has no logging configuration in this template", r.ID)
			}
		}
	},
}

// aclID returns the logical id of the resource whose Arn v is, or "".
func aclID(v cfn.Value) string {
	if v.Absent || v.Origin != cfn.Unknown {
		return ""
	}
	t := strings.TrimSuffix(strings.TrimPrefix(strings.TrimPrefix(v.Text, "Fn::Sub "), "${"), "}")
	if id, ok := strings.CutSuffix(t, ".Arn"); ok {
		return id
	}
	return ""
}
