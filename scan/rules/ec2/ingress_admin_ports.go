package ec2

import (
	"fmt"

	"github.com/safetynet-dev/safetynet/scan"
	"github.com/safetynet-dev/safetynet/scan/rules/internal/prop"
)

// adminPorts are remote administration and database ports that AWS
// Security Hub (EC2.13, EC2.14, EC2.19) says must not be open to the world.
var adminPorts = []struct {
	port int
	name string
}{
	{20, "FTP data"}, {21, "FTP"}, {22, "SSH"}, {23, "Telnet"}, {25, "SMTP"}, {110, "POP3"},
	{135, "RPC"}, {143, "IMAP"}, {445, "SMB"}, {1433, "SQL Server"}, {1521, "Oracle"},
	{3306, "MySQL"}, {3389, "RDP"}, {4333, "mSQL"}, {5432, "PostgreSQL"}, {5500, "VNC"},
	{5601, "Kibana"}, {6379, "Redis"}, {8888, "Jupyter"}, {9200, "Elasticsearch"},
	{9300, "Elasticsearch"}, {11211, "Memcached"}, {27017, "MongoDB"},
}

// IngressAdminPortsOpen reports administration and database ports open to
// every address.
var IngressAdminPortsOpen = &scan.Rule{
	ID:        "SG-010",
	Title:     "Security group opens an administration or database port to the world",
	Severity:  scan.Failure,
	Resources: []string{"AWS::EC2::SecurityGroup", "AWS::EC2::SecurityGroupIngress"},
	Doc: `SSH, RDP, database and cache ports open to 0.0.0.0/0 or ::/0 are
found by internet-wide scanners within minutes and brute-forced or exploited;
AWS Security Hub reports them as high severity (EC2.13, EC2.14, EC2.19).
Unlike SG-001, which warns about any port open to the world (a public load
balancer legitimately is), this is a failure: reach these ports through
Session Manager, a VPN or a bastion restricted to known addresses. A rule
for all protocols or a port range that includes one of these ports counts.

Bad:

~~~yaml
Ssh:
  Type: AWS::EC2::SecurityGroupIngress
  Properties:
    GroupId: !Ref Server
    IpProtocol: tcp
    FromPort: 22
    ToPort: 22
    CidrIp: 0.0.0.0/0
~~~

Good:

~~~yaml
Ssh:
  Type: AWS::EC2::SecurityGroupIngress
  Properties:
    GroupId: !Ref Server
    IpProtocol: tcp
    FromPort: 22
    ToPort: 22
    CidrIp: 10.0.0.0/16
~~~
`,
	Fix: "Remove the rule and use Session Manager or a VPN, or restrict the source to known addresses.",
	Check: func(p *scan.Pass) {
		rep := prop.NewReporter(p)
		for _, r := range p.Resources() {
			for _, ing := range ingress(p.Eval, r) {
				var open *prop.Val
				for _, key := range []string{"CidrIp", "CidrIpv6"} {
					for _, v := range prop.Field(p.Eval, []prop.Val{ing}, key) {
						if s, ok := v.Str(); ok && worldOpen(s) && open == nil {
							open = &v
						}
					}
				}
				if open == nil {
					continue
				}
				for _, pr := range entryPorts(p.Eval, ing) {
					at, ok := prop.Both(pr.at, *open)
					if !ok {
						continue
					}
					if names := adminIn(pr.from, pr.to); names != "" {
						at.Path = open.Path
						at.At = open.At
						rep.Report(r, at, "security group opens %s to the world", names)
					}
				}
			}
		}
	},
}

// adminIn names the administration ports within [from, to].
func adminIn(from, to int) string {
	var names []string
	for _, a := range adminPorts {
		if a.port >= from && a.port <= to {
			names = append(names, fmt.Sprintf("%s (%d)", a.name, a.port))
		}
	}
	switch {
	case len(names) == 0:
		return ""
	case len(names) > 3:
		return fmt.Sprintf("%s, %s and %d other administration or database ports", names[0], names[1], len(names)-2)
	case len(names) == 1:
		return "port " + names[0]
	}
	s := "ports " + names[0]
	for i, n := range names[1:] {
		if i == len(names)-2 {
			s += " and " + n
		} else {
			s += ", " + n
		}
	}
	return s
}
