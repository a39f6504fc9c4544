package amazonmq

import (
	"github.com/safetynet-dev/safetynet/scan"
	"github.com/safetynet-dev/safetynet/scan/rules/internal/check"
)

// NoAutoMinorVersionUpgrade reports brokers that do not take engine
// patches.
var NoAutoMinorVersionUpgrade = &scan.Rule{
	ID:        "MQ-005",
	Title:     "Amazon MQ broker does not upgrade minor engine versions automatically",
	Severity:  scan.Warning,
	Resources: []string{brokerType},
	Doc: `Minor engine versions of ActiveMQ and RabbitMQ carry security
fixes. Without AutoMinorVersionUpgrade: true a broker keeps running the
version it was created with until someone upgrades it by hand; AWS
recommends automatic minor version upgrades (Security Hub control MQ.3),
applied in the broker's MaintenanceWindowStartTime.

Bad:

~~~yaml
Broker:
  Type: AWS::AmazonMQ::Broker
  Properties:
    BrokerName: orders
    EngineType: ACTIVEMQ
    EngineVersion: "5.17"
~~~

Good:

~~~yaml
Broker:
  Type: AWS::AmazonMQ::Broker
  Properties:
    BrokerName: orders
    EngineType: ACTIVEMQ
    EngineVersion: "5.17"
    AutoMinorVersionUpgrade: true
    MaintenanceWindowStartTime:
      DayOfWeek: SUNDAY
      TimeOfDay: "03:00"
      TimeZone: UTC
~~~
`,
	Fix:   "Set AutoMinorVersionUpgrade: true (and a MaintenanceWindowStartTime).",
	Check: check.MustBeTrue("Amazon MQ broker does not upgrade minor versions automatically", "AutoMinorVersionUpgrade"),
}
