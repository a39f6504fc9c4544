package cloudfront

import (
	"github.com/safetynet-dev/safetynet/scan"
	"github.com/safetynet-dev/safetynet/scan/rules/internal/prop"
)

// OriginHTTP reports custom origins that CloudFront reaches over plain
// HTTP.
var OriginHTTP = &scan.Rule{
	ID:        "CLOUDFRONT-005",
	Title:     "CloudFront reaches a custom origin over plain HTTP",
	Severity:  scan.Warning,
	Resources: distribution,
	Doc: `OriginProtocolPolicy http-only sends every request and response
between CloudFront and the origin in clear text across the internet, even
when viewers use HTTPS; match-viewer does the same for viewers that use
HTTP, which happens when a cache behavior allows it (allow-all). AWS
recommends https-only (Security Hub control CloudFront.9). S3 website
endpoints only speak HTTP; serve the bucket through an S3 origin with
origin access control instead.

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
            OriginProtocolPolicy: http-only
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
	Fix: "Set OriginProtocolPolicy: https-only (the origin needs a valid certificate).",
	Check: func(p *scan.Pass) {
		rep := prop.NewReporter(p)
		for _, r := range p.Resources() {
			viewerHTTP := allowsHTTP(p.Eval, r)
			for _, v := range prop.Field(p.Eval, prop.Field(p.Eval, origins(p.Eval, r), "CustomOriginConfig"), "OriginProtocolPolicy") {
				s, ok := v.Str()
				switch {
				case ok && s == "http-only":
					rep.Report(r, v, "CloudFront reaches the origin over plain HTTP: OriginProtocolPolicy is http-only")
				case ok && s == "match-viewer" && viewerHTTP:
					rep.Report(r, v, "CloudFront reaches the origin over plain HTTP for HTTP viewers: OriginProtocolPolicy is match-viewer and a cache behavior allows HTTP")
				}
			}
		}
	},
}
