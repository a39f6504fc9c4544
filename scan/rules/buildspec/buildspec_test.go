package buildspec_test

import (
	"testing"

	"github.com/safetynet-dev/safetynet/scan/rules/buildspec"
	"github.com/safetynet-dev/safetynet/scan/scantest"
)

func TestSwallowedTestFailure(t *testing.T) {
	scantest.Run(t, "testdata/BUILDSPEC-001", buildspec.SwallowedTestFailure)
}
func TestTestsWithoutReports(t *testing.T) {
	scantest.Run(t, "testdata/BUILDSPEC-002", buildspec.TestsWithoutReports)
}
func TestPlaintextSecret(t *testing.T) {
	scantest.Run(t, "testdata/BUILDSPEC-003", buildspec.PlaintextSecret)
}
func TestPrivilegedWithoutImageBuild(t *testing.T) {
	scantest.Run(t, "testdata/BUILDSPEC-004", buildspec.PrivilegedWithoutImageBuild)
}
func TestLatestRuntime(t *testing.T) {
	scantest.Run(t, "testdata/BUILDSPEC-005", buildspec.LatestRuntime)
}
func TestUnpinnedImage(t *testing.T) {
	scantest.Run(t, "testdata/BUILDSPEC-006", buildspec.UnpinnedImage)
}
func TestVersion(t *testing.T) {
	scantest.Run(t, "testdata/BUILDSPEC-007", buildspec.Version)
}
func TestUnreadableInline(t *testing.T) {
	scantest.Run(t, "testdata/BUILDSPEC-008", buildspec.UnreadableInline)
}
