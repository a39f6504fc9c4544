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
func TestMasterUsernameInTemplate(t *testing.T) {
	scantest.Run(t, "testdata/RDS-004", rds.MasterUsernameInTemplate)
}
func TestDeletionProtection(t *testing.T) {
	scantest.Run(t, "testdata/RDS-005", rds.DeletionProtection)
}
func TestBackupDisabled(t *testing.T) { scantest.Run(t, "testdata/RDS-006", rds.BackupDisabled) }
func TestBackupRetentionShort(t *testing.T) {
	scantest.Run(t, "testdata/RDS-007", rds.BackupRetentionShort)
}
func TestIAMAuthDisabled(t *testing.T) { scantest.Run(t, "testdata/RDS-008", rds.IAMAuthDisabled) }
func TestMinorUpgradeOff(t *testing.T) { scantest.Run(t, "testdata/RDS-009", rds.MinorUpgradeOff) }
func TestPerformanceInsightsKey(t *testing.T) {
	scantest.Run(t, "testdata/RDS-010", rds.PerformanceInsightsKey)
}
func TestProxyTLSNotRequired(t *testing.T) {
	scantest.Run(t, "testdata/RDS-011", rds.ProxyTLSNotRequired)
}
func TestParameterGroupTLSOff(t *testing.T) {
	scantest.Run(t, "testdata/RDS-012", rds.ParameterGroupTLSOff)
}
