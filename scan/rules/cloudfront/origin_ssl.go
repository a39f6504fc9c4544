package cloudfront

import (
	"github.com/safetynet-dev/safetynet/scan"
	"github.com/safetynet-dev/safetynet/scan/rules/internal/prop"
)

// OriginSSLv3 reports custom origins that CloudFront may reach over SSLv3.
var OriginSSLv3 = &scan.Rule{
	ID:        "CLOUDFRONT-006",
	Title:     "CloudFront may reach a custom origin over SSLv3",
	Severity:  scan.Warning,
	Resources: distribution,
	Doc: `SSLv3 is broken (POODLE, RFC 7568). With SSLv3 in OriginSSLProtocols,
an attacker between CloudFront and the origin can force the connection down
to it. AWS recommends not using deprecated SSL protocols to custom origins
(Security Hub control CloudFront.10); list TLSv1.2 only.

Bad:

~~~yaml
Cdn:
  Type: AWS::CloudFront::Distribution
  Properties:
    DistributionConfig:
      Enabled: true
      Origins:
        - Id: app
          DomainName: app.example.com
          CustomOriginConfig:
            OriginProtocolPolicy: https-only
            OriginSSLProtocols: [SSLv3, TLSv1.2]
~~~

Good:

~~~yaml
Cdn:
  Type: AWS::CloudFront::Distribution
  Properties:
    DistributionConfig:
      Enabled: true
      Origins:
        - Id: app
          DomainName: app.example.com
          CustomOriginConfig:
            OriginProtocolPolicy: https-only
            OriginSSLProtocols: [TLSv1.2]
~~~
`,
	Fix: "Remove SSLv3 from OriginSSLProtocols; keep TLSv1.2.",
	Check: func(p *scan.Pass) {
		rep := prop.NewReporter(p)
		for _, r := range p.Resources() {
			cfgs := prop.Field(p.Eval, origins(p.Eval, r), "CustomOriginConfig")
			for _, v := range prop.Items(p.Eval, prop.Field(p.Eval, cfgs, "OriginSSLProtocols")) {
				if s, ok := v.Str(); ok && s == "SSLv3" {
					rep.Report(r, v, "CloudFront may reach the origin over SSLv3")
				}
			}
		}
	},
}
