package lambda_test

import (
	"testing"

	"github.com/safetynet-dev/safetynet/scan/rules/lambda"
	"github.com/safetynet-dev/safetynet/scan/scantest"
)

func TestPermissionWildcardPrincipal(t *testing.T) {
	scantest.Run(t, "testdata/LAMBDA-001", lambda.PermissionWildcardPrincipal)
}
