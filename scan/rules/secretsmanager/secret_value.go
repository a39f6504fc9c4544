package secretsmanager

import (
	"encoding/json"
	"fmt"
	"regexp"
	"sort"
	"strings"

	"github.com/safetynet-dev/safetynet/cfn"
	"github.com/safetynet-dev/safetynet/scan"
	"github.com/safetynet-dev/safetynet/scan/rules/internal/check"
	"github.com/safetynet-dev/safetynet/scan/rules/internal/prop"
)

// secretKey matches JSON keys that name secret material.
var secretKey = regexp.MustCompile(`(?i)pass|secret|token|key|credential|pwd|auth|private`)

// placeholder matches values that stand for a secret to be filled in later
// rather than being one: empty, "<>", "<your token>", "null"...
var placeholder = regexp.MustCompile(`(?i)^\s*(|<[^>]*>|empty|placeholder|null|none|tbd|n/a|-|\{\s*\})\s*$`)

// secretValueProblem says why a possible SecretString value puts a secret
// in the template, or "".
func secretValueProblem(t *cfn.Template, v prop.Val) string {
	if v.Absent {
		return ""
	}
	if s, ok := v.Str(); ok {
		if strings.Contains(s, check.SecretsManager) || strings.Contains(s, check.SSMSecure) || placeholder.MatchString(s) {
			return ""
		}
		var obj map[string]any
		if err := json.Unmarshal([]byte(s), &obj); err == nil {
			var keys []string
			for k, x := range obj {
				str, isStr := x.(string)
				if secretKey.MatchString(k) && x != nil && !(isStr && placeholder.MatchString(str)) {
					keys = append(keys, k)
				}
			}
			if len(keys) == 0 {
				return ""
			}
			sort.Strings(keys)
			return fmt.Sprintf("holds %q in plain text in the template", strings.Join(keys, `", "`))
		}
		return "is written in the template in plain text"
	}
	if v.Origin != cfn.Unknown || v.Text != "Ref "+v.Param {
		return ""
	}
	if par := t.Parameter(v.Param); par != nil && !par.NoEcho {
		return fmt.Sprintf("comes from parameter %s, which is not NoEcho, so its value shows in the console and API", v.Param)
	}
	return ""
}

// checkSecretString reports SecretString values that put a secret in the
// template.
func checkSecretString(p *scan.Pass) {
	rep := prop.NewReporter(p)
	for _, r := range p.Resources() {
		for _, v := range prop.Get(p.Eval, r, "SecretString") {
			if why := secretValueProblem(p.Template, v); why != "" {
				rep.Report(r, v, "SecretString %s", why)
			}
		}
	}
}
