package route53

import (
	"github.com/safetynet-dev/safetynet/scan"
	"github.com/safetynet-dev/safetynet/scan/rules/internal/prop"
)

// QueryLogging reports public hosted zones that do not log DNS queries.
var QueryLogging = &scan.Rule{
	ID:        "R53-003",
	Title:     "Public hosted zone does not log DNS queries",
	Severity:  scan.Warning,
	Resources: []string{typeHostedZone},
	Doc: `Query logging records every DNS query Route 53 answers for a public
zone: which names are looked up, from which resolver, and with what
response. It is how subdomain enumeration, DNS tunnelling and a dangling
record being exploited are noticed (AWS Security Hub control Route53.2).
Private zones (with VPCs) are not reported; they log through Resolver query
logging instead.

Bad:

~~~yaml
Zone:
  Type: AWS::Route53::HostedZone
  Properties:
    Name: example.com
~~~

Good:

~~~yaml
Zone:
  Type: AWS::Route53::HostedZone
  Properties:
    Name: example.com
    QueryLoggingConfig:
      CloudWatchLogsLogGroupArn: !GetAtt QueryLogs.Arn   # a log group in us-east-1
~~~
`,
	Fix: "Add QueryLoggingConfig with a CloudWatch Logs log group in us-east-1.",
	Check: func(p *scan.Pass) {
		rep := prop.NewReporter(p)
		for _, r := range p.Resources() {
			for _, v := range prop.Get(p.Eval, r, "QueryLoggingConfig") {
				if !v.Absent {
					continue
				}
				for _, vpcs := range prop.Get(p.Eval, r, "VPCs") {
					if !vpcs.Absent {
						continue
					}
					if both, ok := prop.Both(v, vpcs); ok {
						rep.Report(r, both, "public hosted zone %s does not log DNS queries: QueryLoggingConfig is not set", r.ID)
					}
				}
			}
		}
	},
}
