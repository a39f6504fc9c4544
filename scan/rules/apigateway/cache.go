package apigateway

import (
	"github.com/safetynet-dev/safetynet/cfn"
	"github.com/safetynet-dev/safetynet/scan"
	"github.com/safetynet-dev/safetynet/scan/rules/internal/prop"
)

// reportUnencryptedCache reports, among the settings vals (StageDescription
// or MethodSettings entries), those that may enable caching without
// encrypting the cache.
func reportUnencryptedCache(p *scan.Pass, rep *prop.Reporter, r *cfn.Resource, vals []prop.Val, what string) {
	for _, s := range vals {
		one := []prop.Val{s}
		for _, c := range prop.Field(p.Eval, one, "CachingEnabled") {
			if !c.True() {
				continue
			}
			for _, enc := range prop.Field(p.Eval, one, "CacheDataEncrypted") {
				if !enc.NotTrue() {
					continue
				}
				if both, ok := prop.Both(enc, c); ok {
					rep.Report(r, both, "%s caches responses unencrypted: %s", what, enc.State("CacheDataEncrypted"))
				}
			}
		}
	}
}

// DeploymentCacheUnencrypted reports deployments whose stage caches
// responses without encrypting the cache.
var DeploymentCacheUnencrypted = &scan.Rule{
	ID:        "APIGW-008",
	Aliases:   []string{"W87"},
	Title:     "API Gateway deployment enables caching without cache encryption",
	Severity:  scan.Warning,
	Resources: []string{typeDeployment},
	Doc: `StageDescription.CachingEnabled caches responses of the stage the
deployment creates; without CacheDataEncrypted: true the cached responses,
which may hold personal data or tokens, are stored unencrypted.

Bad:

~~~yaml
Deployment:
  Type: AWS::ApiGateway::Deployment
  Properties:
    RestApiId: !Ref Api
    StageName: prod
    StageDescription:
      CacheClusterEnabled: true
      CachingEnabled: true
~~~

Good:

~~~yaml
Deployment:
  Type: AWS::ApiGateway::Deployment
  Properties:
    RestApiId: !Ref Api
    StageName: prod
    StageDescription:
      CacheClusterEnabled: true
      CachingEnabled: true
      CacheDataEncrypted: true
~~~
`,
	Fix: "Set StageDescription.CacheDataEncrypted: true.",
	Check: func(p *scan.Pass) {
		rep := prop.NewReporter(p)
		for _, r := range p.Resources() {
			reportUnencryptedCache(p, rep, r, present(prop.Get(p.Eval, r, "StageDescription")), "deployment "+r.ID)
		}
	},
}

// MethodCacheUnencrypted reports method settings of stages that cache
// responses without encrypting the cache.
var MethodCacheUnencrypted = &scan.Rule{
	ID:        "APIGW-009",
	Title:     "API Gateway method settings enable caching without cache encryption",
	Severity:  scan.Warning,
	Resources: []string{typeStage, typeDeployment},
	Doc: `A MethodSettings entry with CachingEnabled caches the responses of the
methods it matches; without CacheDataEncrypted: true they are stored
unencrypted. APIGW-008 (cfn_nag W87) looks only at a deployment's
StageDescription; this rule looks at the MethodSettings of stages and of
deployments' StageDescription.

Bad:

~~~yaml
Prod:
  Type: AWS::ApiGateway::Stage
  Properties:
    RestApiId: !Ref Api
    DeploymentId: !Ref Deployment
    CacheClusterEnabled: true
    MethodSettings:
      - ResourcePath: /*
        HttpMethod: '*'
        CachingEnabled: true
~~~

Good:

~~~yaml
Prod:
  Type: AWS::ApiGateway::Stage
  Properties:
    RestApiId: !Ref Api
    DeploymentId: !Ref Deployment
    CacheClusterEnabled: true
    MethodSettings:
      - ResourcePath: /*
        HttpMethod: '*'
        CachingEnabled: true
        CacheDataEncrypted: true
~~~
`,
	Fix: "Set CacheDataEncrypted: true in each MethodSettings entry that enables caching.",
	Check: func(p *scan.Pass) {
		rep := prop.NewReporter(p)
		for _, r := range p.Resources() {
			settings := prop.Get(p.Eval, r, "MethodSettings")
			if r.Type == typeDeployment {
				settings = prop.Get(p.Eval, r, "StageDescription", "MethodSettings")
			}
			reportUnencryptedCache(p, rep, r, prop.Items(p.Eval, settings), "stage of "+r.ID)
		}
	},
}

// present returns the values that are not absent.
func present(vals []prop.Val) []prop.Val {
	out := vals[:0:0]
	for _, v := range vals {
		if !v.Absent {
			out = append(out, v)
		}
	}
	return out
}
