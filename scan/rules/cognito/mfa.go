package cognito

import (
	"github.com/safetynet-dev/safetynet/cfn"
	"github.com/safetynet-dev/safetynet/scan"
	"github.com/safetynet-dev/safetynet/scan/rules/internal/prop"
)

// UserPoolMFA reports user pools where MFA is off.
var UserPoolMFA = &scan.Rule{
	ID:        "COGNITO-001",
	Aliases:   []string{"F78"},
	Title:     "Cognito user pool does not turn on MFA",
	Severity:  scan.Failure,
	Resources: []string{"AWS::Cognito::UserPool"},
	Doc: `With MfaConfiguration OFF (the default when it is not set) a stolen
or guessed password is all it takes to sign in as a user. Set it to "ON", or
at least "OPTIONAL" so users can enrol a second factor. Write the value in
quotes: unquoted ON and OFF are YAML booleans, which CloudFormation rejects
or misreads, so they are reported too. As in cfn_nag, a parameter is read
through its Default; unlike cfn_nag, Fn::If branches and supplied parameter
values are read as well.

Bad:

~~~yaml
Users:
  Type: AWS::Cognito::UserPool
  Properties:
    MfaConfiguration: "OFF"
~~~

Good:

~~~yaml
Users:
  Type: AWS::Cognito::UserPool
  Properties:
    MfaConfiguration: "ON"
    EnabledMfas: [SOFTWARE_TOKEN_MFA]
~~~
`,
	Fix: `Set MfaConfiguration to "ON" (or "OPTIONAL"), in quotes.`,
	Check: func(p *scan.Pass) {
		rep := prop.NewReporter(p)
		for _, r := range p.Resources() {
			for _, v := range prop.Get(p.Eval, r, "MfaConfiguration") {
				switch {
				case v.Absent:
					rep.Report(r, v, "user pool does not require MFA: MfaConfiguration is not set (OFF)")
				case !v.Known():
				case v.Node.Kind == cfn.Bool:
					rep.Report(r, v, "MfaConfiguration is the YAML boolean %s, not the string \"ON\" or \"OPTIONAL\": quote it", v.Node.Value)
				default:
					if s, ok := v.Str(); ok && s != "ON" && s != "OPTIONAL" {
						rep.Report(r, v, "user pool does not require MFA: %s", v.State("MfaConfiguration"))
					}
				}
			}
		}
	},
}
