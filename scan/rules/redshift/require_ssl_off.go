package redshift

import (
	"strings"

	"github.com/safetynet-dev/safetynet/scan"
	"github.com/safetynet-dev/safetynet/scan/rules/internal/prop"
)

// RequireSSLOff reports cluster parameter groups that let clients connect
// without TLS.
var RequireSSLOff = &scan.Rule{
	ID:        "REDSHIFT-005",
	Title:     "Redshift parameter group does not require SSL",
	Severity:  scan.Warning,
	Resources: []string{"AWS::Redshift::ClusterParameterGroup"},
	Doc: `The require_ssl parameter makes the cluster refuse connections that
are not encrypted; without it clients may send credentials and query
results in plain text (AWS Security Hub Redshift.2). A group of family
redshift-1.0 starts with require_ssl false, so it is reported unless it sets
require_ssl to true; redshift-2.0 and later start with true and are reported
only when they set it to something else.

Bad:

~~~yaml
Params:
  Type: AWS::Redshift::ClusterParameterGroup
  Properties:
    Description: warehouse
    ParameterGroupFamily: redshift-1.0
    Parameters:
      - ParameterName: enable_user_activity_logging
        ParameterValue: "true"
~~~

Good:

~~~yaml
Params:
  Type: AWS::Redshift::ClusterParameterGroup
  Properties:
    Description: warehouse
    ParameterGroupFamily: redshift-1.0
    Parameters:
      - ParameterName: enable_user_activity_logging
        ParameterValue: "true"
      - ParameterName: require_ssl
        ParameterValue: "true"
~~~
`,
	Fix: "Add a Parameters entry with ParameterName: require_ssl and ParameterValue: \"true\".",
	Check: func(p *scan.Pass) {
		rep := prop.NewReporter(p)
		for _, r := range p.Resources() {
			found, unknown := false, false
			params := prop.Get(p.Eval, r, "Parameters")
			for _, item := range prop.Items(p.Eval, params) {
				for _, name := range prop.Field(p.Eval, []prop.Val{item}, "ParameterName") {
					n, ok := name.Str()
					if !ok {
						unknown = unknown || !name.Absent
						continue
					}
					if !strings.EqualFold(n, "require_ssl") {
						continue
					}
					found = true
					for _, v := range prop.Field(p.Eval, []prop.Val{item}, "ParameterValue") {
						if v.NotTrue() {
							rep.Report(r, v, "Redshift parameter group does not require SSL: %s", v.State("require_ssl"))
						}
					}
				}
			}
			if found || unknown {
				continue
			}
			for _, fam := range prop.Get(p.Eval, r, "ParameterGroupFamily") {
				if s, ok := fam.Str(); ok && s == "redshift-1.0" {
					for _, v := range params {
						if both, ok := prop.Both(v, fam); ok {
							rep.Report(r, both, "Redshift parameter group does not require SSL: require_ssl is not set (false in family redshift-1.0)")
						}
					}
				}
			}
		}
	},
}
