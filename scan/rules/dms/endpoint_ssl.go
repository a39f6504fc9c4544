package dms

import (
	"strings"

	"github.com/safetynet-dev/safetynet/scan"
	"github.com/safetynet-dev/safetynet/scan/rules/internal/prop"
)

// sslEngines are the endpoint engines whose connections SslMode governs.
var sslEngines = map[string]bool{
	"mysql": true, "mariadb": true, "aurora": true, "aurora-postgresql": true,
	"postgres": true, "oracle": true, "sqlserver": true, "azuredb": true,
	"mongodb": true, "docdb": true, "db2": true, "db2-zos": true, "sybase": true,
}

// EndpointSSLOff reports database endpoints that connect without TLS.
var EndpointSSLOff = &scan.Rule{
	ID:        "DMS-004",
	Title:     "DMS endpoint does not use SSL",
	Severity:  scan.Warning,
	Resources: []string{"AWS::DMS::Endpoint"},
	Doc: `SslMode defaults to none: the replication instance then reads from
or writes to the database in plain text, credentials included (AWS
Security Hub DMS.9). Use require, or verify-ca / verify-full with a
CertificateArn to also check the server's identity. Only database engines
that take an SslMode are checked; an endpoint whose EngineName is not known
before deploy is not.

Bad:

~~~yaml
Source:
  Type: AWS::DMS::Endpoint
  Properties:
    EndpointType: source
    EngineName: postgres
    ServerName: db.internal
    Port: 5432
~~~

Good:

~~~yaml
Source:
  Type: AWS::DMS::Endpoint
  Properties:
    EndpointType: source
    EngineName: postgres
    ServerName: db.internal
    Port: 5432
    SslMode: verify-full
    CertificateArn: !Ref RdsCaCertificate
~~~
`,
	Fix: "Set SslMode: require, verify-ca or verify-full.",
	Check: func(p *scan.Pass) {
		rep := prop.NewReporter(p)
		for _, r := range p.Resources() {
			for _, engine := range prop.Get(p.Eval, r, "EngineName") {
				name, ok := engine.Str()
				if !ok || !sslEngines[strings.ToLower(name)] {
					continue
				}
				for _, v := range prop.Get(p.Eval, r, "SslMode") {
					s, ok := v.Str()
					if !v.Absent && (!ok || !strings.EqualFold(s, "none")) {
						continue
					}
					if both, ok := prop.Both(v, engine); ok {
						both.Origin, both.Param = v.Origin, v.Param
						rep.Report(r, both, "DMS endpoint does not use SSL: %s", v.State("SslMode"))
					}
				}
			}
		}
	},
}
