package lambda

import (
	"regexp"
	"strconv"
	"strings"

	"github.com/safetynet-dev/safetynet/cfn"
	"github.com/safetynet-dev/safetynet/scan"
	"github.com/safetynet-dev/safetynet/scan/rules/internal/prop"
)

// secretName matches environment variable names that hold secrets.
var secretName = regexp.MustCompile(`(?i)(passw(or)?d|passwd|pwd|secret|token|api_?key|private_?key|access_?key|credential|auth_?key|signing_?key)`)

// notSecretName matches names that hold a reference to a secret, or a
// setting about one, rather than the secret itself.
var notSecretName = regexp.MustCompile(`(?i)(arn|name|id|ids|path|param|parameter|url|uri|endpoint|region|table|bucket|key_?id|header|field|type|length|ttl|expiry|expiration|expires|seconds|minutes|hours|duration|timeout|enabled|version|location|file|prefix|suffix|issuer|audience|policy|rotation|store|queue|topic|stream|role|algorithm|alg)$`)

// secretValue reports whether a known environment value looks like a
// secret rather than a reference or a setting.
func secretValue(s string) bool {
	if len(s) < 4 || strings.HasPrefix(s, "{{resolve:") || strings.Contains(s, "EXAMPLE") || (strings.Contains(s, "<") && strings.Contains(s, ">")) || strings.HasPrefix(s, "arn:") || strings.HasPrefix(s, "/") {
		return false
	}
	if _, err := strconv.ParseFloat(s, 64); err == nil {
		return false
	}
	switch strings.ToLower(s) {
	case "true", "false", "none", "null", "enabled", "disabled":
		return false
	}
	return true
}

// FunctionEnvironmentSecret reports secrets written into function
// environment variables.
var FunctionEnvironmentSecret = &scan.Rule{
	ID:        "LAMBDA-012",
	Title:     "Lambda function has a secret in plain text in an environment variable",
	Severity:  scan.Failure,
	Resources: functionTypes,
	Doc: `An environment variable named like a secret (PASSWORD, SECRET,
TOKEN, API_KEY, PRIVATE_KEY, ACCESS_KEY, CREDENTIALS...) whose value is
written in the template, as a literal or a parameter default, is readable by
anyone who can read the template, its repository or the stack, and by
anyone allowed lambda:GetFunctionConfiguration. Keep the secret in Secrets
Manager or SSM SecureString and pass its name or ARN; the function reads it
at start-up. Names that end in ARN, NAME, ID, PATH, PARAM, URL and the like
hold a reference and are not reported, nor are dynamic references,
numbers, booleans, placeholders such as <your key> and AWS documentation
examples (values containing EXAMPLE). For AWS SAM functions, variables in
Globals.Function.Environment are merged in and reported at each function
that does not override them. There is no cfn_nag equivalent.

Bad:

~~~yaml
Worker:
  Type: AWS::Lambda::Function
  Properties:
    Runtime: python3.12
    Handler: app.handler
    Role: !GetAtt WorkerRole.Arn
    Code: {S3Bucket: artifacts, S3Key: worker.zip}
    Environment:
      Variables:
        DB_PASSWORD: hunter2hunter2
~~~

Good:

~~~yaml
Worker:
  Type: AWS::Lambda::Function
  Properties:
    Runtime: python3.12
    Handler: app.handler
    Role: !GetAtt WorkerRole.Arn
    Code: {S3Bucket: artifacts, S3Key: worker.zip}
    Environment:
      Variables:
        DB_PASSWORD_SECRET_ARN: !Ref DatabaseSecret
~~~
`,
	Fix: "Store the secret in Secrets Manager or SSM SecureString and pass its ARN or name instead.",
	Check: func(p *scan.Pass) {
		rep := prop.NewReporter(p)
		for _, r := range p.Resources() {
			own := map[string]bool{}
			for _, vars := range prop.Get(p.Eval, r, "Environment", "Variables") {
				for _, name := range varNames(vars.Value) {
					own[name] = true
					reportSecretVar(p, rep, r, vars, name, "")
				}
			}
			globals := prop.ServerlessGlobal(p.Eval, p.Template, r.Type, "Environment", "Variables")
			for _, vars := range globals {
				for _, name := range varNames(vars.Value) {
					if !own[name] {
						vars.At = nil
						where := " (set in " + prop.ServerlessGlobalName(r.Type, "Environment", "Variables") + ")"
						reportSecretVar(p, rep, r, vars, name, where)
					}
				}
			}
		}
	},
}

// varNames returns the variable names of a known Variables mapping.
func varNames(v cfn.Value) []string {
	if !v.Known() || v.Node.Kind != cfn.Map {
		return nil
	}
	var out []string
	for _, pair := range v.Node.Pairs {
		out = append(out, pair.Key)
	}
	return out
}

func reportSecretVar(p *scan.Pass, rep *prop.Reporter, r *cfn.Resource, vars prop.Val, name, where string) {
	if !secretName.MatchString(name) || notSecretName.MatchString(name) {
		return
	}
	for _, v := range prop.Field(p.Eval, []prop.Val{vars}, name) {
		s, ok := v.Str()
		if !ok || !secretValue(s) {
			continue
		}
		if where != "" {
			v.At = nil
		}
		rep.Report(r, v, "environment variable %s holds a secret in plain text%s", name, where)
	}
}
