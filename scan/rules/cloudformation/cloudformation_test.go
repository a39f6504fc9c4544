package cloudformation_test

import (
	"testing"

	"github.com/safetynet-dev/safetynet/scan/rules/cloudformation"
	"github.com/safetynet-dev/safetynet/scan/scantest"
)

func TestDuplicateExport(t *testing.T) {
	scantest.Run(t, "testdata/CFN-001", cloudformation.DuplicateExport)
}
