package docdb

import (
	"strings"

	"github.com/safetynet-dev/safetynet/scan"
	"github.com/safetynet-dev/safetynet/scan/rules/internal/prop"
)

// TLSDisabled reports DocumentDB cluster parameter groups that let clients
// connect without TLS.
var TLSDisabled = &scan.Rule{
	ID:        "DOCDB-005",
	Title:     "DocumentDB parameter group disables TLS",
	Severity:  scan.Failure,
	Resources: []string{"AWS::DocDB::DBClusterParameterGroup"},
	Doc: `DocumentDB requires TLS by default. A cluster parameter group with
tls set to disabled lets clients connect in plain text, so credentials and
documents cross the network readable by anyone on the path.

Bad:

~~~yaml
Params:
  Type: AWS::DocDB::DBClusterParameterGroup
  Properties:
    Family: docdb5.0
    Description: docs
    Parameters:
      tls: disabled
~~~

Good:

~~~yaml
Params:
  Type: AWS::DocDB::DBClusterParameterGroup
  Properties:
    Family: docdb5.0
    Description: docs
    Parameters:
      tls: enabled
      audit_logs: enabled
~~~
`,
	Fix: "Set tls: enabled (or remove it).",
	Check: func(p *scan.Pass) {
		rep := prop.NewReporter(p)
		for _, r := range p.Resources() {
			for _, v := range prop.Get(p.Eval, r, "Parameters", "tls") {
				if s, ok := v.Str(); ok && strings.EqualFold(strings.TrimSpace(s), "disabled") {
					rep.Report(r, v, "DocumentDB parameter group lets clients connect without TLS: %s", v.State("tls"))
				}
			}
		}
	},
}
