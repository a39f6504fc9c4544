package lambda

import (
	"strings"

	"github.com/safetynet-dev/safetynet/cfn"
	"github.com/safetynet-dev/safetynet/scan"
	"github.com/safetynet-dev/safetynet/scan/rules/internal/policy"
	"github.com/safetynet-dev/safetynet/scan/rules/internal/prop"
)

// loggingManagedPolicies are AWS managed policies that let a function
// write its logs.
var loggingManagedPolicies = []string{
	"AWSLambdaBasicExecutionRole",
	"AWSLambdaVPCAccessExecutionRole",
	"AWSLambdaKinesisExecutionRole",
	"AWSLambdaDynamoDBExecutionRole",
	"AWSLambdaSQSQueueExecutionRole",
	"AWSLambdaMSKExecutionRole",
	"AWSLambdaExecute",
	"CloudWatchLogsFullAccess",
	"AdministratorAccess",
	"PowerUserAccess",
}

// logActions are the actions a function needs to write its logs to a log
// group that exists.
var logActions = []string{"logs:CreateLogStream", "logs:PutLogEvents"}

// FunctionLogsPermission reports functions whose execution role may not
// write CloudWatch Logs.
var FunctionLogsPermission = &scan.Rule{
	ID:        "LAMBDA-008",
	Aliases:   []string{"W58"},
	Title:     "Lambda function's execution role cannot be shown to write CloudWatch Logs",
	Severity:  scan.Warning,
	Resources: functionTypes,
	Doc: `A function writes its logs with its execution role. Without
logs:CreateLogStream and logs:PutLogEvents the function runs but logs
nothing, and an incident has no trail. The rule follows Role to an
AWS::IAM::Role of the template (Fn::GetAtt Role.Arn, or ${Role.Arn} in
Fn::Sub) and accepts it when an Allow statement of its inline Policies, of
an AWS::IAM::Policy or AWS::IAM::ManagedPolicy attached to it, grants both
actions (wildcards such as logs:* count), or when it attaches an AWS managed
policy that does (AWSLambdaBasicExecutionRole, AWSLambdaVPCAccessExecutionRole
and the other Lambda execution roles, CloudWatchLogsFullAccess). A managed
policy ARN only known at deploy time is given the benefit of the doubt. As
in cfn_nag, a role that is not declared in the template (a literal ARN, a
parameter, an import) cannot be checked and is reported. Unlike cfn_nag,
logs:CreateLogGroup is not required, since the log group is often declared
in the template; and an AWS SAM function without Role is fine, since SAM
gives it a role with AWSLambdaBasicExecutionRole.

Bad:

~~~yaml
WorkerRole:
  Type: AWS::IAM::Role
  Properties:
    AssumeRolePolicyDocument: {...}
Worker:
  Type: AWS::Lambda::Function
  Properties:
    Role: !GetAtt WorkerRole.Arn
    ...
~~~

Good:

~~~yaml
WorkerRole:
  Type: AWS::IAM::Role
  Properties:
    AssumeRolePolicyDocument: {...}
    ManagedPolicyArns:
      - !Sub arn:${AWS::Partition}:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole
Worker:
  Type: AWS::Lambda::Function
  Properties:
    Role: !GetAtt WorkerRole.Arn
    ...
~~~
`,
	Fix: "Attach AWSLambdaBasicExecutionRole to the execution role, or allow logs:CreateLogStream and logs:PutLogEvents.",
	Check: func(p *scan.Pass) {
		rep := prop.NewReporter(p)
		var attached map[string][]prop.Val
		verdict := map[string]bool{}
		for _, r := range p.Resources() {
			for _, v := range prop.Get(p.Eval, r, "Role") {
				if v.Absent {
					continue
				}
				id := roleID(v)
				role := p.Template.Resource(id)
				if role == nil || role.Type != "AWS::IAM::Role" {
					rep.Report(r, v, "the execution role is not declared in this template, so its CloudWatch Logs permissions cannot be checked")
					continue
				}
				ok, seen := verdict[id]
				if !seen {
					if attached == nil {
						attached = attachedPolicies(p)
					}
					ok = roleCanLog(p.Eval, role, attached[id])
					verdict[id] = ok
				}
				if !ok {
					rep.Report(r, v, "execution role %s does not allow logs:CreateLogStream and logs:PutLogEvents, so the function cannot write its logs", id)
				}
			}
		}
	},
}

