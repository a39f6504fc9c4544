package gamelift

import (
	"strings"

	"github.com/safetynet-dev/safetynet/scan"
	"github.com/safetynet-dev/safetynet/scan/rules/internal/prop"
)

// remotePorts are the remote administration ports of fleet instances.
var remotePorts = []struct {
	port int
	name string
}{{22, "SSH"}, {3389, "RDP"}}

// RemoteAccessOpen reports fleets whose instances accept SSH or RDP from
// anywhere.
var RemoteAccessOpen = &scan.Rule{
	ID:        "GAMELIFT-002",
	Title:     "GameLift fleet opens SSH or RDP to the internet",
	Severity:  scan.Failure,
	Resources: []string{"AWS::GameLift::Fleet"},
	Doc: `Game ports of a GameLift fleet are meant to be reached by players from
anywhere, but SSH (22) and RDP (3389) are remote administration ports:
opened to 0.0.0.0/0 or ::/0 they expose every instance of the fleet to
password guessing and to any vulnerability of the remote access service.
GameLift's documentation has you add them only to connect to an instance
for debugging, from your own address range, and remove them afterwards
(GetInstanceAccess gives the credentials). The rule reports a TCP entry
that is open to the world and whose port range includes 22 or 3389,
including values from parameter defaults, supplied values and each branch
of Fn::If. cfn_nag has no such check.

Bad:

~~~yaml
Resources:
  Fleet:
    Type: AWS::GameLift::Fleet
    Properties:
      Name: game
      EC2InboundPermissions:
        - {FromPort: 22, ToPort: 22, IpRange: 0.0.0.0/0, Protocol: TCP}
~~~

Good:

~~~yaml
Resources:
  Fleet:
    Type: AWS::GameLift::Fleet
    Properties:
      Name: game
      EC2InboundPermissions:
        - {FromPort: 22, ToPort: 22, IpRange: 203.0.113.0/24, Protocol: TCP}
~~~
`,
	Fix:   "Restrict IpRange to your administrators' addresses, or remove the entry and add it only while debugging.",
	Check: checkRemoteAccessOpen,
}

func checkRemoteAccessOpen(p *scan.Pass) {
	rep := prop.NewReporter(p)
	for _, r := range p.Resources() {
		for _, perm := range prop.Items(p.Eval, prop.Get(p.Eval, r, "EC2InboundPermissions")) {
			one := []prop.Val{perm}
			tcp := false
			for _, v := range prop.Field(p.Eval, one, "Protocol") {
				s, ok := v.Str()
				tcp = tcp || (ok && strings.EqualFold(s, "TCP"))
			}
			if !tcp {
				continue
			}
			for _, ip := range prop.Field(p.Eval, one, "IpRange") {
				cidr, ok := ip.Str()
				if !ok || (cidr != "0.0.0.0/0" && cidr != "::/0") {
					continue
				}
				for _, from := range prop.Field(p.Eval, one, "FromPort") {
					for _, to := range prop.Field(p.Eval, one, "ToPort") {
						f, ok1 := from.Int()
						t, ok2 := to.Int()
						if !ok1 || !ok2 {
							continue
						}
						v, ok := prop.Both(ip, from)
						if !ok {
							continue
						}
						if v, ok = prop.Both(v, to); !ok {
							continue
						}
						for _, rp := range remotePorts {
							if f <= rp.port && rp.port <= t {
								rep.Report(r, v, "fleet inbound permission opens %s (port %d) to %s", rp.name, rp.port, cidr)
								break
							}
						}
					}
				}
			}
		}
	}
}
