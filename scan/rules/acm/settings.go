package acm

import (
	"strings"

	"github.com/safetynet-dev/safetynet/scan"
	"github.com/safetynet-dev/safetynet/scan/rules/internal/prop"
)

// TransparencyLoggingDisabled reports certificates kept out of
// Certificate Transparency logs.
var TransparencyLoggingDisabled = &scan.Rule{
	ID:        "ACM-008",
	Title:     "ACM certificate opts out of Certificate Transparency logging",
	Severity:  scan.Warning,
	Resources: []string{typeCertificate},
	Doc: `Browsers such as Chrome and Safari reject public certificates that are
not in Certificate Transparency logs, so a certificate with
CertificateTransparencyLoggingPreference: DISABLED breaks HTTPS for their
users; and CT logs are how a domain owner notices certificates mis-issued
for their names. Opting out hides nothing worth hiding: the names are
public in DNS anyway. Private-CA certificates are not reported.

Bad:

~~~yaml
Certificate:
  Type: AWS::CertificateManager::Certificate
  Properties:
    DomainName: api.example.com
    ValidationMethod: DNS
    CertificateTransparencyLoggingPreference: DISABLED
~~~

Good:

~~~yaml
Certificate:
  Type: AWS::CertificateManager::Certificate
  Properties:
    DomainName: api.example.com
    ValidationMethod: DNS
~~~
`,
	Fix: "Remove CertificateTransparencyLoggingPreference or set it to ENABLED.",
	Check: func(p *scan.Pass) {
		rep := prop.NewReporter(p)
		for _, r := range p.Resources() {
			if isPrivate(p.Eval, r) {
				continue
			}
			for _, v := range prop.Get(p.Eval, r, "CertificateTransparencyLoggingPreference") {
				if s, ok := v.Str(); ok && strings.EqualFold(s, "DISABLED") {
					rep.Report(r, v, "certificate %s is not logged for Certificate Transparency: %s", r.ID, v.State("CertificateTransparencyLoggingPreference"))
				}
			}
		}
	},
}

// WeakKey reports certificates with a 1024-bit RSA key.
var WeakKey = &scan.Rule{
	ID:        "ACM-009",
	Title:     "ACM certificate uses a 1024-bit RSA key",
	Severity:  scan.Warning,
	Resources: []string{typeCertificate},
	Doc: `RSA keys of 1024 bits have been disallowed for signatures and key
exchange by NIST since 2013 and are within reach of well-funded attackers.
Use RSA_2048 (the default) or an elliptic-curve key.

Bad:

~~~yaml
Certificate:
  Type: AWS::CertificateManager::Certificate
  Properties:
    DomainName: internal.example.com
    CertificateAuthorityArn: !Ref PrivateCA
    KeyAlgorithm: RSA_1024
~~~

Good:

~~~yaml
Certificate:
  Type: AWS::CertificateManager::Certificate
  Properties:
    DomainName: internal.example.com
    CertificateAuthorityArn: !Ref PrivateCA
    KeyAlgorithm: EC_prime256v1
~~~
`,
	Fix: "Set KeyAlgorithm to RSA_2048 or stronger, or EC_prime256v1.",
	Check: func(p *scan.Pass) {
		rep := prop.NewReporter(p)
		for _, r := range p.Resources() {
			for _, v := range prop.Get(p.Eval, r, "KeyAlgorithm") {
				if s, ok := v.Str(); ok && strings.EqualFold(s, "RSA_1024") {
					rep.Report(r, v, "certificate %s has a weak key: %s", r.ID, v.State("KeyAlgorithm"))
				}
			}
		}
	},
}
