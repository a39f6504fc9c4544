package batch_test

import (
	"testing"

	"github.com/safetynet-dev/safetynet/scan/rules/batch"
	"github.com/safetynet-dev/safetynet/scan/scantest"
)

func TestPrivilegedContainer(t *testing.T) {
	scantest.Run(t, "testdata/BATCH-001", batch.PrivilegedContainer)
}
