package codedeploy

import (
	"strings"

	"github.com/safetynet-dev/safetynet/scan"
	"github.com/safetynet-dev/safetynet/scan/rules/internal/prop"
)

// AllAtOnce reports in-place deployments that take every instance out of
// service at once.
var AllAtOnce = &scan.Rule{
	ID:        "CODEDEPLOY-002",
	Title:     "CodeDeploy deployment updates every instance or shifts all traffic at once",
	Severity:  scan.Warning,
	Resources: []string{"AWS::CodeDeploy::DeploymentConfig", "AWS::CodeDeploy::DeploymentGroup"},
	Doc: `An in-place deployment stops the application on each instance, installs
the new revision and starts it again. With CodeDeployDefault.AllAtOnce, or
a deployment configuration whose MinimumHealthyHosts is 0 hosts or 0 % of
the fleet, CodeDeploy does that on every instance at the same time: the
service is down for the whole deployment, and a bad revision reaches every
instance before any health check can stop it. CodeDeployDefault.HalfAtATime
or OneAtATime (the default), or a MinimumHealthyHosts above zero, keep part
of the fleet serving. Likewise CodeDeployDefault.LambdaAllAtOnce sends all of
a function's traffic to the new version at once, which AWS Config's managed
rule codedeploy-lambda-allatonce-traffic-shift-disabled reports; a canary or
linear configuration lets alarms stop a bad version on a fraction of the
traffic. The rule reports a deployment group that names
CodeDeployDefault.LambdaAllAtOnce, an in-place deployment group
(DeploymentStyle.DeploymentType IN_PLACE, the default) that names
CodeDeployDefault.AllAtOnce, and a server-platform deployment configuration
whose MinimumHealthyHosts Value is 0. cfn_nag has no such check.

Bad:

~~~yaml
Resources:
  Group:
    Type: AWS::CodeDeploy::DeploymentGroup
    Properties:
      ApplicationName: !Ref App
      ServiceRoleArn: !GetAtt CodeDeployRole.Arn
      DeploymentConfigName: CodeDeployDefault.AllAtOnce
~~~

Good:

~~~yaml
Resources:
  Group:
    Type: AWS::CodeDeploy::DeploymentGroup
    Properties:
      ApplicationName: !Ref App
      ServiceRoleArn: !GetAtt CodeDeployRole.Arn
      DeploymentConfigName: CodeDeployDefault.HalfAtATime
~~~
`,
	Fix:   "Use CodeDeployDefault.HalfAtATime or OneAtATime (a canary or linear configuration for Lambda), or a MinimumHealthyHosts above zero.",
	Check: checkAllAtOnce,
}

func checkAllAtOnce(p *scan.Pass) {
	rep := prop.NewReporter(p)
	for _, r := range p.Resources() {
		if r.Type == "AWS::CodeDeploy::DeploymentConfig" {
			for _, v := range prop.Get(p.Eval, r, "MinimumHealthyHosts", "Value") {
				if n, ok := v.Int(); ok && n == 0 {
					rep.Report(r, v, "deployment configuration lets every instance go out of service at once: MinimumHealthyHosts Value is 0")
				}
			}
			continue
		}
		for _, name := range prop.Get(p.Eval, r, "DeploymentConfigName") {
			s, ok := name.Str()
			if ok && s == "CodeDeployDefault.LambdaAllAtOnce" {
				rep.Report(r, name, "Lambda deployment shifts all traffic to the new version at once: DeploymentConfigName is %s", s)
				continue
			}
			if !ok || s != "CodeDeployDefault.AllAtOnce" {
				continue
			}
			for _, style := range prop.Get(p.Eval, r, "DeploymentStyle", "DeploymentType") {
				t, known := style.Str()
				if !style.Absent && (!known || !strings.EqualFold(t, "IN_PLACE")) {
					continue
				}
				if v, ok := prop.Both(name, style); ok {
					rep.Report(r, v, "in-place deployment updates every instance at once: DeploymentConfigName is %s", s)
				}
			}
		}
	}
}
