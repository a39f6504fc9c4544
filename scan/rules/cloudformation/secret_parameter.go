package cloudformation

import (
	"regexp"
	"strings"

	"github.com/safetynet-dev/safetynet/cfn"
	"github.com/safetynet-dev/safetynet/scan"
	"github.com/safetynet-dev/safetynet/scan/rules/internal/check"
)

// SecretParameter reports parameters that look like secrets but are shown
// in the console or written in the template.
var SecretParameter = &scan.Rule{
	ID:       "CFN-006",
	Title:    "Secret parameter is not NoEcho or has a Default",
	Severity: scan.Warning,
	Doc: `A parameter named like a password, secret, token or key holds a secret
wherever it ends up, including places no other rule knows to look at (user
data, environment variables, custom resources). Without NoEcho its value
is shown in the CloudFormation console and returned by DescribeStacks to
anyone who may read the stack; with a Default the secret is written in the
template itself and in every copy of it. AWS's documentation asks for
NoEcho on sensitive parameters, and better, dynamic references to Secrets
Manager or SSM SecureString parameters. The rule reports, for a parameter
whose name ends in password, secret, token or a secret key (ApiKey,
PrivateKey), not in a pointer to one (DbPasswordArn, SecretName) or a
setting (MaxPasswordAge), whose type is neither a number nor an SSM
parameter type, and whose AllowedPattern or Default is not an ARN or an S3
URI and whose Description does not call it an ARN (a pointer to the
secret): a missing or false NoEcho, and a non-empty Default that is
not a dynamic reference. There is no cfn_nag equivalent (cfn_nag checks the
parameter only where it flows into a property it knows).

Bad:

~~~yaml
Parameters:
  GitHubToken:
    Type: String
    Default: ghp_0123456789abcdef
~~~

Good:

~~~yaml
Parameters:
  GitHubToken:
    Type: String
    NoEcho: true
~~~
`,
	Fix:      "Set NoEcho: true and remove the Default, or read the secret with a {{resolve:secretsmanager:...}} dynamic reference.",
	CheckSet: checkSecretParameters,
}

func checkSecretParameters(p *scan.SetPass) {
	for _, u := range templates(p.Units) {
		for _, par := range u.Template.Parameters {
			if !check.CFNSecretName(par.Name) || strings.HasPrefix(par.Type, "AWS::") || strings.Contains(par.Type, "Number") || pointerParameter(par) {
				continue
			}
			if !par.NoEcho {
				at := keyNode(par.Name, par.KeyStart)
				if pair := par.Node.Pair("NoEcho"); pair != nil {
					at = pair.Value
				}
				p.Report(u.Template, scan.Diagnostic{
					At:      at,
					Path:    "Parameters." + par.Name + ".NoEcho",
					Message: "parameter " + par.Name + " looks like a secret but is not NoEcho: its value shows in the console and DescribeStacks",
				})
			}
			if par.Default == nil {
				continue
			}
			s, ok := par.Default.Text()
			if !ok || s == "" || strings.HasPrefix(s, check.SecretsManager) || strings.HasPrefix(s, check.SSMSecure) {
				continue
			}
			p.Report(u.Template, scan.Diagnostic{
				At:      par.Default,
				Path:    "Parameters." + par.Name + ".Default",
				Message: "parameter " + par.Name + " looks like a secret and its Default is written in the template in plain text",
			})
		}
	}
}

// arnWord finds "ARN" as a word in a parameter's Description.
var arnWord = regexp.MustCompile(`(?i)\barns?\b`)

// pointerParameter reports whether a parameter holds where a secret is
// rather than the secret: its AllowedPattern asks for an ARN or an S3 URI,
// its Default is one, or its Description says it is an ARN.
func pointerParameter(par *cfn.Parameter) bool {
	if desc, ok := par.Node.Get("Description").Text(); ok && arnWord.MatchString(desc) {
		return true
	}
	if pat, ok := par.Node.Get("AllowedPattern").Text(); ok && (strings.Contains(pat, "arn:") || strings.Contains(pat, "s3:")) {
		return true
	}
	if def, ok := par.Default.Text(); ok && (strings.HasPrefix(def, "arn:") || strings.HasPrefix(def, "s3://")) {
		return true
	}
	return false
}
