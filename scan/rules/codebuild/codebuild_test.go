package codebuild_test

import (
	"testing"

	"github.com/safetynet-dev/safetynet/scan/rules/codebuild"
	"github.com/safetynet-dev/safetynet/scan/scantest"
)

func TestEncryptionKeyNotSet(t *testing.T) {
	scantest.Run(t, "testdata/CODEBUILD-001", codebuild.EncryptionKeyNotSet)
}
func TestPrivilegedMode(t *testing.T) {
	scantest.Run(t, "testdata/CODEBUILD-002", codebuild.PrivilegedMode)
}
func TestArtifactsUnencrypted(t *testing.T) {
	scantest.Run(t, "testdata/CODEBUILD-003", codebuild.ArtifactsUnencrypted)
}
func TestS3LogsUnencrypted(t *testing.T) {
	scantest.Run(t, "testdata/CODEBUILD-004", codebuild.S3LogsUnencrypted)
}
func TestReportExportUnencrypted(t *testing.T) {
	scantest.Run(t, "testdata/CODEBUILD-005", codebuild.ReportExportUnencrypted)
}
func TestPlaintextSecretEnv(t *testing.T) {
	scantest.Run(t, "testdata/CODEBUILD-006", codebuild.PlaintextSecretEnv)
}
func TestSourceURLCredentials(t *testing.T) {
	scantest.Run(t, "testdata/CODEBUILD-007", codebuild.SourceURLCredentials)
}
func TestSourceCredentialToken(t *testing.T) {
	scantest.Run(t, "testdata/CODEBUILD-008", codebuild.SourceCredentialToken)
}
func TestLoggingDisabled(t *testing.T) {
	scantest.Run(t, "testdata/CODEBUILD-009", codebuild.LoggingDisabled)
}
