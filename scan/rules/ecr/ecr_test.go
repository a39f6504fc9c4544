package ecr_test

import (
	"testing"

	"github.com/safetynet-dev/safetynet/scan/rules/ecr"
	"github.com/safetynet-dev/safetynet/scan/scantest"
)

func TestScanOnPushOff(t *testing.T)     { scantest.Run(t, "testdata/ECR-001", ecr.ScanOnPushOff) }
func TestMutableTags(t *testing.T)       { scantest.Run(t, "testdata/ECR-002", ecr.MutableTags) }
func TestNoLifecyclePolicy(t *testing.T) { scantest.Run(t, "testdata/ECR-003", ecr.NoLifecyclePolicy) }
