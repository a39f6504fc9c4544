package cloudwatch

import (
	"strings"

	"github.com/safetynet-dev/safetynet/cfn"
	"github.com/safetynet-dev/safetynet/scan"
	"github.com/safetynet-dev/safetynet/scan/rules/internal/prop"
)

// alarms are the resource types the rules here inspect.
var alarms = []string{"AWS::CloudWatch::Alarm", "AWS::CloudWatch::CompositeAlarm"}

// ActionsDisabled reports alarms whose actions are switched off.
var ActionsDisabled = &scan.Rule{
	ID:        "CLOUDWATCH-001",
	Title:     "CloudWatch alarm actions are disabled",
	Severity:  scan.Warning,
	Resources: alarms,
	Doc: `With ActionsEnabled false, the alarm changes state but notifies no
one and triggers nothing: the failure it was written to catch goes
unnoticed, while the alarm gives the impression that it is covered. AWS
recommends keeping alarm actions activated (Security Hub control
CloudWatch.17). Mute alarms during maintenance with alarm mute rules or
composite alarm ActionsSuppressor instead of editing the template.

Bad:

~~~yaml
Errors:
  Type: AWS::CloudWatch::Alarm
  Properties:
    Namespace: AWS/Lambda
    MetricName: Errors
    Statistic: Sum
    Period: 60
    EvaluationPeriods: 1
    Threshold: 1
    ComparisonOperator: GreaterThanOrEqualToThreshold
    ActionsEnabled: false
    AlarmActions: [!Ref OnCallTopic]
~~~

Good:

~~~yaml
Errors:
  Type: AWS::CloudWatch::Alarm
  Properties:
    Namespace: AWS/Lambda
    MetricName: Errors
    Statistic: Sum
    Period: 60
    EvaluationPeriods: 1
    Threshold: 1
    ComparisonOperator: GreaterThanOrEqualToThreshold
    AlarmActions: [!Ref OnCallTopic]
~~~
`,
	Fix: "Remove ActionsEnabled: false (actions are enabled by default).",
	Check: func(p *scan.Pass) {
		rep := prop.NewReporter(p)
		for _, r := range p.Resources() {
			for _, v := range prop.Get(p.Eval, r, "ActionsEnabled") {
				if b, ok := v.Bool(); ok && !b {
					rep.Report(r, v, "CloudWatch alarm notifies no one: %s", v.State("ActionsEnabled"))
				}
			}
		}
	},
}

// NoAlarmActions reports alarms that do nothing when they go off.
var NoAlarmActions = &scan.Rule{
	ID:        "CLOUDWATCH-002",
	Title:     "CloudWatch alarm has no alarm actions",
	Severity:  scan.Info,
	Resources: alarms,
	Doc: `An alarm without AlarmActions changes state silently: no topic is
notified, no scaling policy or automation runs. AWS recommends at least one
action for the ALARM state (Security Hub control CloudWatch.15). An alarm
that only feeds a composite alarm of the same template (named in its
AlarmRule) is not reported; one watched some other way (EventBridge rules
on alarm state changes, a dashboard) deserves a suppression saying so.

Bad:

~~~yaml
Errors:
  Type: AWS::CloudWatch::Alarm
  Properties:
    Namespace: AWS/Lambda
    MetricName: Errors
    Statistic: Sum
    Period: 60
    EvaluationPeriods: 1
    Threshold: 1
    ComparisonOperator: GreaterThanOrEqualToThreshold
~~~

Good:

~~~yaml
Errors:
  Type: AWS::CloudWatch::Alarm
  Properties:
    Namespace: AWS/Lambda
    MetricName: Errors
    Statistic: Sum
    Period: 60
    EvaluationPeriods: 1
    Threshold: 1
    ComparisonOperator: GreaterThanOrEqualToThreshold
    AlarmActions: [!Ref OnCallTopic]
~~~
`,
	Fix: "Add AlarmActions (an SNS topic, a scaling policy, an automation).",
	Check: func(p *scan.Pass) {
		res := p.Resources()
		var rules []string
		for _, r := range res {
			if r.Type != "AWS::CloudWatch::CompositeAlarm" {
				continue
			}
			for _, v := range prop.Get(p.Eval, r, "AlarmRule") {
				rules = append(rules, text(v.Value))
			}
		}
		used := func(r *cfn.Resource) bool {
			names := []string{"${" + r.ID + "}", "${" + r.ID + ".Arn}", "Ref " + r.ID, r.ID + ".Arn"}
			for _, v := range prop.Get(p.Eval, r, "AlarmName") {
				if s, ok := v.Str(); ok {
					names = append(names, s)
				}
			}
			for _, rule := range rules {
				for _, n := range names {
					if strings.Contains(rule, n) {
						return true
					}
				}
			}
			return false
		}
		rep := prop.NewReporter(p)
		for _, r := range res {
			for _, v := range prop.Get(p.Eval, r, "AlarmActions") {
				if v.Absent || (v.Known() && len(prop.Items(p.Eval, []prop.Val{v})) == 0) {
					if r.Type == "AWS::CloudWatch::Alarm" && used(r) {
						break
					}
					rep.Report(r, v, "CloudWatch alarm does nothing when it goes off: AlarmActions is empty or not set")
				}
			}
		}
	},
}

// text returns a value as a string, known or symbolic.
func text(v cfn.Value) string {
	if s, ok := v.String(); ok {
		return s
	}
	if v.Origin == cfn.Unknown {
		return v.Text
	}
	return ""
}
