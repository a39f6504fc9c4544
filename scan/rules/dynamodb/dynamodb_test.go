package dynamodb_test

import (
	"testing"

	"github.com/safetynet-dev/safetynet/scan/rules/dynamodb"
	"github.com/safetynet-dev/safetynet/scan/scantest"
)

func TestBillingModeNotSet(t *testing.T) {
	scantest.Run(t, "testdata/DYNAMODB-001", dynamodb.BillingModeNotSet)
}
func TestSSEDisabled(t *testing.T)  { scantest.Run(t, "testdata/DYNAMODB-002", dynamodb.SSEDisabled) }
func TestPITRDisabled(t *testing.T) { scantest.Run(t, "testdata/DYNAMODB-003", dynamodb.PITRDisabled) }
func TestDeletionProtection(t *testing.T) {
	scantest.Run(t, "testdata/DYNAMODB-004", dynamodb.DeletionProtection)
}
