package amazonmq

import (
	"strings"

	"github.com/safetynet-dev/safetynet/scan"
	"github.com/safetynet-dev/safetynet/scan/rules/internal/prop"
)

// NoAuditLogs reports ActiveMQ brokers that do not publish audit logs.
var NoAuditLogs = &scan.Rule{
	ID:        "MQ-004",
	Title:     "Amazon MQ ActiveMQ broker does not publish audit logs",
	Severity:  scan.Warning,
	Resources: []string{brokerType},
	Doc: `Without Logs.Audit an ActiveMQ broker does not record who created,
deleted or changed queues, topics and users through the console or JMX, so
a change made with a leaked password leaves no trace. AWS recommends
streaming audit logs to CloudWatch Logs (Security Hub control MQ.2).
RabbitMQ brokers have no audit log and are not checked.

Bad:

~~~yaml
Broker:
  Type: AWS::AmazonMQ::Broker
  Properties:
    BrokerName: orders
    EngineType: ACTIVEMQ
    Logs:
      General: true
~~~

Good:

~~~yaml
Broker:
  Type: AWS::AmazonMQ::Broker
  Properties:
    BrokerName: orders
    EngineType: ACTIVEMQ
    Logs:
      General: true
      Audit: true
~~~
`,
	Fix: "Set Logs.Audit: true.",
	Check: func(p *scan.Pass) {
		rep := prop.NewReporter(p)
		for _, r := range p.Resources() {
			var activemq []prop.Val
			for _, e := range prop.Get(p.Eval, r, "EngineType") {
				if s, ok := e.Str(); ok && strings.EqualFold(s, "ACTIVEMQ") {
					activemq = append(activemq, e)
				}
			}
			report := func(v prop.Val, state string) {
				for _, e := range activemq {
					if both, ok := prop.Both(v, e); ok {
						rep.Report(r, both, "ActiveMQ broker does not publish audit logs: %s", state)
						return
					}
				}
			}
			var present []prop.Val
			for _, v := range prop.Get(p.Eval, r, "Logs") {
				if v.Absent {
					report(v, v.State("Logs"))
				} else {
					present = append(present, v)
				}
			}
			for _, v := range prop.Field(p.Eval, present, "Audit") {
				if v.NotTrue() {
					report(v, v.State("Audit"))
				}
			}
		}
	},
}
