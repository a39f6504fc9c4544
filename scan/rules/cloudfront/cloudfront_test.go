package cloudfront_test

import (
	"testing"

	"github.com/safetynet-dev/safetynet/scan/rules/cloudfront"
	"github.com/safetynet-dev/safetynet/scan/scantest"
)

func TestAccessLoggingNotSet(t *testing.T) {
	scantest.Run(t, "testdata/CLOUDFRONT-001", cloudfront.AccessLoggingNotSet)
}
func TestMinimumProtocolVersion(t *testing.T) {
	scantest.Run(t, "testdata/CLOUDFRONT-002", cloudfront.MinimumProtocolVersion)
}
func TestWeakTLSPolicy(t *testing.T) {
	scantest.Run(t, "testdata/CLOUDFRONT-003", cloudfront.WeakTLSPolicy)
}
func TestViewerHTTP(t *testing.T) { scantest.Run(t, "testdata/CLOUDFRONT-004", cloudfront.ViewerHTTP) }
func TestOriginHTTP(t *testing.T) { scantest.Run(t, "testdata/CLOUDFRONT-005", cloudfront.OriginHTTP) }
func TestOriginSSLv3(t *testing.T) {
	scantest.Run(t, "testdata/CLOUDFRONT-006", cloudfront.OriginSSLv3)
}
func TestS3OriginWithoutAccessControl(t *testing.T) {
	scantest.Run(t, "testdata/CLOUDFRONT-007", cloudfront.S3OriginWithoutAccessControl)
}
func TestNoWebACL(t *testing.T) { scantest.Run(t, "testdata/CLOUDFRONT-008", cloudfront.NoWebACL) }
