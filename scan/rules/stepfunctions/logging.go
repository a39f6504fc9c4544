package stepfunctions

import (
	"github.com/safetynet-dev/safetynet/cfn"
	"github.com/safetynet-dev/safetynet/scan"
	"github.com/safetynet-dev/safetynet/scan/rules/internal/prop"
)

// stateMachineTypes are the state machine resources, plain and AWS SAM.
var stateMachineTypes = []string{"AWS::StepFunctions::StateMachine", "AWS::Serverless::StateMachine"}

// configKey returns the name of a state machine's logging or tracing
// property, which AWS SAM spells without the Configuration suffix.
func configKey(r *cfn.Resource, name string) string {
	if r.Type == "AWS::Serverless::StateMachine" {
		return name
	}
	return name + "Configuration"
}

// StateMachineLogging reports state machines that do not log executions.
var StateMachineLogging = &scan.Rule{
	ID:        "SFN-001",
	Title:     "Step Functions state machine does not log to CloudWatch Logs",
	Severity:  scan.Warning,
	Resources: stateMachineTypes,
	Doc: `Without LoggingConfiguration (Logging in AWS SAM), or with Level
OFF (its default), a state machine sends no execution events to CloudWatch
Logs. Standard workflows keep a 90-day history in the console, but express
workflows keep none at all: a failed execution leaves no trace to
investigate. Log at least ERROR to a log group. There is no cfn_nag
equivalent.

Bad:

~~~yaml
Orders:
  Type: AWS::StepFunctions::StateMachine
  Properties:
    RoleArn: !GetAtt OrdersRole.Arn
    DefinitionS3Location: {Bucket: artifacts, Key: orders.asl.json}
~~~

Good:

~~~yaml
Orders:
  Type: AWS::StepFunctions::StateMachine
  Properties:
    RoleArn: !GetAtt OrdersRole.Arn
    DefinitionS3Location: {Bucket: artifacts, Key: orders.asl.json}
    LoggingConfiguration:
      Level: ERROR
      IncludeExecutionData: false
      Destinations:
        - CloudWatchLogsLogGroup:
            LogGroupArn: !GetAtt OrdersLogs.Arn
~~~
`,
	Fix: "Add LoggingConfiguration with Level ERROR or ALL and a CloudWatch Logs destination.",
	Check: func(p *scan.Pass) {
		rep := prop.NewReporter(p)
		for _, r := range p.Resources() {
			key := configKey(r, "Logging")
			for _, cfg := range prop.Get(p.Eval, r, key) {
				if cfg.Absent {
					rep.Report(r, cfg, "state machine does not log executions: %s is not set", key)
					continue
				}
				for _, v := range prop.Field(p.Eval, []prop.Val{cfg}, "Level") {
					if s, ok := v.Str(); v.Absent || (ok && s == "OFF") {
						rep.Report(r, v, "state machine does not log executions: %s (OFF)", v.State("Level"))
					}
				}
			}
		}
	},
}

// StateMachineTracing reports state machines without X-Ray tracing.
var StateMachineTracing = &scan.Rule{
	ID:        "SFN-002",
	Title:     "Step Functions state machine does not turn on X-Ray tracing",
	Severity:  scan.Warning,
	Resources: stateMachineTypes,
	Doc: `With TracingConfiguration.Enabled (Tracing.Enabled in AWS SAM) true,
each execution is traced through X-Ray across the Lambda functions and
services it calls, so a slow or failing step shows where it is. Without it
a failure in a long workflow has to be pieced together from separate logs.
"true" as a string counts; Ref AWS::NoValue counts as not set. There is no
cfn_nag equivalent.

Bad:

~~~yaml
Orders:
  Type: AWS::Serverless::StateMachine
  Properties:
    DefinitionUri: statemachine/orders.asl.json
~~~

Good:

~~~yaml
Orders:
  Type: AWS::Serverless::StateMachine
  Properties:
    DefinitionUri: statemachine/orders.asl.json
    Tracing:
      Enabled: true
~~~
`,
	Fix: "Set TracingConfiguration (SAM: Tracing) Enabled to true.",
	Check: func(p *scan.Pass) {
		rep := prop.NewReporter(p)
		for _, r := range p.Resources() {
			key := configKey(r, "Tracing")
			for _, cfg := range prop.Get(p.Eval, r, key) {
				if cfg.Absent {
					rep.Report(r, cfg, "state machine is not traced: %s is not set", key)
					continue
				}
				for _, v := range prop.Field(p.Eval, []prop.Val{cfg}, "Enabled") {
					if v.NotTrue() {
						rep.Report(r, v, "state machine is not traced: %s", v.State("Enabled"))
					}
				}
			}
		}
	},
}
