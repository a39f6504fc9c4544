package cloudfront

import (
	"github.com/safetynet-dev/safetynet/scan"
	"github.com/safetynet-dev/safetynet/scan/rules/internal/prop"
)

// S3OriginWithoutAccessControl reports S3 origins reached without origin
// access control or an origin access identity.
var S3OriginWithoutAccessControl = &scan.Rule{
	ID:        "CLOUDFRONT-007",
	Title:     "CloudFront S3 origin has no origin access control",
	Severity:  scan.Warning,
	Resources: distribution,
	Doc: `Without origin access control (OriginAccessControlId) or a legacy
origin access identity (S3OriginConfig.OriginAccessIdentity), CloudFront
reads an S3 origin anonymously, so the bucket must be public: anyone can
fetch its objects directly, bypassing the distribution's HTTPS, WAF, geo
restrictions and signed URLs. AWS recommends origin access control
(Security Hub control CloudFront.13). An empty OriginAccessIdentity counts
as none.

Bad:

~~~yaml
Cdn:
  Type: AWS::CloudFront::Distribution
  Properties:
    DistributionConfig:
      Enabled: true
      Origins:
        - Id: site
          DomainName: !GetAtt Site.RegionalDomainName
          S3OriginConfig:
            OriginAccessIdentity: ""
~~~

Good:

~~~yaml
Cdn:
  Type: AWS::CloudFront::Distribution
  Properties:
    DistributionConfig:
      Enabled: true
      Origins:
        - Id: site
          DomainName: !GetAtt Site.RegionalDomainName
          OriginAccessControlId: !GetAtt SiteOac.Id
          S3OriginConfig:
            OriginAccessIdentity: ""
~~~
`,
	Fix: "Add an AWS::CloudFront::OriginAccessControl and set the origin's OriginAccessControlId; allow it in the bucket policy.",
	Check: func(p *scan.Pass) {
		rep := prop.NewReporter(p)
		for _, r := range p.Resources() {
			for _, o := range origins(p.Eval, r) {
				for _, s3 := range prop.Field(p.Eval, []prop.Val{o}, "S3OriginConfig") {
					if s3.Absent {
						continue
					}
					for _, oac := range prop.Field(p.Eval, []prop.Val{o}, "OriginAccessControlId") {
						for _, oai := range prop.Field(p.Eval, []prop.Val{s3}, "OriginAccessIdentity") {
							if set(oac) || set(oai) {
								continue
							}
							v, ok := prop.Both(s3, oac)
							if ok {
								v, ok = prop.Both(v, oai)
							}
							if ok {
								rep.Report(r, v, "CloudFront reads the S3 origin anonymously: neither OriginAccessControlId nor OriginAccessIdentity is set")
							}
						}
					}
				}
			}
		}
	},
}

// set reports whether a value is present and not an empty string; an
// unknown value counts as set.
func set(v prop.Val) bool {
	s, ok := v.Str()
	return !v.Absent && !(ok && s == "")
}
