package docdb_test

import (
	"testing"

	"github.com/safetynet-dev/safetynet/scan/rules/docdb"
	"github.com/safetynet-dev/safetynet/scan/scantest"
)

func TestMasterPasswordInTemplate(t *testing.T) {
	scantest.Run(t, "testdata/DOCDB-001", docdb.MasterPasswordInTemplate)
}
func TestStorageUnencrypted(t *testing.T) {
	scantest.Run(t, "testdata/DOCDB-002", docdb.StorageUnencrypted)
}
func TestDeletionProtection(t *testing.T) {
	scantest.Run(t, "testdata/DOCDB-003", docdb.DeletionProtection)
}
func TestAuditLogsNotExported(t *testing.T) {
	scantest.Run(t, "testdata/DOCDB-004", docdb.AuditLogsNotExported)
}
func TestTLSDisabled(t *testing.T) { scantest.Run(t, "testdata/DOCDB-005", docdb.TLSDisabled) }
