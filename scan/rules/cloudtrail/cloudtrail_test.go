package cloudtrail_test

import (
	"testing"

	"github.com/safetynet-dev/safetynet/scan/rules/cloudtrail"
	"github.com/safetynet-dev/safetynet/scan/scantest"
)

func TestNotLogging(t *testing.T) { scantest.Run(t, "testdata/CLOUDTRAIL-001", cloudtrail.NotLogging) }
func TestNoLogFileValidation(t *testing.T) {
	scantest.Run(t, "testdata/CLOUDTRAIL-002", cloudtrail.NoLogFileValidation)
}
func TestNotEncrypted(t *testing.T) {
	scantest.Run(t, "testdata/CLOUDTRAIL-003", cloudtrail.NotEncrypted)
}
func TestSingleRegion(t *testing.T) {
	scantest.Run(t, "testdata/CLOUDTRAIL-004", cloudtrail.SingleRegion)
}
func TestNoCloudWatchLogs(t *testing.T) {
	scantest.Run(t, "testdata/CLOUDTRAIL-005", cloudtrail.NoCloudWatchLogs)
}
