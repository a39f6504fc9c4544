package neptune_test

import (
	"testing"

	"github.com/safetynet-dev/safetynet/scan/rules/neptune"
	"github.com/safetynet-dev/safetynet/scan/scantest"
)

func TestStorageUnencrypted(t *testing.T) {
	scantest.Run(t, "testdata/NEPTUNE-001", neptune.StorageUnencrypted)
}
func TestDeletionProtection(t *testing.T) {
	scantest.Run(t, "testdata/NEPTUNE-002", neptune.DeletionProtection)
}
func TestAuditLogsNotExported(t *testing.T) {
	scantest.Run(t, "testdata/NEPTUNE-003", neptune.AuditLogsNotExported)
}
func TestIAMAuthDisabled(t *testing.T) {
	scantest.Run(t, "testdata/NEPTUNE-004", neptune.IAMAuthDisabled)
}
