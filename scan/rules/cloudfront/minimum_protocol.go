package cloudfront

import (
	"strings"

	"github.com/safetynet-dev/safetynet/scan"
	"github.com/safetynet-dev/safetynet/scan/rules/internal/prop"
)

// MinimumProtocolVersion reports distributions that let viewers connect
// with TLS older than 1.2.
var MinimumProtocolVersion = &scan.Rule{
	ID:        "CLOUDFRONT-002",
	Aliases:   []string{"W70"},
	Title:     "CloudFront distribution allows TLS older than 1.2",
	Severity:  scan.Warning,
	Resources: distribution,
	Doc: `TLS 1.0 and 1.1 are deprecated (RFC 8996) and have known weaknesses.
A distribution without ViewerCertificate, or with
CloudFrontDefaultCertificate: true, uses the *.cloudfront.net certificate,
with which CloudFront accepts TLSv1 whatever MinimumProtocolVersion says. A
custom certificate needs MinimumProtocolVersion TLSv1.2_2021 or later.

As cfn_nag: ViewerCertificate missing, CloudFrontDefaultCertificate true,
or MinimumProtocolVersion missing or not TLSv1.2_* are reported. Unlike
cfn_nag, TLSv1.3_* counts as secure, the string "false" for
CloudFrontDefaultCertificate counts as false, and a MinimumProtocolVersion
taken from a parameter default is checked.

Bad:

~~~yaml
Cdn:
  Type: AWS::CloudFront::Distribution
  Properties:
    DistributionConfig:
      Enabled: true
      ViewerCertificate:
        AcmCertificateArn: !Ref Certificate
        SslSupportMethod: sni-only
        MinimumProtocolVersion: TLSv1
~~~

Good:

~~~yaml
Cdn:
  Type: AWS::CloudFront::Distribution
  Properties:
    DistributionConfig:
      Enabled: true
      ViewerCertificate:
        AcmCertificateArn: !Ref Certificate
        SslSupportMethod: sni-only
        MinimumProtocolVersion: TLSv1.2_2021
~~~
`,
	Fix: "Use your own certificate (AcmCertificateArn) with MinimumProtocolVersion: TLSv1.2_2021.",
	Check: func(p *scan.Pass) {
		rep := prop.NewReporter(p)
		for _, r := range p.Resources() {
			for _, cert := range config(p.Eval, r, "ViewerCertificate") {
				if cert.Absent {
					rep.Report(r, cert, "CloudFront distribution allows TLSv1: ViewerCertificate is not set, so the default certificate is used")
					continue
				}
				def := false
				for _, v := range prop.Field(p.Eval, []prop.Val{cert}, "CloudFrontDefaultCertificate") {
					if v.True() {
						def = true
						rep.Report(r, v, "CloudFront distribution allows TLSv1: CloudFrontDefaultCertificate is true")
					}
				}
				if def {
					continue
				}
				for _, v := range prop.Field(p.Eval, []prop.Val{cert}, "MinimumProtocolVersion") {
					s, ok := v.Str()
					if v.Absent || (ok && !strings.HasPrefix(s, "TLSv1.2") && !strings.HasPrefix(s, "TLSv1.3")) {
						rep.Report(r, v, "CloudFront distribution allows TLS older than 1.2: %s", v.State("MinimumProtocolVersion"))
					}
				}
			}
		}
	},
}

// WeakTLSPolicy reports distributions whose TLS 1.2 policy still allows
// the older ciphers.
var WeakTLSPolicy = &scan.Rule{
	ID:        "CLOUDFRONT-003",
	Title:     "CloudFront distribution uses a TLS 1.2 policy older than TLSv1.2_2021",
	Severity:  scan.Info,
	Resources: distribution,
	Doc: `The TLSv1.2_2018 and TLSv1.2_2019 security policies still accept
ciphers without forward secrecy or with CBC mode, which AWS no longer
recommends; TLSv1.2_2021 (the console's default) and later accept only
modern ciphers. Every current browser and client supports them. Versions
older than TLS 1.2 are CLOUDFRONT-002's business.

Bad:

~~~yaml
Cdn:
  Type: AWS::CloudFront::Distribution
  Properties:
    DistributionConfig:
      Enabled: true
      ViewerCertificate:
        AcmCertificateArn: !Ref Certificate
        SslSupportMethod: sni-only
        MinimumProtocolVersion: TLSv1.2_2018
~~~

Good:

~~~yaml
Cdn:
  Type: AWS::CloudFront::Distribution
  Properties:
    DistributionConfig:
      Enabled: true
      ViewerCertificate:
        AcmCertificateArn: !Ref Certificate
        SslSupportMethod: sni-only
        MinimumProtocolVersion: TLSv1.2_2021
~~~
`,
	Fix: "Set MinimumProtocolVersion: TLSv1.2_2021 (or later).",
	Check: func(p *scan.Pass) {
		rep := prop.NewReporter(p)
		for _, r := range p.Resources() {
			for _, v := range config(p.Eval, r, "ViewerCertificate", "MinimumProtocolVersion") {
				if s, ok := v.Str(); ok && (s == "TLSv1.2_2018" || s == "TLSv1.2_2019") {
					rep.Report(r, v, "CloudFront distribution accepts older TLS 1.2 ciphers: MinimumProtocolVersion is %s", s)
				}
			}
		}
	},
}
