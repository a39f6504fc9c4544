package cloudfront

import (
	"github.com/safetynet-dev/safetynet/scan"
	"github.com/safetynet-dev/safetynet/scan/rules/internal/prop"
)

// ViewerHTTP reports cache behaviors that serve viewers over plain HTTP.
var ViewerHTTP = &scan.Rule{
	ID:        "CLOUDFRONT-004",
	Title:     "CloudFront cache behavior serves viewers over plain HTTP",
	Severity:  scan.Warning,
	Resources: distribution,
	Doc: `ViewerProtocolPolicy allow-all serves content over plain HTTP to
anyone who asks for it: pages, cookies and tokens travel in clear text and
can be altered on the way. AWS recommends redirect-to-https or https-only on
every cache behavior (Security Hub control CloudFront.3). The default cache
behavior and each entry of CacheBehaviors are checked.

Bad:

~~~yaml
Cdn:
  Type: AWS::CloudFront::Distribution
  Properties:
    DistributionConfig:
      Enabled: true
      DefaultCacheBehavior:
        TargetOriginId: site
        ViewerProtocolPolicy: allow-all
~~~

Good:

~~~yaml
Cdn:
  Type: AWS::CloudFront::Distribution
  Properties:
    DistributionConfig:
      Enabled: true
      DefaultCacheBehavior:
        TargetOriginId: site
        ViewerProtocolPolicy: redirect-to-https
~~~
`,
	Fix: "Set ViewerProtocolPolicy to redirect-to-https or https-only.",
	Check: func(p *scan.Pass) {
		rep := prop.NewReporter(p)
		for _, r := range p.Resources() {
			for _, v := range prop.Field(p.Eval, behaviors(p.Eval, r), "ViewerProtocolPolicy") {
				if s, ok := v.Str(); ok && s == "allow-all" {
					rep.Report(r, v, "CloudFront serves viewers over plain HTTP: ViewerProtocolPolicy is allow-all")
				}
			}
		}
	},
}
