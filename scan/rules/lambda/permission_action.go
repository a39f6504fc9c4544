package lambda

import (
	"strings"

	"github.com/safetynet-dev/safetynet/scan"
	"github.com/safetynet-dev/safetynet/scan/rules/internal/prop"
)

// PermissionAction reports Lambda permissions for an action other than
// invoking the function.
var PermissionAction = &scan.Rule{
	ID:        "LAMBDA-002",
	Aliases:   []string{"W24"},
	Title:     "Lambda permission grants an action other than lambda:InvokeFunction",
	Severity:  scan.Warning,
	Resources: []string{"AWS::Lambda::Permission"},
	Doc: `A Lambda permission is a statement in the function's resource
policy. Services and other accounts only need lambda:InvokeFunction (or, for
a function URL, lambda:InvokeFunctionUrl); other actions such as
lambda:GetFunction expose the code and configuration, including environment
variables. cfn_nag also flags lambda:InvokeFunctionUrl, which function URLs
require; this rule accepts it. A wildcard action (lambda:* or *) is reported
by LAMBDA-003 as a failure instead.

Bad:

~~~yaml
Invoke:
  Type: AWS::Lambda::Permission
  Properties:
    FunctionName: !Ref Handler
    Action: lambda:GetFunction
    Principal: !Ref PartnerAccount
~~~

Good:

~~~yaml
Invoke:
  Type: AWS::Lambda::Permission
  Properties:
    FunctionName: !Ref Handler
    Action: lambda:InvokeFunction
    Principal: events.amazonaws.com
    SourceArn: !GetAtt Schedule.Arn
~~~
`,
	Fix: "Grant lambda:InvokeFunction only.",
	Check: func(p *scan.Pass) {
		rep := prop.NewReporter(p)
		for _, r := range p.Resources() {
			for _, v := range prop.Get(p.Eval, r, "Action") {
				if v.Absent {
					rep.Report(r, v, "Lambda permission does not set Action")
					continue
				}
				s, ok := v.Str()
				if !ok || strings.Contains(s, "*") || invokeAction(s) {
					continue
				}
				rep.Report(r, v, "Lambda permission grants %q instead of lambda:InvokeFunction", s)
			}
		}
	},
}

// invokeAction reports whether a permission action only invokes the
// function.
func invokeAction(s string) bool {
	return strings.EqualFold(s, "lambda:InvokeFunction") || strings.EqualFold(s, "lambda:InvokeFunctionUrl")
}

// PermissionWildcardAction reports Lambda permissions for every action.
var PermissionWildcardAction = &scan.Rule{
	ID:        "LAMBDA-003",
	Title:     "Lambda permission grants a wildcard action",
	Severity:  scan.Failure,
	Resources: []string{"AWS::Lambda::Permission"},
	Doc: `Action "lambda:*" (or "*", or any pattern with a wildcard) in a
Lambda permission lets the principal do everything the function's resource
policy allows: read the code and environment variables, and for some
principals change the function itself. A caller only needs
lambda:InvokeFunction. cfn_nag reports this only as its warning W24.

Bad:

~~~yaml
Invoke:
  Type: AWS::Lambda::Permission
  Properties:
    FunctionName: !Ref Authorizer
    Action: "lambda:*"
    Principal: apigateway.amazonaws.com
    SourceArn: !Sub "arn:aws:execute-api:${AWS::Region}:${AWS::AccountId}:${Api}/*"
~~~

Good:

~~~yaml
Invoke:
  Type: AWS::Lambda::Permission
  Properties:
    FunctionName: !Ref Authorizer
    Action: lambda:InvokeFunction
    Principal: apigateway.amazonaws.com
    SourceArn: !Sub "arn:aws:execute-api:${AWS::Region}:${AWS::AccountId}:${Api}/*"
~~~
`,
	Fix: "Replace the wildcard with lambda:InvokeFunction.",
	Check: func(p *scan.Pass) {
		rep := prop.NewReporter(p)
		for _, r := range p.Resources() {
			for _, v := range prop.Get(p.Eval, r, "Action") {
				if s, ok := v.Str(); ok && strings.Contains(s, "*") {
					rep.Report(r, v, "Lambda permission grants every action matching %q instead of lambda:InvokeFunction", s)
				}
			}
		}
	},
}
