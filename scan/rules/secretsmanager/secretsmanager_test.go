package secretsmanager_test

import (
	"testing"

	"github.com/safetynet-dev/safetynet/scan/rules/secretsmanager"
	"github.com/safetynet-dev/safetynet/scan/scantest"
)

func TestKmsKeyMissing(t *testing.T) {
	scantest.Run(t, "testdata/SECRETSMANAGER-001", secretsmanager.KmsKeyMissing)
}
func TestSecretStringInTemplate(t *testing.T) {
	scantest.Run(t, "testdata/SECRETSMANAGER-002", secretsmanager.SecretStringInTemplate)
}
func TestRotationMissing(t *testing.T) {
	scantest.Run(t, "testdata/SECRETSMANAGER-003", secretsmanager.RotationMissing)
}
func TestRotationInterval(t *testing.T) {
	scantest.Run(t, "testdata/SECRETSMANAGER-004", secretsmanager.RotationInterval)
}
func TestPolicyWildcardPrincipal(t *testing.T) {
	scantest.Run(t, "testdata/SECRETSMANAGER-005", secretsmanager.PolicyWildcardPrincipal)
}
func TestPolicyCrossAccountRoot(t *testing.T) {
	scantest.Run(t, "testdata/SECRETSMANAGER-006", secretsmanager.PolicyCrossAccountRoot)
}
func TestPublicPolicyNotBlocked(t *testing.T) {
	scantest.Run(t, "testdata/SECRETSMANAGER-007", secretsmanager.PublicPolicyNotBlocked)
}
