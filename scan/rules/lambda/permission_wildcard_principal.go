// Package lambda holds the rules for Lambda functions and permissions.
package lambda

import (
	"github.com/safetynet-dev/safetynet/scan"
	"github.com/safetynet-dev/safetynet/scan/rules/internal/policy"
	"github.com/safetynet-dev/safetynet/scan/rules/internal/prop"
)

// PermissionWildcardPrincipal reports Lambda permissions granted to anyone.
var PermissionWildcardPrincipal = &scan.Rule{
	ID:        "LAMBDA-001",
	Aliases:   []string{"F13"},
	Title:     "Lambda permission is granted to a wildcard principal",
	Severity:  scan.Failure,
	Resources: []string{"AWS::Lambda::Permission"},
	Doc: `A Lambda permission with Principal "*" lets any AWS account (and, for
function URLs, anyone on the internet) invoke the function. Grant the
permission to the service or account that calls it, and scope service
principals with SourceArn or SourceAccount.

Bad:

~~~yaml
Invoke:
  Type: AWS::Lambda::Permission
  Properties:
    FunctionName: !Ref Handler
    Action: lambda:InvokeFunction
    Principal: "*"
~~~

Good:

~~~yaml
Invoke:
  Type: AWS::Lambda::Permission
  Properties:
    FunctionName: !Ref Handler
    Action: lambda:InvokeFunction
    Principal: s3.amazonaws.com
    SourceArn: !GetAtt Uploads.Arn
    SourceAccount: !Ref AWS::AccountId
~~~
`,
	Fix: "Name the service or account that invokes the function instead of \"*\".",
	Check: func(p *scan.Pass) {
		rep := prop.NewReporter(p)
		for _, r := range p.Resources() {
			for _, v := range prop.Get(p.Eval, r, "Principal") {
				if s, ok := v.Str(); ok && policy.WildcardPrincipal(s) {
					rep.Report(r, v, "Lambda permission is granted to principal %q", s)
				}
			}
		}
	},
}
