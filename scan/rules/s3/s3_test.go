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
