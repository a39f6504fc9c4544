package elb_test

import (
	"testing"

	"github.com/safetynet-dev/safetynet/scan/rules/elb"
	"github.com/safetynet-dev/safetynet/scan/scantest"
)

func TestClassicAccessLogging(t *testing.T) {
	scantest.Run(t, "testdata/ELB-001", elb.ClassicAccessLogging)
}
