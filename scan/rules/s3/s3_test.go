package s3_test

import (
	"testing"

	"github.com/safetynet-dev/safetynet/scan/rules/s3"
	"github.com/safetynet-dev/safetynet/scan/scantest"
)

func TestPublicReadACL(t *testing.T)      { scantest.Run(t, "testdata/S3-001", s3.PublicReadACL) }
func TestPublicReadWriteACL(t *testing.T) { scantest.Run(t, "testdata/S3-002", s3.PublicReadWriteACL) }
func TestEncryptionNotSet(t *testing.T)   { scantest.Run(t, "testdata/S3-003", s3.EncryptionNotSet) }
func TestPolicyWildcardPrincipal(t *testing.T) {
	scantest.Run(t, "testdata/S3-004", s3.PolicyWildcardPrincipal)
}
func TestPolicyAllowNotPrincipal(t *testing.T) {
	scantest.Run(t, "testdata/S3-005", s3.PolicyAllowNotPrincipal)
}
func TestPolicyWildcardAction(t *testing.T) {
	scantest.Run(t, "testdata/S3-006", s3.PolicyWildcardAction)
}
func TestPolicyAllowNotAction(t *testing.T) {
	scantest.Run(t, "testdata/S3-007", s3.PolicyAllowNotAction)
}
func TestAccessLoggingNotSet(t *testing.T) {
	scantest.Run(t, "testdata/S3-008", s3.AccessLoggingNotSet)
}
func TestMissingBucketPolicy(t *testing.T) {
	scantest.Run(t, "testdata/S3-009", s3.MissingBucketPolicy)
}
func TestPolicyAccountRoot(t *testing.T) { scantest.Run(t, "testdata/S3-010", s3.PolicyAccountRoot) }
func TestPolicyNoSecureTransport(t *testing.T) {
	scantest.Run(t, "testdata/S3-011", s3.PolicyNoSecureTransport)
}
func TestPublicAccessBlockOff(t *testing.T) {
	scantest.Run(t, "testdata/S3-012", s3.PublicAccessBlockOff)
}
func TestPublicAccessBlockNotSet(t *testing.T) {
	scantest.Run(t, "testdata/S3-013", s3.PublicAccessBlockNotSet)
}
func TestVersioningOff(t *testing.T) { scantest.Run(t, "testdata/S3-014", s3.VersioningOff) }
