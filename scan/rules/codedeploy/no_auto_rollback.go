package codedeploy

import (
	"github.com/safetynet-dev/safetynet/scan"
	"github.com/safetynet-dev/safetynet/scan/rules/internal/prop"
)

// NoAutoRollback reports deployment groups that do not roll back a failed
// deployment by themselves.
var NoAutoRollback = &scan.Rule{
	ID:        "CODEDEPLOY-001",
	Title:     "CodeDeploy deployment group does not roll back on failure",
	Severity:  scan.Warning,
	Resources: []string{"AWS::CodeDeploy::DeploymentGroup"},
	Doc: `When a deployment fails part way, CodeDeploy leaves the instances (or
the ECS task sets, or the Lambda alias) where the failure stopped them: some
on the new revision, some on the old, or traffic half shifted, until
someone notices and redeploys the last good revision by hand. With
AutoRollbackConfiguration enabled for the DEPLOYMENT_FAILURE event,
CodeDeploy redeploys the last known good revision itself. That is the
safety net a team that lets anyone deploy at 4 a.m. needs; add
DEPLOYMENT_STOP_ON_ALARM with an AlarmConfiguration to roll back on bad
metrics too. The rule reports a deployment group without
AutoRollbackConfiguration, with Enabled not true, or whose Events do not
include DEPLOYMENT_FAILURE; string booleans, parameter defaults and both
branches of Fn::If are read. cfn_nag has no such check.

Bad:

~~~yaml
Resources:
  Group:
    Type: AWS::CodeDeploy::DeploymentGroup
    Properties:
      ApplicationName: !Ref App
      ServiceRoleArn: !GetAtt CodeDeployRole.Arn
      Ec2TagFilters: [{Key: app, Value: web, Type: KEY_AND_VALUE}]
~~~

Good:

~~~yaml
Resources:
  Group:
    Type: AWS::CodeDeploy::DeploymentGroup
    Properties:
      ApplicationName: !Ref App
      ServiceRoleArn: !GetAtt CodeDeployRole.Arn
      Ec2TagFilters: [{Key: app, Value: web, Type: KEY_AND_VALUE}]
      AutoRollbackConfiguration:
        Enabled: true
        Events: [DEPLOYMENT_FAILURE, DEPLOYMENT_STOP_ON_ALARM]
~~~
`,
	Fix:   "Set AutoRollbackConfiguration with Enabled: true and Events including DEPLOYMENT_FAILURE.",
	Check: checkNoAutoRollback,
}

func checkNoAutoRollback(p *scan.Pass) {
	rep := prop.NewReporter(p)
	const what = "failed deployments are not rolled back automatically"
	for _, r := range p.Resources() {
		for _, cfg := range prop.Get(p.Eval, r, "AutoRollbackConfiguration") {
			if cfg.Absent {
				rep.Report(r, cfg, "%s: %s", what, cfg.State("AutoRollbackConfiguration"))
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
			for _, events := range prop.Field(p.Eval, one, "Events") {
				if events.Absent {
					rep.Report(r, events, "%s: %s", what, events.State("Events"))
					continue
				}
				if !events.Known() {
					continue
				}
				found, unknown := false, false
				for _, e := range prop.Items(p.Eval, []prop.Val{events}) {
					s, ok := e.Str()
					found = found || (ok && s == "DEPLOYMENT_FAILURE")
					unknown = unknown || !ok
				}
				if !found && !unknown {
					rep.Report(r, events, "%s: Events does not include DEPLOYMENT_FAILURE", what)
				}
			}
		}
	}
}
