package amazonmq

import (
	"github.com/safetynet-dev/safetynet/scan"
	"github.com/safetynet-dev/safetynet/scan/rules/internal/check"
)

// PubliclyAccessible reports brokers reachable from the internet.
var PubliclyAccessible = &scan.Rule{
	ID:        "MQ-003",
	Title:     "Amazon MQ broker is publicly accessible",
	Severity:  scan.Failure,
	Resources: []string{brokerType},
	Doc: `A broker with PubliclyAccessible: true gets a public endpoint: its
messaging ports and web console can be reached from anywhere on the
internet, protected only by user names and passwords, and exposed to
denial-of-service and password-guessing attacks. AWS's Amazon MQ security
best practices recommend brokers without public accessibility, reached
from inside the VPC (or through a VPN or PrivateLink).

Bad:

~~~yaml
Broker:
  Type: AWS::AmazonMQ::Broker
  Properties:
    BrokerName: orders
    EngineType: RABBITMQ
    PubliclyAccessible: true
~~~

Good:

~~~yaml
Broker:
  Type: AWS::AmazonMQ::Broker
  Properties:
    BrokerName: orders
    EngineType: RABBITMQ
    PubliclyAccessible: false
    SubnetIds: [!Ref PrivateSubnet]
~~~
`,
	Fix:   "Set PubliclyAccessible: false and place the broker in private subnets.",
	Check: check.MustNotBeTrue("Amazon MQ broker is reachable from the internet", "PubliclyAccessible"),
}
