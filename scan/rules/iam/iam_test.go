package iam_test

import (
	"testing"

	"github.com/safetynet-dev/safetynet/scan/rules/iam"
	"github.com/safetynet-dev/safetynet/scan/scantest"
)

func TestWildcardAction(t *testing.T)   { scantest.Run(t, "testdata/IAM-001", iam.WildcardAction) }
func TestWildcardResource(t *testing.T) { scantest.Run(t, "testdata/IAM-002", iam.WildcardResource) }
func TestAllowNotAction(t *testing.T)   { scantest.Run(t, "testdata/IAM-003", iam.AllowNotAction) }
func TestPolicyOnUser(t *testing.T)     { scantest.Run(t, "testdata/IAM-004", iam.PolicyOnUser) }
func TestUserInlinePolicy(t *testing.T) { scantest.Run(t, "testdata/IAM-005", iam.UserInlinePolicy) }
func TestTrustWildcardAction(t *testing.T) {
	scantest.Run(t, "testdata/IAM-006", iam.TrustWildcardAction)
}
func TestPassRoleWildcard(t *testing.T)  { scantest.Run(t, "testdata/IAM-007", iam.PassRoleWildcard) }
func TestTrustNotPrincipal(t *testing.T) { scantest.Run(t, "testdata/IAM-008", iam.TrustNotPrincipal) }
func TestTrustNotAction(t *testing.T)    { scantest.Run(t, "testdata/IAM-009", iam.TrustNotAction) }
func TestAllowNotResource(t *testing.T)  { scantest.Run(t, "testdata/IAM-010", iam.AllowNotResource) }
func TestAdministratorAccess(t *testing.T) {
	scantest.Run(t, "testdata/IAM-011", iam.AdministratorAccess)
}
func TestElevatedManagedPolicy(t *testing.T) {
	scantest.Run(t, "testdata/IAM-012", iam.ElevatedManagedPolicy)
}
func TestLoginProfilePassword(t *testing.T) {
	scantest.Run(t, "testdata/IAM-013", iam.LoginProfilePassword)
}
func TestLoginProfileReset(t *testing.T) { scantest.Run(t, "testdata/IAM-014", iam.LoginProfileReset) }
func TestUserMissingGroup(t *testing.T)  { scantest.Run(t, "testdata/IAM-015", iam.UserMissingGroup) }
func TestPolicyComplexity(t *testing.T)  { scantest.Run(t, "testdata/IAM-016", iam.PolicyComplexity) }
func TestTrustCrossAccount(t *testing.T) { scantest.Run(t, "testdata/IAM-017", iam.TrustCrossAccount) }
func TestAccessKey(t *testing.T)         { scantest.Run(t, "testdata/IAM-018", iam.AccessKey) }
func TestAccessKeyOutput(t *testing.T)   { scantest.Run(t, "testdata/IAM-019", iam.AccessKeyOutput) }
func TestConsolePassword(t *testing.T)   { scantest.Run(t, "testdata/IAM-020", iam.ConsolePassword) }
func TestTrustWildcardPrincipal(t *testing.T) {
	scantest.Run(t, "testdata/IAM-021", iam.TrustWildcardPrincipal)
}
func TestTrustFederatedUnconditioned(t *testing.T) {
	scantest.Run(t, "testdata/IAM-022", iam.TrustFederatedUnconditioned)
}
func TestPrivilegeEscalation(t *testing.T) {
	scantest.Run(t, "testdata/IAM-023", iam.PrivilegeEscalation)
}
func TestKMSDecryptAllKeys(t *testing.T) { scantest.Run(t, "testdata/IAM-024", iam.KMSDecryptAllKeys) }
func TestUserManagedPolicy(t *testing.T) { scantest.Run(t, "testdata/IAM-025", iam.UserManagedPolicy) }
