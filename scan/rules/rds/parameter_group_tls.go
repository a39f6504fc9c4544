package rds

import (
	"strings"

	"github.com/safetynet-dev/safetynet/scan"
	"github.com/safetynet-dev/safetynet/scan/rules/internal/prop"
)

// tlsParameters are the parameters that make the engine refuse
// unencrypted connections; 0 or OFF turns that off.
var tlsParameters = []string{"rds.force_ssl", "require_secure_transport"}

// ParameterGroupTLSOff reports parameter groups that explicitly let
// clients connect without TLS.
var ParameterGroupTLSOff = &scan.Rule{
	ID:        "RDS-012",
	Title:     "RDS parameter group turns off TLS enforcement",
	Severity:  scan.Warning,
	Resources: []string{"AWS::RDS::DBParameterGroup", "AWS::RDS::DBClusterParameterGroup"},
	Doc: `rds.force_ssl (PostgreSQL, SQL Server) and require_secure_transport
(MySQL, MariaDB, Aurora MySQL) make the database refuse connections that
are not encrypted with TLS. Setting them to 0 or OFF lets a client, by
mistake or by downgrade, send credentials and data in plain text.
PostgreSQL 15 and later enforce TLS by default, so writing 0 weakens them.
Only an explicit value is reported.

Bad:

~~~yaml
Params:
  Type: AWS::RDS::DBParameterGroup
  Properties:
    Family: postgres16
    Description: app
    Parameters:
      rds.force_ssl: 0
~~~

Good:

~~~yaml
Params:
  Type: AWS::RDS::DBParameterGroup
  Properties:
    Family: postgres16
    Description: app
    Parameters:
      rds.force_ssl: 1
~~~
`,
	Fix: "Set rds.force_ssl: 1 (PostgreSQL, SQL Server) or require_secure_transport: ON (MySQL, MariaDB).",
	Check: func(p *scan.Pass) {
		rep := prop.NewReporter(p)
		for _, r := range p.Resources() {
			params := prop.Get(p.Eval, r, "Parameters")
			for _, name := range tlsParameters {
				for _, v := range prop.Field(p.Eval, params, name) {
					s, ok := v.Str()
					if !ok {
						continue
					}
					switch strings.ToLower(strings.TrimSpace(s)) {
					case "0", "off", "false":
						rep.Report(r, v, "RDS parameter group lets clients connect without TLS: %s", v.State(name))
					}
				}
			}
		}
	},
}
