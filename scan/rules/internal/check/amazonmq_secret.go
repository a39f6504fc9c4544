package check

import (
	"github.com/safetynet-dev/safetynet/scan"
	"github.com/safetynet-dev/safetynet/scan/rules/internal/prop"
)

// MQSecretItems is Secret for a secret inside each element of a list
// property, such as the Password of each of an Amazon MQ broker's Users:
// list is the list property and path leads from an element to the secret.
func MQSecretItems(allowed []string, list string, path ...string) func(*scan.Pass) {
	name := path[len(path)-1]
	return func(p *scan.Pass) {
		rep := prop.NewReporter(p)
		for _, r := range p.Resources() {
			vals := prop.Items(p.Eval, prop.Get(p.Eval, r, list))
			for _, k := range path {
				vals = prop.Field(p.Eval, vals, k)
			}
			for _, v := range vals {
				if why := secretProblem(p.Template, v, allowed); why != "" {
					rep.Report(r, v, "%s %s", name, why)
				}
			}
		}
	}
}
