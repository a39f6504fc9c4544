package dms_test

import (
	"testing"

	"github.com/safetynet-dev/safetynet/scan/rules/dms"
	"github.com/safetynet-dev/safetynet/scan/scantest"
)

func TestPasswordInTemplate(t *testing.T) {
	scantest.Run(t, "testdata/DMS-001", dms.PasswordInTemplate)
}
func TestMongoDbPasswordInTemplate(t *testing.T) {
	scantest.Run(t, "testdata/DMS-002", dms.MongoDbPasswordInTemplate)
}
func TestReplicationInstancePublic(t *testing.T) {
	scantest.Run(t, "testdata/DMS-003", dms.ReplicationInstancePublic)
}
func TestEndpointSSLOff(t *testing.T)  { scantest.Run(t, "testdata/DMS-004", dms.EndpointSSLOff) }
func TestMinorUpgradeOff(t *testing.T) { scantest.Run(t, "testdata/DMS-005", dms.MinorUpgradeOff) }
