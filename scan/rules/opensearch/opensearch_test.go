package opensearch_test

import (
	"testing"

	"github.com/safetynet-dev/safetynet/scan/rules/opensearch"
	"github.com/safetynet-dev/safetynet/scan/scantest"
)

func TestNotEncryptedAtRest(t *testing.T) {
	scantest.Run(t, "testdata/OPENSEARCH-001", opensearch.NotEncryptedAtRest)
}
func TestNoNodeToNodeEncryption(t *testing.T) {
	scantest.Run(t, "testdata/OPENSEARCH-002", opensearch.NoNodeToNodeEncryption)
}
func TestNotInVPC(t *testing.T) { scantest.Run(t, "testdata/OPENSEARCH-003", opensearch.NotInVPC) }
func TestHTTPSNotEnforced(t *testing.T) {
	scantest.Run(t, "testdata/OPENSEARCH-004", opensearch.HTTPSNotEnforced)
}
func TestOutdatedTLSPolicy(t *testing.T) {
	scantest.Run(t, "testdata/OPENSEARCH-005", opensearch.OutdatedTLSPolicy)
}
func TestNoFineGrainedAccessControl(t *testing.T) {
	scantest.Run(t, "testdata/OPENSEARCH-006", opensearch.NoFineGrainedAccessControl)
}
func TestOpenAccessPolicy(t *testing.T) {
	scantest.Run(t, "testdata/OPENSEARCH-007", opensearch.OpenAccessPolicy)
}
