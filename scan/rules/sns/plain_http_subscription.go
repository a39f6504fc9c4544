package sns

import (
	"strings"

	"github.com/safetynet-dev/safetynet/scan"
	"github.com/safetynet-dev/safetynet/scan/rules/internal/prop"
)

// PlainHTTPSubscription reports subscriptions that deliver over plain HTTP.
var PlainHTTPSubscription = &scan.Rule{
	ID:        "SNS-007",
	Title:     "SNS subscription delivers messages over plain HTTP",
	Severity:  scan.Warning,
	Resources: []string{"AWS::SNS::Subscription", "AWS::SNS::Topic"},
	Doc: `A subscription with Protocol http sends every message, unencrypted,
across the network to its endpoint, where anyone on the path can read or
alter it; AWS's SNS security best practices ask for HTTPS endpoints. Server
side encryption of the topic does not help: SNS decrypts messages before it
delivers them. Both AWS::SNS::Subscription and the Subscription list of
AWS::SNS::Topic are checked.

Bad:

~~~yaml
Hook:
  Type: AWS::SNS::Subscription
  Properties:
    TopicArn: !Ref Topic
    Protocol: http
    Endpoint: http://hooks.example.com/sns
~~~

Good:

~~~yaml
Hook:
  Type: AWS::SNS::Subscription
  Properties:
    TopicArn: !Ref Topic
    Protocol: https
    Endpoint: https://hooks.example.com/sns
~~~
`,
	Fix: "Use Protocol https with an https:// endpoint.",
	Check: func(p *scan.Pass) {
		rep := prop.NewReporter(p)
		for _, r := range p.Resources() {
			var protocols []prop.Val
			if r.Type == "AWS::SNS::Topic" {
				protocols = prop.Field(p.Eval, prop.Items(p.Eval, prop.Get(p.Eval, r, "Subscription")), "Protocol")
			} else {
				protocols = prop.Get(p.Eval, r, "Protocol")
			}
			for _, v := range protocols {
				if s, ok := v.Str(); ok && strings.EqualFold(s, "http") {
					rep.Report(r, v, "SNS subscription delivers over plain HTTP: Protocol is %q", s)
				}
			}
		}
	},
}
