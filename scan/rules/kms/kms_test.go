package kms_test

import (
	"testing"

	"github.com/safetynet-dev/safetynet/scan/rules/kms"
	"github.com/safetynet-dev/safetynet/scan/scantest"
)

func TestKeyRotationDisabled(t *testing.T) {
	scantest.Run(t, "testdata/KMS-001", kms.KeyRotationDisabled)
}
func TestWildcardPrincipal(t *testing.T) { scantest.Run(t, "testdata/KMS-002", kms.WildcardPrincipal) }
func TestCrossAccountRoot(t *testing.T)  { scantest.Run(t, "testdata/KMS-003", kms.CrossAccountRoot) }
func TestAllActions(t *testing.T)        { scantest.Run(t, "testdata/KMS-004", kms.AllActions) }
func TestPendingWindow(t *testing.T)     { scantest.Run(t, "testdata/KMS-005", kms.PendingWindow) }
func TestBypassLockoutCheck(t *testing.T) {
	scantest.Run(t, "testdata/KMS-006", kms.BypassLockoutCheck)
}
func TestAllowNotPrincipal(t *testing.T) { scantest.Run(t, "testdata/KMS-007", kms.AllowNotPrincipal) }
