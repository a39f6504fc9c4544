package serverless

import (
	"fmt"

	"github.com/safetynet-dev/safetynet/cfn"
	"github.com/safetynet-dev/safetynet/scan"
	"github.com/safetynet-dev/safetynet/scan/rules/internal/policy"
	"github.com/safetynet-dev/safetynet/scan/rules/internal/prop"
)

// policyTypes are the AWS SAM resources with a Policies property.
var policyTypes = []string{"AWS::Serverless::Function", "AWS::Serverless::StateMachine"}

// inlineDocuments returns the policy documents written in a SAM resource's
// Policies: the entries that are documents (with a Statement), leaving out
// managed policy names and ARNs and SAM policy templates such as
// S3ReadPolicy, which SAM scopes itself.
func inlineDocuments(e *cfn.Evaluator, r *cfn.Resource) []prop.Val {
	var docs []prop.Val
	for _, v := range prop.Items(e, prop.Get(e, r, "Policies")) {
		if v.Known() && v.Node.Kind == cfn.Map && v.Node.Pair("Statement") != nil {
			docs = append(docs, v)
		}
	}
	return docs
}

// allowItems returns a check calling bad on each element of key in the
// Allow statements of a SAM resource's inline policies.
func allowItems(key string, bad func(string) bool, msg func(string) string) func(*scan.Pass) {
	return func(p *scan.Pass) {
		rep := prop.NewReporter(p)
		for _, r := range p.Resources() {
			for _, st := range policy.Statements(p.Eval, inlineDocuments(p.Eval, r)) {
				if !st.Allows() {
					continue
				}
				for _, v := range st.Strings(key) {
					if s, ok := v.Str(); ok && bad(s) {
						rep.Report(r, v, "%s", msg(s))
					}
				}
			}
		}
	}
}

// PolicyWildcardAction reports SAM inline policies that allow every action
// of a service.
var PolicyWildcardAction = &scan.Rule{
	ID:        "SAM-001",
	Title:     "AWS SAM function or state machine policy allows a wildcard action",
	Severity:  scan.Failure,
	Resources: policyTypes,
	Doc: `SAM turns the Policies of an AWS::Serverless::Function or
StateMachine into the inline policy of the role it creates, so an Allow
statement with Action "*" or "service:*" there grants every present and
future action of the service, as it would on an AWS::IAM::Role (IAM-001).
cfn_nag cannot see it before the transform, nor can its findings be
suppressed on the SAM resource (cfn_nag issues 422 and 522); here the
finding is the SAM resource's, at the statement's line. Managed policy
names and ARNs and SAM policy templates (S3ReadPolicy, DynamoDBCrudPolicy...)
are not read: SAM scopes the templates to the resource they name.

Bad:

~~~yaml
Worker:
  Type: AWS::Serverless::Function
  Properties:
    Runtime: python3.12
    Handler: app.handler
    Policies:
      - Statement:
          - Effect: Allow
            Action: "s3:*"
            Resource: !Sub "${Data.Arn}/*"
~~~

Good:

~~~yaml
Worker:
  Type: AWS::Serverless::Function
  Properties:
    Runtime: python3.12
    Handler: app.handler
    Policies:
      - S3ReadPolicy:
          BucketName: !Ref Data
~~~
`,
	Fix: "List the actions the function needs, or use a SAM policy template.",
	Check: allowItems("Action", policy.WildcardAction, func(s string) string {
		return fmt.Sprintf("policy allows every action matching %q", s)
	}),
}

// PolicyWildcardResource reports SAM inline policies that allow actions on
// every resource.
var PolicyWildcardResource = &scan.Rule{
	ID:        "SAM-002",
	Title:     "AWS SAM function or state machine policy allows actions on every resource",
	Severity:  scan.Warning,
	Resources: policyTypes,
	Doc: `An Allow statement with Resource "*" in the Policies of an
AWS::Serverless::Function or StateMachine applies its actions to every
resource of the account, as on an AWS::IAM::Role (IAM-002). Some actions
(xray:PutTraceSegments, ec2:Describe*) only work with "*", which is why this
is a warning; scope the others to the ARNs they need. The finding is the
SAM resource's, at the statement's line, and can be suppressed there.

Bad:

~~~yaml
Worker:
  Type: AWS::Serverless::Function
  Properties:
    Policies:
      - Statement:
          - Effect: Allow
            Action: dynamodb:GetItem
            Resource: "*"
~~~

Good:

~~~yaml
Worker:
  Type: AWS::Serverless::Function
  Properties:
    Policies:
      - Statement:
          - Effect: Allow
            Action: dynamodb:GetItem
            Resource: !GetAtt Table.Arn
~~~
`,
	Fix: "Scope Resource to the ARNs the statement needs.",
	Check: allowItems("Resource", func(s string) bool { return s == "*" }, func(string) string {
		return `policy allows actions on Resource "*"`
	}),
}
