package gamelift

import (
	"github.com/safetynet-dev/safetynet/scan"
	"github.com/safetynet-dev/safetynet/scan/rules/internal/prop"
)

// InboundPortRange reports fleet inbound permissions that open a range of
// ports.
var InboundPortRange = &scan.Rule{
	ID:        "GAMELIFT-001",
	Aliases:   []string{"W65"},
	Title:     "GameLift fleet inbound permission opens a range of ports",
	Severity:  scan.Warning,
	Resources: []string{"AWS::GameLift::Fleet"},
	Doc: `EC2InboundPermissions are the firewall of a GameLift fleet's instances.
An entry whose FromPort and ToPort differ opens every port in between,
usually far more than the game server processes listen on, and exposes
whatever else runs on the instance. Open one port per server process
instead (a fleet runs a known number of processes per instance, each on the
port it reports to GameLift). Port values from parameter defaults, supplied
values and each branch of Fn::If are checked.

Bad:

~~~yaml
Resources:
  Fleet:
    Type: AWS::GameLift::Fleet
    Properties:
      Name: game
      EC2InstanceType: c5.large
      EC2InboundPermissions:
        - {FromPort: 1024, ToPort: 65535, IpRange: 0.0.0.0/0, Protocol: UDP}
~~~

Good:

~~~yaml
Resources:
  Fleet:
    Type: AWS::GameLift::Fleet
    Properties:
      Name: game
      EC2InstanceType: c5.large
      EC2InboundPermissions:
        - {FromPort: 7777, ToPort: 7777, IpRange: 0.0.0.0/0, Protocol: UDP}
~~~
`,
	Fix:   "Open only the ports the game server processes listen on, one entry per port.",
	Check: checkInboundPortRange,
}

func checkInboundPortRange(p *scan.Pass) {
	rep := prop.NewReporter(p)
	for _, r := range p.Resources() {
		for _, perm := range prop.Items(p.Eval, prop.Get(p.Eval, r, "EC2InboundPermissions")) {
			one := []prop.Val{perm}
			for _, from := range prop.Field(p.Eval, one, "FromPort") {
				for _, to := range prop.Field(p.Eval, one, "ToPort") {
					f, ok1 := from.Int()
					t, ok2 := to.Int()
					if v, ok := prop.Both(from, to); ok && ok1 && ok2 && f != t {
						rep.Report(r, v, "fleet inbound permission opens ports %d to %d", f, t)
					}
				}
			}
		}
	}
}
