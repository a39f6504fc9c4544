package codedeploy

import (
	"github.com/safetynet-dev/safetynet/scan"
	"github.com/safetynet-dev/safetynet/scan/rules/internal/prop"
)

// NoAlarms reports deployment groups that no CloudWatch alarm can stop.
var NoAlarms = &scan.Rule{
	ID:        "CODEDEPLOY-003",
	Title:     "CodeDeploy deployment group has no alarms to stop a bad deployment",
	Severity:  scan.Info,
	Resources: []string{"AWS::CodeDeploy::DeploymentGroup"},
	Doc: `A deployment can succeed by CodeDeploy's measure (every lifecycle hook
passed) and still break the service: errors rise, latency climbs, sign-ins
drop. An AlarmConfiguration names CloudWatch alarms that stop the
deployment when they fire, and with DEPLOYMENT_STOP_ON_ALARM in
AutoRollbackConfiguration the previous revision comes back without anyone
being woken up. AWS's CodeDeploy documentation recommends monitoring
deployments with alarms. The rule reports a deployment group without
AlarmConfiguration, with Enabled not true, or without Alarms; string
booleans, parameter defaults and both branches of Fn::If are read. cfn_nag
has no such check.

Bad:

~~~yaml
Resources:
  Group:
    Type: AWS::CodeDeploy::DeploymentGroup
    Properties:
      ApplicationName: !Ref App
      ServiceRoleArn: !GetAtt CodeDeployRole.Arn
~~~

Good:

~~~yaml
Resources:
  Group:
    Type: AWS::CodeDeploy::DeploymentGroup
    Properties:
      ApplicationName: !Ref App
      ServiceRoleArn: !GetAtt CodeDeployRole.Arn
      AlarmConfiguration:
        Enabled: true
        Alarms: [{Name: !Ref Http5xxAlarm}]
      AutoRollbackConfiguration:
        Enabled: true
        Events: [DEPLOYMENT_FAILURE, DEPLOYMENT_STOP_ON_ALARM]
~~~
`,
	Fix:   "Add an AlarmConfiguration with the alarms that show the service is healthy, and DEPLOYMENT_STOP_ON_ALARM to the rollback events.",
	Check: checkNoAlarms,
}

func checkNoAlarms(p *scan.Pass) {
	rep := prop.NewReporter(p)
	const what = "no CloudWatch alarm can stop a bad deployment"
	for _, r := range p.Resources() {
		for _, cfg := range prop.Get(p.Eval, r, "AlarmConfiguration") {
			if cfg.Absent {
				rep.Report(r, cfg, "%s: %s", what, cfg.State("AlarmConfiguration"))
				continue
			}
			one := []prop.Val{cfg}
			enabled := false
			for _, v := range prop.Field(p.Eval, one, "Enabled") {
				if v.NotTrue() {
					rep.Report(r, v, "%s: %s", what, v.State("Enabled"))
				} else {
					enabled = true
				}
			}
			if !enabled {
				continue
			}
			for _, alarms := range prop.Field(p.Eval, one, "Alarms") {
				if alarms.Absent || (alarms.Known() && len(prop.Items(p.Eval, []prop.Val{alarms})) == 0) {
					rep.Report(r, alarms, "%s: AlarmConfiguration names no Alarms", what)
				}
			}
		}
	}
}
