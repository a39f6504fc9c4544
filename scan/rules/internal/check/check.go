// Package check builds the Check functions shared by many rules: a boolean
// property that must be true, a secret that must not be in the template.
package check

import (
	"fmt"
	"strings"

	"github.com/safetynet-dev/safetynet/cfn"
	"github.com/safetynet-dev/safetynet/scan"
	"github.com/safetynet-dev/safetynet/scan/rules/internal/prop"
)

// MustBeTrue returns a check that reports each resource of the rule's types
// whose property at path may be absent, false or anything but true. what
// starts the message ("EBS volume is not encrypted"). When an enclosing
// property is missing the finding names it (AccessLoggingPolicy is not set)
// rather than the leaf.
func MustBeTrue(what string, path ...string) func(*scan.Pass) {
	return func(p *scan.Pass) {
		rep := prop.NewReporter(p)
		for _, r := range p.Resources() {
			vals := prop.Properties(p.Eval, r)
			for i, key := range path {
				vals = prop.Field(p.Eval, vals, key)
				if i == len(path)-1 {
					break
				}
				present := vals[:0:0]
				for _, v := range vals {
					if v.Absent {
						rep.Report(r, v, "%s: %s", what, v.State(key))
					} else {
						present = append(present, v)
					}
				}
				vals = present
			}
			for _, v := range vals {
				if v.NotTrue() {
					rep.Report(r, v, "%s: %s", what, v.State(path[len(path)-1]))
				}
			}
		}
	}
}

// MustNotBeTrue returns a check that reports each resource whose property
// at path may be true.
func MustNotBeTrue(what string, path ...string) func(*scan.Pass) {
	name := path[len(path)-1]
	return func(p *scan.Pass) {
		rep := prop.NewReporter(p)
		for _, r := range p.Resources() {
			for _, v := range prop.Get(p.Eval, r, path...) {
				if v.True() {
					rep.Report(r, v, "%s: %s", what, v.State(name))
				}
			}
		}
	}
}

// Dynamic reference prefixes that keep a secret out of the template.
const (
	SecretsManager = "{{resolve:secretsmanager:"
	SSMSecure      = "{{resolve:ssm-secure:"
)

// Secret returns a check that reports a secret property that is written in
// the template: a literal, a parameter with a Default, or a parameter
// without NoEcho. A dynamic reference with one of the allowed prefixes is
// fine, wherever it is written (even as a parameter default).
func Secret(allowed []string, path ...string) func(*scan.Pass) {
	name := path[len(path)-1]
	return func(p *scan.Pass) {
		rep := prop.NewReporter(p)
		for _, r := range p.Resources() {
			for _, v := range prop.Get(p.Eval, r, path...) {
				if why := secretProblem(p.Template, v, allowed); why != "" {
					rep.Report(r, v, "%s %s", name, why)
				}
			}
		}
	}
}

func secretProblem(t *cfn.Template, v prop.Val, allowed []string) string {
	if v.Absent {
		return ""
	}
	if s, ok := v.Str(); ok {
		for _, a := range allowed {
			if strings.HasPrefix(s, a) {
				return ""
			}
		}
	}
	param := v.Param
	if v.Origin == cfn.Unknown {
		// Only a plain Ref to a parameter that has no value yet is about
		// the parameter; an unknown string built around one (a dynamic
		// reference naming a secret by parameter) is not.
		if v.Text != "Ref "+param {
			return ""
		}
	}
	if param == "" {
		if _, ok := v.Str(); ok {
			return "is written in the template in plain text"
		}
		return ""
	}
	par := t.Parameter(param)
	switch {
	case par == nil:
		return ""
	case v.Origin == cfn.ParamDefault:
		return "is written in the template in plain text"
	case par.Default != nil:
		return fmt.Sprintf("comes from parameter %s, whose Default is written in the template in plain text", param)
	case !par.NoEcho:
		return fmt.Sprintf("comes from parameter %s, which is not NoEcho, so its value shows in the console and API", param)
	}
	return ""
}
