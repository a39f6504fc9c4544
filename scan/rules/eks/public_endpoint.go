package eks

import (
	"net/netip"
	"strings"

	"github.com/safetynet-dev/safetynet/scan"
	"github.com/safetynet-dev/safetynet/scan/rules/internal/prop"
)

// PublicEndpoint reports clusters whose API server endpoint is reachable
// from any address.
var PublicEndpoint = &scan.Rule{
	ID:        "EKS-002",
	Title:     "EKS cluster API endpoint is open to the internet",
	Severity:  scan.Warning,
	Resources: []string{"AWS::EKS::Cluster"},
	Doc: `By default the Kubernetes API server of an EKS cluster has a public
endpoint that accepts connections from 0.0.0.0/0. Authentication still
applies, but the endpoint is exposed to credential stuffing and to every
future API server vulnerability (AWS Security Hub EKS.1). Turn the public
endpoint off (EndpointPublicAccess: false, EndpointPrivateAccess: true) or
restrict PublicAccessCidrs to known networks.

Bad:

~~~yaml
Cluster:
  Type: AWS::EKS::Cluster
  Properties:
    RoleArn: !GetAtt ClusterRole.Arn
    ResourcesVpcConfig:
      SubnetIds: [!Ref SubnetA, !Ref SubnetB]
~~~

Good:

~~~yaml
Cluster:
  Type: AWS::EKS::Cluster
  Properties:
    RoleArn: !GetAtt ClusterRole.Arn
    ResourcesVpcConfig:
      SubnetIds: [!Ref SubnetA, !Ref SubnetB]
      EndpointPublicAccess: false
      EndpointPrivateAccess: true
~~~
`,
	Fix: "Set EndpointPublicAccess: false with EndpointPrivateAccess: true, or restrict PublicAccessCidrs.",
	Check: func(p *scan.Pass) {
		rep := prop.NewReporter(p)
		for _, r := range p.Resources() {
			for _, cfg := range prop.Get(p.Eval, r, "ResourcesVpcConfig") {
				one := []prop.Val{cfg}
				for _, pub := range prop.Field(p.Eval, one, "EndpointPublicAccess") {
					if !pub.Absent && !pub.True() {
						continue // private, or unknown
					}
					cidrs := prop.Field(p.Eval, one, "PublicAccessCidrs")
					for _, list := range cidrs {
						if list.Absent {
							if v, ok := prop.Both(list, pub); ok {
								rep.Report(r, v, "EKS API endpoint is public and open to 0.0.0.0/0: PublicAccessCidrs is not set")
							}
							continue
						}
						for _, c := range prop.Items(p.Eval, []prop.Val{list}) {
							s, ok := c.Str()
							if !ok {
								continue
							}
							if pfx, err := netip.ParsePrefix(strings.TrimSpace(s)); err == nil && pfx.Bits() == 0 {
								if v, ok := prop.Both(c, pub); ok {
									rep.Report(r, v, "EKS API endpoint is public and open to the world: PublicAccessCidrs contains %q", s)
								}
							}
						}
					}
				}
			}
		}
	},
}
