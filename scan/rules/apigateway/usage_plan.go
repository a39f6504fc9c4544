package apigateway

import (
	"strings"

	"github.com/safetynet-dev/safetynet/cfn"
	"github.com/safetynet-dev/safetynet/scan"
	"github.com/safetynet-dev/safetynet/scan/rules/internal/prop"
)

// usagePlanStages is what the template's usage plans name in
// ApiStages[].Stage: Refs to resources, and other values (stage names).
type usagePlanStages struct {
	refs map[string]bool
	vals []prop.Val
}

// planStages collects the stages of every usage plan of the template, once
// per pass.
func planStages(p *scan.Pass) usagePlanStages {
	u := usagePlanStages{refs: map[string]bool{}}
	for _, r := range p.Template.Resources {
		if r.Type != typeUsagePlan {
			continue
		}
		for _, st := range prop.Items(p.Eval, prop.Get(p.Eval, r, "ApiStages")) {
			for _, v := range prop.Field(p.Eval, []prop.Val{st}, "Stage") {
				if v.Absent {
					continue
				}
				if id := refTarget(v); id != "" && p.Template.Resource(id) != nil {
					u.refs[id] = true
				} else {
					u.vals = append(u.vals, v)
				}
			}
		}
	}
	return u
}

// names reports whether a usage plan names the stage v.
func (u usagePlanStages) names(v prop.Val) bool {
	for _, s := range u.vals {
		if sameValue(s, v) {
			return true
		}
	}
	return false
}

// StageWithoutUsagePlan reports stages that no usage plan throttles.
var StageWithoutUsagePlan = &scan.Rule{
	ID:        "APIGW-005",
	Aliases:   []string{"W64"},
	Title:     "API Gateway stage is not in a usage plan",
	Severity:  scan.Warning,
	Resources: []string{typeStage, typeUsagePlan},
	Doc: `A usage plan sets the throttling rate, burst and quota of a stage for
API-key holders; a stage in no usage plan is limited only by the account's
regional throttle, which one noisy or malicious client can exhaust for every
API in the account. The rule looks for a usage plan whose ApiStages names
the stage, by Ref or by its StageName.

Bad:

~~~yaml
Prod:
  Type: AWS::ApiGateway::Stage
  Properties:
    RestApiId: !Ref Api
    DeploymentId: !Ref Deployment
    StageName: prod
~~~

Good:

~~~yaml
Plan:
  Type: AWS::ApiGateway::UsagePlan
  Properties:
    ApiStages:
      - ApiId: !Ref Api
        Stage: !Ref Prod
    Throttle:
      RateLimit: 100
      BurstLimit: 200
~~~
`,
	Fix: "Add the stage to an AWS::ApiGateway::UsagePlan's ApiStages with throttling limits.",
	Check: func(p *scan.Pass) {
		var u *usagePlanStages
		for _, r := range p.Resources() {
			if r.Type != typeStage {
				continue
			}
			if u == nil {
				s := planStages(p)
				u = &s
			}
			if u.refs[r.ID] {
				continue
			}
			named := false
			for _, v := range prop.Get(p.Eval, r, "StageName") {
				named = named || u.names(v)
			}
			if !named {
				p.Reportf(r, nil, "", "stage %s is not in any usage plan", r.ID)
			}
		}
	},
}

// DeploymentWithoutUsagePlan reports stages created by deployments that no
// usage plan throttles.
var DeploymentWithoutUsagePlan = &scan.Rule{
	ID:        "APIGW-006",
	Aliases:   []string{"W68"},
	Title:     "API Gateway deployment creates a stage that is not in a usage plan",
	Severity:  scan.Warning,
	Resources: []string{typeDeployment, typeUsagePlan},
	Doc: `A deployment with a StageName creates that stage. If no usage plan's
ApiStages names the stage, it is limited only by the account's regional
throttle, which one client can exhaust for every API in the account.

cfn_nag reports every deployment, also those that create no stage (no
StageName); their stages are AWS::ApiGateway::Stage resources, checked by
APIGW-005, so this rule leaves them alone. A usage plan names the stage
when its Stage is the same value as the deployment's StageName (the same
literal, or the same parameter).

Bad:

~~~yaml
Deployment:
  Type: AWS::ApiGateway::Deployment
  Properties:
    RestApiId: !Ref Api
    StageName: prod
~~~

Good:

~~~yaml
Plan:
  Type: AWS::ApiGateway::UsagePlan
  DependsOn: Deployment
  Properties:
    ApiStages:
      - ApiId: !Ref Api
        Stage: prod
    Throttle:
      RateLimit: 100
      BurstLimit: 200
~~~
`,
	Fix: "Add the deployment's stage to an AWS::ApiGateway::UsagePlan's ApiStages with throttling limits.",
	Check: func(p *scan.Pass) {
		var u *usagePlanStages
		rep := prop.NewReporter(p)
		for _, r := range p.Resources() {
			if r.Type != typeDeployment {
				continue
			}
			if u == nil {
				s := planStages(p)
				u = &s
			}
			for _, v := range stageNames(p.Eval, r) {
				if !u.names(v) && !planRefsDeployment(u, r) {
					rep.Report(r, v, "deployment %s creates stage %s, which is not in any usage plan", r.ID, stageLabel(v))
				}
			}
		}
	},
}

// planRefsDeployment reports whether a usage plan refers to the deployment
// itself, which some templates do (wrongly) to tie the plan to the stage.
func planRefsDeployment(u *usagePlanStages, r *cfn.Resource) bool { return u.refs[r.ID] }

// stageLabel names a stage for messages.
func stageLabel(v prop.Val) string {
	if s, ok := v.Str(); ok {
		return `"` + s + `"`
	}
	if ref, ok := strings.CutPrefix(v.Text, "Ref "); ok {
		return "!Ref " + ref
	}
	return v.Text
}
