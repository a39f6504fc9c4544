package kms_test

import (
	"testing"

	"github.com/safetynet-dev/safetynet/scan/rules/kms"
	"github.com/safetynet-dev/safetynet/scan/scantest"
)

func TestKeyRotationDisabled(t *testing.T) {
	scantest.Run(t, "testdata/KMS-001", kms.KeyRotationDisabled)
}
