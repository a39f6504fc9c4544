package cognito_test

import (
	"testing"

	"github.com/safetynet-dev/safetynet/scan/rules/cognito"
	"github.com/safetynet-dev/safetynet/scan/scantest"
)

func TestUserPoolMFA(t *testing.T) { scantest.Run(t, "testdata/COGNITO-001", cognito.UserPoolMFA) }
func TestIdentityPoolUnauthenticated(t *testing.T) {
	scantest.Run(t, "testdata/COGNITO-002", cognito.IdentityPoolUnauthenticated)
}
func TestUserPoolWeakPassword(t *testing.T) {
	scantest.Run(t, "testdata/COGNITO-003", cognito.UserPoolWeakPassword)
}
func TestClientPasswordAuth(t *testing.T) {
	scantest.Run(t, "testdata/COGNITO-004", cognito.ClientPasswordAuth)
}
func TestClientUserExistenceErrors(t *testing.T) {
	scantest.Run(t, "testdata/COGNITO-005", cognito.ClientUserExistenceErrors)
}
func TestUserPoolDeletionProtection(t *testing.T) {
	scantest.Run(t, "testdata/COGNITO-006", cognito.UserPoolDeletionProtection)
}
func TestIdentityPoolClassicFlow(t *testing.T) {
	scantest.Run(t, "testdata/COGNITO-007", cognito.IdentityPoolClassicFlow)
}
func TestClientImplicitGrant(t *testing.T) {
	scantest.Run(t, "testdata/COGNITO-008", cognito.ClientImplicitGrant)
}
