package check

import (
	"fmt"
	"slices"
	"strings"

	"github.com/safetynet-dev/safetynet/cfn"
	"github.com/safetynet-dev/safetynet/scan"
	"github.com/safetynet-dev/safetynet/scan/rules/internal/prop"
)

// DatabaseSecretsManagerSecret is DatabaseSecret for a property where
// CloudFormation resolves only Secrets Manager dynamic references (an
// ssm-secure reference is rejected at deploy), such as a DMS endpoint
// password or a DocumentDB master password. An ssm-secure reference is
// reported as such, not as plain text.
func DatabaseSecretsManagerSecret(path ...string) func(*scan.Pass) {
	name := path[len(path)-1]
	allowed := []string{SecretsManager}
	return func(p *scan.Pass) {
		rep := prop.NewReporter(p)
		for _, r := range p.Resources() {
			for _, v := range prop.Get(p.Eval, r, path...) {
				databaseReportSecret(p.Template, rep, r, v, name, allowed)
			}
		}
	}
}

// DatabaseSecret is Secret, except that an empty value or an empty
// parameter Default (the usual way to make a secret optional) is not
// reported: it reveals nothing.
func DatabaseSecret(allowed []string, path ...string) func(*scan.Pass) {
	name := path[len(path)-1]
	return func(p *scan.Pass) {
		rep := prop.NewReporter(p)
		for _, r := range p.Resources() {
			for _, v := range prop.Get(p.Eval, r, path...) {
				databaseReportSecret(p.Template, rep, r, v, name, allowed)
			}
		}
	}
}

// DatabaseSecretItems is DatabaseSecret for a list of secrets, such as the
// Passwords of an ElastiCache user: each element is checked on its own.
func DatabaseSecretItems(allowed []string, path ...string) func(*scan.Pass) {
	name := path[len(path)-1]
	return func(p *scan.Pass) {
		rep := prop.NewReporter(p)
		for _, r := range p.Resources() {
			for _, v := range prop.Items(p.Eval, prop.Get(p.Eval, r, path...)) {
				databaseReportSecret(p.Template, rep, r, v, name, allowed)
			}
		}
	}
}

func databaseReportSecret(t *cfn.Template, rep *prop.Reporter, r *cfn.Resource, v prop.Val, name string, allowed []string) {
	if s, ok := v.Str(); ok && strings.HasPrefix(s, SSMSecure) && !slices.Contains(allowed, SSMSecure) {
		rep.Report(r, v, "%s is an ssm-secure dynamic reference, which CloudFormation does not resolve for this property; use {{resolve:secretsmanager:...}}", name)
		return
	}
	if why := databaseSecretProblem(t, v, allowed); why != "" {
		rep.Report(r, v, "%s %s", name, why)
	}
}

// databaseSecretProblem is secretProblem, except that an empty string
// reveals nothing: a NoEcho parameter with Default ” is the usual way to
// make a secret optional, and is not reported.
func databaseSecretProblem(t *cfn.Template, v prop.Val, allowed []string) string {
	if s, ok := v.Str(); ok && s == "" {
		return ""
	}
	if v.Param != "" && v.Origin == cfn.ParamSupplied {
		if par := t.Parameter(v.Param); par != nil && par.Default != nil {
			if d, ok := par.Default.Text(); ok && d == "" {
				if par.NoEcho {
					return ""
				}
				return fmt.Sprintf("comes from parameter %s, which is not NoEcho, so its value shows in the console and API", v.Param)
			}
		}
	}
	return secretProblem(t, v, allowed)
}

// DatabaseNotFalse returns a check that reports each resource whose
// property at path may be explicitly false. An absent property is fine: it
// is for settings whose default is the safe value.
func DatabaseNotFalse(what string, path ...string) func(*scan.Pass) {
	name := path[len(path)-1]
	return func(p *scan.Pass) {
		rep := prop.NewReporter(p)
		for _, r := range p.Resources() {
			for _, v := range prop.Get(p.Eval, r, path...) {
				if b, ok := v.Bool(); ok && !b {
					rep.Report(r, v, "%s: %s", what, v.State(name))
				}
			}
		}
	}
}

// DatabaseLogExport returns a check that reports each resource whose list
// of exported log types (EnableCloudwatchLogsExports) may lack logType. A
// list with an element not known before deploy is given the benefit of the
// doubt; a known comma-separated string (a CommaDelimitedList parameter)
// counts as its elements.
func DatabaseLogExport(what, logType string, path ...string) func(*scan.Pass) {
	name := path[len(path)-1]
	return func(p *scan.Pass) {
		rep := prop.NewReporter(p)
		for _, r := range p.Resources() {
			for _, v := range prop.Get(p.Eval, r, path...) {
				if v.Absent {
					rep.Report(r, v, "%s: %s", what, v.State(name))
					continue
				}
				found, unknown := false, false
				for _, item := range prop.Items(p.Eval, []prop.Val{v}) {
					s, ok := item.Str()
					if !ok {
						unknown = true
						continue
					}
					for _, part := range strings.Split(s, ",") {
						if strings.EqualFold(strings.TrimSpace(part), logType) {
							found = true
						}
					}
				}
				if !found && !unknown {
					rep.Report(r, v, "%s: %s does not include %q", what, name, logType)
				}
			}
		}
	}
}
