package emr_test

import (
	"testing"

	"github.com/safetynet-dev/safetynet/scan/rules/emr"
	"github.com/safetynet-dev/safetynet/scan/scantest"
)

func TestNoSecurityConfiguration(t *testing.T) {
	scantest.Run(t, "testdata/EMR-001", emr.NoSecurityConfiguration)
}
func TestEncryptionIncomplete(t *testing.T) {
	scantest.Run(t, "testdata/EMR-002", emr.EncryptionIncomplete)
}
func TestADDomainJoinPassword(t *testing.T) {
	scantest.Run(t, "testdata/EMR-003", emr.ADDomainJoinPassword)
}
func TestCrossRealmTrustPrincipalPassword(t *testing.T) {
	scantest.Run(t, "testdata/EMR-004", emr.CrossRealmTrustPrincipalPassword)
}
func TestKdcAdminPassword(t *testing.T) { scantest.Run(t, "testdata/EMR-005", emr.KdcAdminPassword) }
