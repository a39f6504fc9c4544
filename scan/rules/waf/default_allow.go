package waf

import (
	"strings"

	"github.com/safetynet-dev/safetynet/scan"
	"github.com/safetynet-dev/safetynet/scan/rules/internal/prop"
)

// ClassicDefaultAllow reports WAF Classic web ACLs that allow what no rule
// matches.
var ClassicDefaultAllow = &scan.Rule{
	ID:        "WAF-001",
	Aliases:   []string{"F665"},
	Title:     "WAF Classic web ACL allows requests by default",
	Severity:  scan.Failure,
	Resources: []string{"AWS::WAF::WebACL", "AWS::WAFRegional::WebACL"},
	Doc: `With DefaultAction ALLOW, a web ACL lets through every request that
no rule blocks: its protection is only as good as the list of known bad
patterns. cfn_nag fails it on AWS::WAF::WebACL; the regional flavour of WAF
Classic (AWS::WAFRegional::WebACL) behaves the same and is checked too.
WAF Classic is being retired; new web ACLs should use AWS::WAFv2::WebACL.
If allowing by default is really the design (a block list), suppress with
that reason.

Bad:

~~~yaml
Acl:
  Type: AWS::WAF::WebACL
  Properties:
    Name: site
    MetricName: site
    DefaultAction:
      Type: ALLOW
~~~

Good:

~~~yaml
Acl:
  Type: AWS::WAF::WebACL
  Properties:
    Name: site
    MetricName: site
    DefaultAction:
      Type: BLOCK
    Rules:
      - Action: {Type: ALLOW}
        Priority: 1
        RuleId: !Ref AllowKnownClients
~~~
`,
	Fix: "Set DefaultAction Type: BLOCK and allow the traffic you expect with rules (or move to AWS::WAFv2::WebACL).",
	Check: func(p *scan.Pass) {
		rep := prop.NewReporter(p)
		for _, r := range p.Resources() {
			for _, v := range prop.Get(p.Eval, r, "DefaultAction", "Type") {
				if s, ok := v.Str(); ok && strings.EqualFold(s, "ALLOW") {
					rep.Report(r, v, "WAF web ACL allows requests that no rule blocks: DefaultAction Type is %s", s)
				}
			}
		}
	},
}

// EmptyAllowACL reports WAFv2 web ACLs that allow everything and have no
// rules.
var EmptyAllowACL = &scan.Rule{
	ID:        "WAF-002",
	Title:     "WAFv2 web ACL allows by default and has no rules",
	Severity:  scan.Warning,
	Resources: []string{"AWS::WAFv2::WebACL"},
	Doc: `A web ACL whose DefaultAction is Allow and whose Rules are empty
inspects nothing and blocks nothing, while the resource it is attached to
looks protected. Add rules (AWS managed rule groups such as
AWSManagedRulesCommonRuleSet, rate-based rules) or block by default.

Bad:

~~~yaml
Acl:
  Type: AWS::WAFv2::WebACL
  Properties:
    Scope: REGIONAL
    DefaultAction: {Allow: {}}
    VisibilityConfig: {SampledRequestsEnabled: true, CloudWatchMetricsEnabled: true, MetricName: api}
~~~

Good:

~~~yaml
Acl:
  Type: AWS::WAFv2::WebACL
  Properties:
    Scope: REGIONAL
    DefaultAction: {Allow: {}}
    VisibilityConfig: {SampledRequestsEnabled: true, CloudWatchMetricsEnabled: true, MetricName: api}
    Rules:
      - Name: common
        Priority: 0
        OverrideAction: {None: {}}
        Statement:
          ManagedRuleGroupStatement: {VendorName: AWS, Name: AWSManagedRulesCommonRuleSet}
        VisibilityConfig: {SampledRequestsEnabled: true, CloudWatchMetricsEnabled: true, MetricName: common}
~~~
`,
	Fix: "Add rules to the web ACL (AWS managed rule groups, rate-based rules) or make DefaultAction Block.",
	Check: func(p *scan.Pass) {
		rep := prop.NewReporter(p)
		for _, r := range p.Resources() {
			for _, allow := range prop.Get(p.Eval, r, "DefaultAction", "Allow") {
				if allow.Absent {
					continue
				}
				for _, rules := range prop.Get(p.Eval, r, "Rules") {
					if !prop.Compatible(allow.Conds, rules.Conds) {
						continue
					}
					if rules.Absent || (rules.Known() && len(prop.Items(p.Eval, []prop.Val{rules})) == 0) {
						if both, ok := prop.Both(allow, rules); ok {
							rep.Report(r, both, "WAFv2 web ACL allows every request: DefaultAction is Allow and it has no rules")
						}
					}
				}
			}
		}
	},
}
