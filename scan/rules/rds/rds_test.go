package rds_test

import (
	"testing"

	"github.com/safetynet-dev/safetynet/scan/rules/rds"
	"github.com/safetynet-dev/safetynet/scan/scantest"
)

func TestStorageUnencrypted(t *testing.T) {
	scantest.Run(t, "testdata/RDS-001", rds.StorageUnencrypted)
}
func TestPubliclyAccessible(t *testing.T) {
	scantest.Run(t, "testdata/RDS-002", rds.PubliclyAccessible)
}
func TestMasterPasswordInTemplate(t *testing.T) {
	scantest.Run(t, "testdata/RDS-003", rds.MasterPasswordInTemplate)
}