// roleID returns the logical id of the resource a Role value takes the ARN
// of (Fn::GetAtt X.Arn, "${X.Arn}", Ref X), or "".
func roleID(v prop.Val) string {
	if v.Site == nil {
		return ""
	}
	name, arg, ok := v.Site.Intrinsic()
	if !ok {
		return ""
	}
	switch name {
	case "Fn::GetAtt":
		if s, ok := arg.Text(); ok {
			id, _, _ := strings.Cut(s, ".")
			return id
		}
		if arg != nil && arg.Kind == cfn.Seq && len(arg.Items) > 0 {
			s, _ := arg.Items[0].Text()
			return s
		}
	case "Fn::Sub":
		s, _ := arg.Text()
		if strings.HasPrefix(s, "${") && strings.HasSuffix(s, ".Arn}") {
			return s[2 : len(s)-5]
		}
	case "Ref":
		s, _ := arg.Text()
		return s
	}
	return ""
}

// attachedPolicies maps role ids to the policy documents of the
// AWS::IAM::Policy and AWS::IAM::ManagedPolicy resources attached to them
// through Roles.
func attachedPolicies(p *scan.Pass) map[string][]prop.Val {
	out := map[string][]prop.Val{}
	for _, r := range p.Template.Resources {
		if r.Type != "AWS::IAM::Policy" && r.Type != "AWS::IAM::ManagedPolicy" {
			continue
		}
		var docs []prop.Val
		for _, ref := range prop.Items(p.Eval, prop.Get(p.Eval, r, "Roles")) {
			id := refID(ref)
			if id == "" {
				continue
			}
			if docs == nil {
				docs = policy.Inline(p.Eval, r)
			}
			out[id] = append(out[id], docs...)
		}
	}
	return out
}

// refID returns X for a value written as Ref X, or "".
func refID(v prop.Val) string {
	if v.Site == nil {
		return ""
	}
	if name, arg, ok := v.Site.Intrinsic(); ok && name == "Ref" {
		s, _ := arg.Text()
		return s
	}
	return ""
}

// roleCanLog reports whether a role may write logs, given the documents of
// the policies attached to it.
func roleCanLog(e *cfn.Evaluator, role *cfn.Resource, docs []prop.Val) bool {
	docs = append(policy.Inline(e, role), docs...)
	for _, arn := range prop.Items(e, prop.Get(e, role, "ManagedPolicyArns")) {
		if id := refID(arn); id != "" {
			if mp := e.Template().Resource(id); mp != nil && mp.Type == "AWS::IAM::ManagedPolicy" {
				docs = append(docs, policy.Inline(e, mp)...)
				continue
			}
		}
		text, known := arn.Str()
		if !known {
			if arn.Origin != cfn.Unknown {
				continue
			}
			text = arn.Text
			if !strings.Contains(text, ":policy/") {
				return true // an ARN known only at deploy time
			}
		}
		for _, name := range loggingManagedPolicies {
			if strings.HasSuffix(text, "/"+name) {
				return true
			}
		}
	}
	granted := make([]bool, len(logActions))
	for _, st := range policy.Statements(e, docs) {
		if !st.Allows() {
			continue
		}
		for _, a := range st.Strings("Action") {
			s, ok := a.Str()
			if !ok {
				continue
			}
			for i, want := range logActions {
				if policy.ActionMatches(s, want) {
					granted[i] = true
				}
			}
		}
	}
	for _, g := range granted {
		if !g {
			return false
		}
	}
	return true
}
