package lambda

import (
	"regexp"
	"strings"

	"github.com/safetynet-dev/safetynet/cfn"
	"github.com/safetynet-dev/safetynet/scan"
	"github.com/safetynet-dev/safetynet/scan/rules/internal/prop"
)

// accountPrincipal matches a principal that is a whole account: its ID or
// its root ARN.
var accountPrincipal = regexp.MustCompile(`^(?:[0-9]{12}|arn:aws[a-z-]*:iam::[0-9]{12}:root)$`)

// accountID finds an account ID in a principal.
var accountID = regexp.MustCompile(`[0-9]{12}`)

// missing reports whether the property at key of r may be absent on a
// branch that can hold together with v, and returns v with the conditions
// of that branch added.
func missing(p *scan.Pass, r *cfn.Resource, v prop.Val, key string) (prop.Val, bool) {
	for _, s := range prop.Get(p.Eval, r, key) {
		if s.Absent {
			if both, ok := prop.Both(v, s); ok {
				return both, true
			}
		}
	}
	return v, false
}

// missingBoth is missing for two properties that each would do.
func missingBoth(p *scan.Pass, r *cfn.Resource, v prop.Val, a, b string) (prop.Val, bool) {
	va, ok := missing(p, r, v, a)
	if !ok {
		return v, false
	}
	return missing(p, r, va, b)
}

// PermissionAccountPrincipal reports permissions that open a function to a
// whole account without naming the source.
var PermissionAccountPrincipal = &scan.Rule{
	ID:        "LAMBDA-005",
	Title:     "Lambda permission opens the function to a whole account",
	Severity:  scan.Failure,
	Resources: []string{"AWS::Lambda::Permission"},
	Doc: `A permission whose Principal is an account ID (or its root ARN) lets
every user and role of that account, and every service acting for them,
invoke the function, as far as their own IAM policies allow: the owner of the
function no longer decides who calls it. The rule reports an account written
in the template (a literal or a parameter default; ${AWS::AccountId} is this
account and is not reported) when neither SourceArn nor SourceAccount narrows
the permission. Grant the permission to the service that calls the function
(apigateway.amazonaws.com with the API's SourceArn and, for another account,
SourceAccount), or to a named role in the other account. There is no cfn_nag
equivalent.

Bad:

~~~yaml
TokenServiceInvoke:
  Type: AWS::Lambda::Permission
  Properties:
    FunctionName: !Ref TokenAuthorizer
    Action: lambda:InvokeFunction
    Principal: "111122223333"
~~~

Good:

~~~yaml
TokenServiceInvoke:
  Type: AWS::Lambda::Permission
  Properties:
    FunctionName: !Ref TokenAuthorizer
    Action: lambda:InvokeFunction
    Principal: apigateway.amazonaws.com
    SourceAccount: "111122223333"
    SourceArn: arn:aws:execute-api:eu-west-1:111122223333:a1b2c3d4e5/authorizers/*
~~~
`,
	Fix: "Grant the permission to the calling service with SourceArn and SourceAccount, or to a named role.",
	Check: func(p *scan.Pass) {
		rep := prop.NewReporter(p)
		for _, r := range p.Resources() {
			for _, v := range prop.Get(p.Eval, r, "Principal") {
				s, ok := v.Str()
				if !ok || !accountPrincipal.MatchString(s) {
					continue
				}
				if w, ok := missingBoth(p, r, v, "SourceArn", "SourceAccount"); ok {
					rep.Report(r, w, "Lambda permission is granted to every identity of account %s, with neither SourceArn nor SourceAccount", accountID.FindString(s))
				}
			}
		}
	},
}

// placeholder matches a ${...} fragment of a string that is not fully known.
var placeholder = regexp.MustCompile(`\$\{[^}]*\}`)

// known returns the text of a string value with each part not known before
// deploy replaced by "?", and whether the value is a string at all. A
// wildcard is only a wildcard when it is written in the text.
func known(v prop.Val) (string, bool) {
	if s, ok := v.Str(); ok {
		return s, true
	}
	if v.Absent || v.Origin != cfn.Unknown || v.Site == nil {
		return "", false
	}
	if name, _, ok := v.Site.Intrinsic(); !ok || (name != "Fn::Sub" && name != "Fn::Join") {
		return "", false
	}
	return placeholder.ReplaceAllString(v.Text, "?"), true
}

// executeAPIProblem says what is too wide in an execute-api SourceArn
// (arn:aws:execute-api:region:account:apiId/stage/method/path), or "".
func executeAPIProblem(arn string) string {
	if arn == "*" {
		return "is \"*\""
	}
	parts := strings.SplitN(arn, ":", 6)
	if len(parts) < 6 || parts[0] != "arn" || (parts[2] != "execute-api" && parts[2] != "?") {
		return ""
	}
	account := parts[4]
	api, _, _ := strings.Cut(parts[5], "/")
	switch {
	case strings.Contains(account, "*") || account == "":
		return "matches any account"
	case strings.Contains(api, "*") || api == "":
		return "matches any API"
	}
	return ""
}

