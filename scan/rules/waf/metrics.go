package waf

import (
	"github.com/safetynet-dev/safetynet/scan"
	"github.com/safetynet-dev/safetynet/scan/rules/internal/prop"
)

// MetricsDisabled reports WAFv2 web ACLs and rules that do not publish
// CloudWatch metrics.
var MetricsDisabled = &scan.Rule{
	ID:        "WAF-004",
	Title:     "WAFv2 web ACL or rule does not publish CloudWatch metrics",
	Severity:  scan.Info,
	Resources: []string{"AWS::WAFv2::WebACL", "AWS::WAFv2::RuleGroup"},
	Doc: `With CloudWatchMetricsEnabled false, a web ACL or rule publishes no
counts of allowed, blocked and counted requests, so a surge of blocked
traffic (an attack, or a rule breaking your own clients) raises no alarm.
AWS recommends metrics on every web ACL and rule (Security Hub controls
WAF.10 and WAF.12). The web ACL or rule group itself and each of its Rules
are checked.

Bad:

~~~yaml
Acl:
  Type: AWS::WAFv2::WebACL
  Properties:
    Scope: REGIONAL
    DefaultAction: {Block: {}}
    VisibilityConfig:
      SampledRequestsEnabled: true
      CloudWatchMetricsEnabled: false
      MetricName: api
~~~

Good:

~~~yaml
Acl:
  Type: AWS::WAFv2::WebACL
  Properties:
    Scope: REGIONAL
    DefaultAction: {Block: {}}
    VisibilityConfig:
      SampledRequestsEnabled: true
      CloudWatchMetricsEnabled: true
      MetricName: api
~~~
`,
	Fix: "Set VisibilityConfig.CloudWatchMetricsEnabled: true.",
	Check: func(p *scan.Pass) {
		rep := prop.NewReporter(p)
		for _, r := range p.Resources() {
			vcs := prop.Get(p.Eval, r, "VisibilityConfig")
			vcs = append(vcs, prop.Field(p.Eval, prop.Items(p.Eval, prop.Get(p.Eval, r, "Rules")), "VisibilityConfig")...)
			for _, v := range prop.Field(p.Eval, vcs, "CloudWatchMetricsEnabled") {
				if b, ok := v.Bool(); ok && !b {
					rep.Report(r, v, "WAF publishes no CloudWatch metrics: %s", v.State("CloudWatchMetricsEnabled"))
				}
			}
		}
	},
}
