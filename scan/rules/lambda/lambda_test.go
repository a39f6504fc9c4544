package lambda_test

import (
	"testing"

	"github.com/safetynet-dev/safetynet/scan/rules/lambda"
	"github.com/safetynet-dev/safetynet/scan/scantest"
)

func TestPermissionWildcardPrincipal(t *testing.T) {
	scantest.Run(t, "testdata/LAMBDA-001", lambda.PermissionWildcardPrincipal)
}
func TestPermissionAction(t *testing.T) {
	scantest.Run(t, "testdata/LAMBDA-002", lambda.PermissionAction)
}
func TestPermissionWildcardAction(t *testing.T) {
	scantest.Run(t, "testdata/LAMBDA-003", lambda.PermissionWildcardAction)
}
func TestPermissionEventSourceToken(t *testing.T) {
	scantest.Run(t, "testdata/LAMBDA-004", lambda.PermissionEventSourceToken)
}
func TestPermissionAccountPrincipal(t *testing.T) {
	scantest.Run(t, "testdata/LAMBDA-005", lambda.PermissionAccountPrincipal)
}
func TestPermissionAPIGatewaySource(t *testing.T) {
	scantest.Run(t, "testdata/LAMBDA-006", lambda.PermissionAPIGatewaySource)
}
func TestPermissionServiceSource(t *testing.T) {
	scantest.Run(t, "testdata/LAMBDA-007", lambda.PermissionServiceSource)
}
func TestFunctionLogsPermission(t *testing.T) {
	scantest.Run(t, "testdata/LAMBDA-008", lambda.FunctionLogsPermission)
}
func TestFunctionNotInVPC(t *testing.T) {
	scantest.Run(t, "testdata/LAMBDA-009", lambda.FunctionNotInVPC)
}
func TestFunctionReservedConcurrency(t *testing.T) {
	scantest.Run(t, "testdata/LAMBDA-010", lambda.FunctionReservedConcurrency)
}
func TestFunctionDeprecatedRuntime(t *testing.T) {
	scantest.Run(t, "testdata/LAMBDA-011", lambda.FunctionDeprecatedRuntime)
}
func TestFunctionEnvironmentSecret(t *testing.T) {
	scantest.Run(t, "testdata/LAMBDA-012", lambda.FunctionEnvironmentSecret)
}
func TestFunctionURLNoAuth(t *testing.T) {
	scantest.Run(t, "testdata/LAMBDA-013", lambda.FunctionURLNoAuth)
}
func TestLayerPublic(t *testing.T) { scantest.Run(t, "testdata/LAMBDA-014", lambda.LayerPublic) }
func TestAuthorizerCrossAccountPermission(t *testing.T) {
	scantest.Run(t, "testdata/LAMBDA-015", lambda.AuthorizerCrossAccountPermission)
}
