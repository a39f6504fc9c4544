package emr

import (
	"encoding/json"
	"strings"

	"github.com/safetynet-dev/safetynet/cfn"
	"github.com/safetynet-dev/safetynet/scan"
	"github.com/safetynet-dev/safetynet/scan/rules/internal/prop"
)

// EncryptionIncomplete reports security configurations that leave data at
// rest or in transit unencrypted.
var EncryptionIncomplete = &scan.Rule{
	ID:        "EMR-002",
	Aliases:   []string{"W61"},
	Title:     "EMR security configuration does not encrypt at rest and in transit",
	Severity:  scan.Warning,
	Resources: []string{securityConfigurationType},
	Doc: `A security configuration should turn on both kinds of encryption
and say how: EnableAtRestEncryption with an AtRestEncryptionConfiguration
that sets LocalDiskEncryptionConfiguration.EncryptionKeyProviderType or
S3EncryptionConfiguration.EncryptionMode, and EnableInTransitEncryption
with InTransitEncryptionConfiguration.TLSCertificateConfiguration.
CertificateProviderType. Anything less leaves cluster disks, EMRFS data in
S3 or shuffle traffic between nodes unencrypted. Each gap is reported at
its own property; a configuration written as a JSON string is read too.
Unlike cfn_nag, "false" written as a string counts as false.

Bad:

~~~yaml
ClusterSecurity:
  Type: AWS::EMR::SecurityConfiguration
  Properties:
    SecurityConfiguration:
      EncryptionConfiguration:
        EnableAtRestEncryption: true
        EnableInTransitEncryption: false
        AtRestEncryptionConfiguration:
          S3EncryptionConfiguration:
            EncryptionMode: SSE-KMS
            AwsKmsKey: !Ref DataKey
~~~

Good:

~~~yaml
ClusterSecurity:
  Type: AWS::EMR::SecurityConfiguration
  Properties:
    SecurityConfiguration:
      EncryptionConfiguration:
        EnableAtRestEncryption: true
        EnableInTransitEncryption: true
        AtRestEncryptionConfiguration:
          S3EncryptionConfiguration:
            EncryptionMode: SSE-KMS
            AwsKmsKey: !Ref DataKey
          LocalDiskEncryptionConfiguration:
            EncryptionKeyProviderType: AwsKms
            AwsKmsKey: !Ref DataKey
        InTransitEncryptionConfiguration:
          TLSCertificateConfiguration:
            CertificateProviderType: PEM
            S3Object: s3://certs-bucket/emr-certs.zip
~~~
`,
	Fix: "Enable at-rest and in-transit encryption in EncryptionConfiguration and configure both (key provider, S3 encryption mode, TLS certificate provider).",
	Check: func(p *scan.Pass) {
		rep := prop.NewReporter(p)
		for _, r := range p.Resources() {
			for _, doc := range prop.Get(p.Eval, r, "SecurityConfiguration") {
				if s, ok := doc.Str(); ok {
					if why := jsonEncryptionProblem(s); why != "" {
						rep.Report(r, doc, "EMR security configuration %s", why)
					}
					continue
				}
				checkEncryption(p.Eval, rep, r, doc)
			}
		}
	},
}

// checkEncryption reports the gaps in one possible value of a security
// configuration written as a mapping.
func checkEncryption(e *cfn.Evaluator, rep *prop.Reporter, r *cfn.Resource, doc prop.Val) {
	if doc.Absent {
		rep.Report(r, doc, "EMR security configuration is not set")
		return
	}
	for _, enc := range prop.Field(e, []prop.Val{doc}, "EncryptionConfiguration") {
		if enc.Absent {
			rep.Report(r, enc, "EMR security configuration does not encrypt: EncryptionConfiguration is not set")
			continue
		}
		encs := []prop.Val{enc}
		for _, on := range prop.Field(e, encs, "EnableAtRestEncryption") {
			if on.NotTrue() {
				rep.Report(r, on, "EMR security configuration does not encrypt at rest: %s", on.State("EnableAtRestEncryption"))
				continue
			}
			for _, at := range prop.Field(e, encs, "AtRestEncryptionConfiguration") {
				at, ok := prop.Both(at, on)
				if !ok {
					continue
				}
				if at.Absent {
					rep.Report(r, at, "EMR security configuration enables at-rest encryption without configuring it: AtRestEncryptionConfiguration is not set")
					continue
				}
				ats := []prop.Val{at}
				local := prop.Field(e, prop.Field(e, ats, "LocalDiskEncryptionConfiguration"), "EncryptionKeyProviderType")
				s3 := prop.Field(e, prop.Field(e, ats, "S3EncryptionConfiguration"), "EncryptionMode")
				for _, l := range local {
					for _, s := range s3 {
						if !l.Absent || !s.Absent {
							continue
						}
						if both, ok := prop.Both(at, l); ok {
							if both, ok := prop.Both(both, s); ok {
								rep.Report(r, both, "EMR security configuration enables at-rest encryption without a local disk key provider or an S3 encryption mode")
							}
						}
					}
				}
			}
		}
		for _, on := range prop.Field(e, encs, "EnableInTransitEncryption") {
			if on.NotTrue() {
				rep.Report(r, on, "EMR security configuration does not encrypt in transit: %s", on.State("EnableInTransitEncryption"))
				continue
			}
			tls := prop.Field(e, prop.Field(e, prop.Field(e, encs, "InTransitEncryptionConfiguration"), "TLSCertificateConfiguration"), "CertificateProviderType")
			for _, c := range tls {
				if c, ok := prop.Both(c, on); ok && c.Absent {
					rep.Report(r, c, "EMR security configuration enables in-transit encryption without a TLS certificate provider: CertificateProviderType is not set")
				}
			}
		}
	}
}

// jsonEncryptionProblem describes the first gap in a security
// configuration written as a JSON string, or returns "" when there is none
// or the string is not JSON.
func jsonEncryptionProblem(s string) string {
	var doc map[string]any
	if !strings.HasPrefix(strings.TrimSpace(s), "{") || json.Unmarshal([]byte(s), &doc) != nil {
		return ""
	}
	enc, ok := doc["EncryptionConfiguration"].(map[string]any)
	if !ok {
		return "does not encrypt: EncryptionConfiguration is not set"
	}
	has := func(m any, keys ...string) bool {
		for _, k := range keys {
			mm, ok := m.(map[string]any)
			if !ok {
				return false
			}
			if m, ok = mm[k]; !ok {
				return false
			}
		}
		return true
	}
	truthy := func(v any) bool {
		switch v := v.(type) {
		case bool:
			return v
		case string:
			return strings.EqualFold(v, "true")
		}
		return false
	}
	switch {
	case !truthy(enc["EnableAtRestEncryption"]):
		return "does not encrypt at rest: EnableAtRestEncryption is not true"
	case !truthy(enc["EnableInTransitEncryption"]):
		return "does not encrypt in transit: EnableInTransitEncryption is not true"
	case !has(enc, "AtRestEncryptionConfiguration", "LocalDiskEncryptionConfiguration", "EncryptionKeyProviderType") &&
		!has(enc, "AtRestEncryptionConfiguration", "S3EncryptionConfiguration", "EncryptionMode"):
		return "enables at-rest encryption without a local disk key provider or an S3 encryption mode"
	case !has(enc, "InTransitEncryptionConfiguration", "TLSCertificateConfiguration", "CertificateProviderType"):
		return "enables in-transit encryption without a TLS certificate provider"
	}
	return ""
}
