package logs

import (
	"github.com/safetynet-dev/safetynet/scan"
	"github.com/safetynet-dev/safetynet/scan/rules/internal/prop"
)

// logGroup is the resource type the rules here inspect.
var logGroup = []string{"AWS::Logs::LogGroup"}

// mustBeSet returns a check reporting log groups whose property may be
// absent.
func mustBeSet(what, name string) func(*scan.Pass) {
	return func(p *scan.Pass) {
		rep := prop.NewReporter(p)
		for _, r := range p.Resources() {
			for _, v := range prop.Get(p.Eval, r, name) {
				if v.Absent {
					rep.Report(r, v, "%s: %s", what, v.State(name))
				}
			}
		}
	}
}

// NotEncrypted reports log groups not encrypted with a KMS key.
var NotEncrypted = &scan.Rule{
	ID:        "LOGS-001",
	Aliases:   []string{"W84"},
	Title:     "CloudWatch log group is not encrypted with a KMS key",
	Severity:  scan.Warning,
	Resources: logGroup,
	Doc: `CloudWatch Logs encrypts log data at rest with a service key in any
case; a customer managed KMS key (KmsKeyId) adds a second, auditable
permission on reading the logs, which matters because logs often end up
holding tokens, personal data and request bodies. The key policy must allow
the logs service principal of the region to use the key.

Bad:

~~~yaml
AppLogs:
  Type: AWS::Logs::LogGroup
  Properties:
    RetentionInDays: 90
~~~

Good:

~~~yaml
AppLogs:
  Type: AWS::Logs::LogGroup
  Properties:
    RetentionInDays: 90
    KmsKeyId: !GetAtt LogsKey.Arn
~~~
`,
	Fix:   "Set KmsKeyId to the ARN of a KMS key whose policy allows logs.<region>.amazonaws.com.",
	Check: mustBeSet("CloudWatch log group is not encrypted with a KMS key", "KmsKeyId"),
}

// NoRetention reports log groups that keep their logs forever.
var NoRetention = &scan.Rule{
	ID:        "LOGS-002",
	Aliases:   []string{"W86"},
	Title:     "CloudWatch log group has no retention period",
	Severity:  scan.Warning,
	Resources: logGroup,
	Doc: `Without RetentionInDays a log group keeps its events forever: the
cost grows without bound, and personal data in logs is kept longer than
most privacy rules allow. Choose a retention that matches your audit
requirements (365 days or more for security logs).

Bad:

~~~yaml
AppLogs:
  Type: AWS::Logs::LogGroup
~~~

Good:

~~~yaml
AppLogs:
  Type: AWS::Logs::LogGroup
  Properties:
    RetentionInDays: 365
~~~
`,
	Fix:   "Set RetentionInDays (for example 365).",
	Check: mustBeSet("CloudWatch log group keeps logs forever", "RetentionInDays"),
}
