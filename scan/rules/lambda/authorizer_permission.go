package lambda

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/safetynet-dev/safetynet/cfn"
	"github.com/safetynet-dev/safetynet/scan"
)

// authorizerFunction finds the function ARN in an authorizer URI
// (arn:aws:apigateway:region:lambda:path/2015-03-31/functions/FUNCTION/invocations).
var authorizerFunction = regexp.MustCompile(`/functions/(arn:[^/]+)/invocations`)

// functionARN splits a Lambda function ARN, arn:partition:lambda:region:
// account:function:name[:qualifier], into its account and name.
func functionARN(arn string) (account, name string, ok bool) {
	parts := strings.Split(arn, ":")
	if len(parts) < 7 || parts[0] != "arn" || parts[2] != "lambda" || parts[5] != "function" {
		return "", "", false
	}
	return parts[4], parts[6], true
}

// twelveDigits matches a literal account ID.
var twelveDigits = regexp.MustCompile(`^[0-9]{12}$`)

// AuthorizerCrossAccountPermission reports authorizers that call a function
// of another account that no scanned permission opens to API Gateway.
var AuthorizerCrossAccountPermission = &scan.Rule{
	ID:        "LAMBDA-015",
	Title:     "Authorizer calls a Lambda function in another account that no scanned permission opens",
	Severity:  scan.Warning,
	Resources: []string{"AWS::ApiGateway::Authorizer", "AWS::ApiGatewayV2::Authorizer"},
	Doc: `An API Gateway authorizer whose AuthorizerUri names a function in
another account (a literal account ID in
arn:aws:apigateway:region:lambda:path/2015-03-31/functions/arn:aws:lambda:region:ACCOUNT:function:NAME/invocations)
only works if that account grants API Gateway lambda:InvokeFunction on the
function with an AWS::Lambda::Permission; without it every request through
the authorizer fails with 500 after an otherwise clean deploy. The rule
looks for such a permission among all templates scanned together: one whose
FunctionName is the function's name, ARN or partial ARN (or a Ref or
Fn::GetAtt to a function of that template with that FunctionName). Scan the
token service's template together with the APIs that use it; a permission
deployed from elsewhere cannot be seen and the finding can be suppressed
with that reason. ${AWS::AccountId} in the function ARN is this account
and is not reported. There is no cfn_nag equivalent: cfn_nag scans one
template at a time.

Bad: the API's template, with no permission in the token service's.

~~~yaml
TokenAuthorizer:
  Type: AWS::ApiGateway::Authorizer
  Properties:
    RestApiId: !Ref Api
    Type: TOKEN
    IdentitySource: method.request.header.Authorization
    AuthorizerUri: arn:aws:apigateway:eu-west-1:lambda:path/2015-03-31/functions/arn:aws:lambda:eu-west-1:111122223333:function:token-service/invocations
~~~

Good: the token service's template, scanned with it, grants the API.

~~~yaml
TokenServiceInvoke:
  Type: AWS::Lambda::Permission
  Properties:
    FunctionName: token-service
    Action: lambda:InvokeFunction
    Principal: apigateway.amazonaws.com
    SourceAccount: "444455556666"
    SourceArn: arn:aws:execute-api:eu-west-1:444455556666:a1b2c3d4e5/authorizers/*
~~~
`,
	Fix:      "Add an AWS::Lambda::Permission for apigateway.amazonaws.com, with the API's SourceArn, in the function's account.",
	CheckSet: checkAuthorizerPermissions,
}

// deployed reports whether r can deploy given the supplied parameters.
func deployed(u *scan.Unit, r *cfn.Resource) bool {
	if r.Condition == "" {
		return true
	}
	v, decided := u.Eval.Condition(r.Condition)
	return !decided || v
}

func checkAuthorizerPermissions(p *scan.SetPass) {
	// Gather the functions every permission of the set opens, once: by
	// "account:name" when the account is known and by name.
	var granted map[string]bool
	for _, u := range p.Units {
		for _, r := range u.Template.Resources {
			if (r.Type != "AWS::ApiGateway::Authorizer" && r.Type != "AWS::ApiGatewayV2::Authorizer") || !deployed(u, r) {
				continue
			}
			for _, v := range u.Eval.Values(r.Properties.Get("AuthorizerUri")) {
				s, ok := v.String()
				if !ok {
					if v.Origin != cfn.Unknown || v.Absent {
						continue
					}
					s = v.Text
				}
				m := authorizerFunction.FindStringSubmatch(s)
				if m == nil {
					continue
				}
				account, name, ok := functionARN(m[1])
				if !ok || !twelveDigits.MatchString(account) || strings.Contains(name, "$") {
					continue
				}
				if granted == nil {
					granted = grantedFunctions(p)
				}
				if granted[account+":"+name] || granted[name] {
					continue
				}
				msg := fmt.Sprintf("authorizer calls function %s in account %s, but no AWS::Lambda::Permission in the templates scanned together lets API Gateway invoke it", name, account)
				if d := v.Describe(); d != "" {
					msg += " (" + d + ")"
				}
				at := v.Site
				if at == nil || at.Start.IsZero() {
					at = nil
				}
				p.Report(u.Template, scan.Diagnostic{Resource: r, At: at, Path: "Properties.AuthorizerUri", Message: msg})
			}
		}
	}
}

// grantedFunctions returns the functions the permissions of the set open,
// keyed "account:name" when the permission names the account and "name"
// when it does not.
func grantedFunctions(p *scan.SetPass) map[string]bool {
	out := map[string]bool{}
	for _, u := range p.Units {
		for _, r := range u.Template.Resources {
			if r.Type != "AWS::Lambda::Permission" || !deployed(u, r) {
				continue
			}
			fn := r.Properties.Get("FunctionName")
			for _, v := range u.Eval.Values(fn) {
				for _, key := range permissionKeys(u, v) {
					out[key] = true
				}
			}
		}
	}
	return out
}

// permissionKeys returns the keys under which a permission's FunctionName
// value is granted.
func permissionKeys(u *scan.Unit, v cfn.Value) []string {
	if s, ok := v.String(); ok {
		if account, name, ok := functionARN(s); ok {
			return []string{account + ":" + name}
		}
		// A partial ARN, ACCOUNT:function:NAME, or a plain name.
		parts := strings.Split(s, ":")
		if len(parts) >= 3 && parts[1] == "function" {
			return []string{parts[0] + ":" + parts[2]}
		}
		return []string{parts[0]}
	}
	if v.Origin != cfn.Unknown || v.Site == nil {
		return nil
	}
	// Ref or Fn::GetAtt to a function of the same template: its name.
	name, arg, ok := v.Site.Intrinsic()
	if !ok {
		return nil
	}
	var id string
	switch name {
	case "Ref":
		id, _ = arg.Text()
	case "Fn::GetAtt":
		if s, ok := arg.Text(); ok {
			id, _, _ = strings.Cut(s, ".")
		} else if arg != nil && arg.Kind == cfn.Seq && len(arg.Items) > 0 {
			id, _ = arg.Items[0].Text()
		}
	}
	f := u.Template.Resource(id)
	if f == nil || (f.Type != "AWS::Lambda::Function" && f.Type != "AWS::Serverless::Function") {
		return nil
	}
	var out []string
	for _, fv := range u.Eval.Values(f.Properties.Get("FunctionName")) {
		if s, ok := fv.String(); ok {
			out = append(out, s)
		}
	}
	return out
}
