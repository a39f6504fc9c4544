package apigateway_test

import (
	"testing"

	"github.com/safetynet-dev/safetynet/scan"
	"github.com/safetynet-dev/safetynet/scan/rules/apigateway"
	"github.com/safetynet-dev/safetynet/scan/scantest"
)

func TestRules(t *testing.T) {
	for _, r := range apigateway.Rules {
		t.Run(r.ID, func(t *testing.T) { scantest.Run(t, "testdata/"+r.ID, r) })
	}
}

// TestEveryRuleListed guards against a rule file whose rule is missing from
// Rules, which TestRules would then skip.
func TestEveryRuleListed(t *testing.T) {
	want := []*scan.Rule{
		apigateway.DeploymentAccessLogging, apigateway.V2StageAccessLogging, apigateway.MethodNoAuthorization,
		apigateway.DomainSecurityPolicy, apigateway.StageWithoutUsagePlan, apigateway.DeploymentWithoutUsagePlan,
		apigateway.StageAccessLogging, apigateway.DeploymentCacheUnencrypted, apigateway.MethodCacheUnencrypted,
		apigateway.StageTracing, apigateway.PrivateAPIWithoutPolicy, apigateway.DataTrace,
		apigateway.V2RouteNoAuthorization, apigateway.DomainCertificateMismatch, apigateway.V2DomainConfiguration,
		apigateway.V2DomainSecurityPolicy, apigateway.MappingUndeclaredDomain, apigateway.MappingNotDomain,
		apigateway.EdgeCertificateRegion,
	}
	if len(want) != len(apigateway.Rules) {
		t.Fatalf("Rules has %d rules, want %d", len(apigateway.Rules), len(want))
	}
}
