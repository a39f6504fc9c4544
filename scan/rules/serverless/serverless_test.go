package serverless_test

import (
	"testing"

	"github.com/safetynet-dev/safetynet/scan/rules/serverless"
	"github.com/safetynet-dev/safetynet/scan/scantest"
)

func TestPolicyWildcardAction(t *testing.T) {
	scantest.Run(t, "testdata/SAM-001", serverless.PolicyWildcardAction)
}
func TestPolicyWildcardResource(t *testing.T) {
	scantest.Run(t, "testdata/SAM-002", serverless.PolicyWildcardResource)
}
func TestAPIRouteNoAuthorizer(t *testing.T) {
	scantest.Run(t, "testdata/SAM-003", serverless.APIRouteNoAuthorizer)
}
func TestAPIAccessLogging(t *testing.T) {
	scantest.Run(t, "testdata/SAM-004", serverless.APIAccessLogging)
}
func TestSimpleTableEncryption(t *testing.T) {
	scantest.Run(t, "testdata/SAM-005", serverless.SimpleTableEncryption)
}
func TestAPIDomainTLS(t *testing.T) { scantest.Run(t, "testdata/SAM-006", serverless.APIDomainTLS) }
func TestApplicationSecretParameter(t *testing.T) {
	scantest.Run(t, "testdata/SAM-007", serverless.ApplicationSecretParameter)
}
