package dlm_test

import (
	"testing"

	"github.com/safetynet-dev/safetynet/scan/rules/dlm"
	"github.com/safetynet-dev/safetynet/scan/scantest"
)

func TestCrossRegionCopyUnencrypted(t *testing.T) {
	scantest.Run(t, "testdata/DLM-001", dlm.CrossRegionCopyUnencrypted)
}
