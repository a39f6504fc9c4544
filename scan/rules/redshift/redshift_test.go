package redshift_test

import (
	"testing"

	"github.com/safetynet-dev/safetynet/scan/rules/redshift"
	"github.com/safetynet-dev/safetynet/scan/scantest"
)

func TestUnencrypted(t *testing.T) { scantest.Run(t, "testdata/REDSHIFT-001", redshift.Unencrypted) }
func TestMasterPasswordInTemplate(t *testing.T) {
	scantest.Run(t, "testdata/REDSHIFT-002", redshift.MasterPasswordInTemplate)
}
func TestPubliclyAccessible(t *testing.T) {
	scantest.Run(t, "testdata/REDSHIFT-003", redshift.PubliclyAccessible)
}
func TestAuditLoggingOff(t *testing.T) {
	scantest.Run(t, "testdata/REDSHIFT-004", redshift.AuditLoggingOff)
}
func TestRequireSSLOff(t *testing.T) {
	scantest.Run(t, "testdata/REDSHIFT-005", redshift.RequireSSLOff)
}
func TestSnapshotsDisabled(t *testing.T) {
	scantest.Run(t, "testdata/REDSHIFT-006", redshift.SnapshotsDisabled)
}
func TestVersionUpgradeOff(t *testing.T) {
	scantest.Run(t, "testdata/REDSHIFT-007", redshift.VersionUpgradeOff)
}
func TestAdminPasswordInTemplate(t *testing.T) {
	scantest.Run(t, "testdata/REDSHIFT-008", redshift.AdminPasswordInTemplate)
}