// PermissionAPIGatewaySource reports API Gateway permissions not tied to
// one API.
var PermissionAPIGatewaySource = &scan.Rule{
	ID:        "LAMBDA-006",
	Title:     "Lambda permission for API Gateway is not limited to one API",
	Severity:  scan.Failure,
	Resources: []string{"AWS::Lambda::Permission"},
	Doc: `Principal apigateway.amazonaws.com without SourceArn lets any API in
any account invoke the function: anyone who learns its ARN can point an
integration or an authorizer at it. With a SourceArn whose account or API id
is a wildcard (arn:aws:execute-api:*:*:*/* or arn:aws:execute-api:eu-west-1:*:*)
the door is as wide. The SourceArn is read as
arn:aws:execute-api:region:account:apiId/stage/method/path, also when built
with Fn::Sub or Fn::Join; a part that is only known at deploy time
(${AWS::AccountId}, ${Api}) is taken as a specific value, not a wildcard. A
wildcard stage, method or path is fine. There is no cfn_nag equivalent.

Bad:

~~~yaml
AuthorizerInvoke:
  Type: AWS::Lambda::Permission
  Properties:
    FunctionName: !GetAtt TokenAuthorizer.Arn
    Action: lambda:InvokeFunction
    Principal: apigateway.amazonaws.com
    SourceArn: arn:aws:execute-api:eu-west-1:*:*/authorizers/*
~~~

Good:

~~~yaml
AuthorizerInvoke:
  Type: AWS::Lambda::Permission
  Properties:
    FunctionName: !GetAtt TokenAuthorizer.Arn
    Action: lambda:InvokeFunction
    Principal: apigateway.amazonaws.com
    SourceAccount: "111122223333"
    SourceArn: arn:aws:execute-api:eu-west-1:111122223333:a1b2c3d4e5/authorizers/*
~~~
`,
	Fix: "Set SourceArn to the API's execute-api ARN (arn:aws:execute-api:region:account:apiId/*).",
	Check: func(p *scan.Pass) {
		rep := prop.NewReporter(p)
		for _, r := range p.Resources() {
			for _, v := range prop.Get(p.Eval, r, "Principal") {
				if s, ok := v.Str(); !ok || s != "apigateway.amazonaws.com" {
					continue
				}
				for _, src := range prop.Get(p.Eval, r, "SourceArn") {
					if !prop.Compatible(v.Conds, src.Conds) {
						continue
					}
					if src.Absent {
						w, _ := prop.Both(v, src)
						rep.Report(r, w, "Lambda permission lets any API Gateway API in any account invoke the function: SourceArn is not set")
						continue
					}
					if arn, ok := known(src); ok {
						if why := executeAPIProblem(arn); why != "" {
							rep.Report(r, src, "Lambda permission for API Gateway has a SourceArn that %s: %s", why, arn)
						}
					}
				}
			}
		}
	},
}

// PermissionServiceSource reports service principals without a source.
var PermissionServiceSource = &scan.Rule{
	ID:        "LAMBDA-007",
	Title:     "Lambda permission for a service does not name the source resource or account",
	Severity:  scan.Warning,
	Resources: []string{"AWS::Lambda::Permission"},
	Doc: `A permission for a service principal (s3.amazonaws.com,
sns.amazonaws.com, events.amazonaws.com...) without SourceArn or
SourceAccount lets that service invoke the function on behalf of any of its
customers: another account's bucket, topic or rule that names the function
can trigger it (the confused deputy problem). Name the resource with
SourceArn, and for S3, whose bucket ARNs carry no account, the account with
SourceAccount. API Gateway is reported by LAMBDA-006. There is no cfn_nag
equivalent.

Bad:

~~~yaml
UploadInvoke:
  Type: AWS::Lambda::Permission
  Properties:
    FunctionName: !Ref OnUpload
    Action: lambda:InvokeFunction
    Principal: s3.amazonaws.com
~~~

Good:

~~~yaml
UploadInvoke:
  Type: AWS::Lambda::Permission
  Properties:
    FunctionName: !Ref OnUpload
    Action: lambda:InvokeFunction
    Principal: s3.amazonaws.com
    SourceAccount: !Ref AWS::AccountId
    SourceArn: !GetAtt Uploads.Arn
~~~
`,
	Fix: "Set SourceArn (and SourceAccount) to the resource that invokes the function.",
	Check: func(p *scan.Pass) {
		rep := prop.NewReporter(p)
		for _, r := range p.Resources() {
			for _, v := range prop.Get(p.Eval, r, "Principal") {
				s, ok := v.Str()
				if !ok || !strings.HasSuffix(s, ".amazonaws.com") || s == "apigateway.amazonaws.com" {
					continue
				}
				if w, ok := missingBoth(p, r, v, "SourceArn", "SourceAccount"); ok {
					rep.Report(r, w, "Lambda permission lets %s invoke the function for any account: neither SourceArn nor SourceAccount is set", s)
				}
			}
		}
	},
}
