package kendra_test

import (
	"testing"

	"github.com/safetynet-dev/safetynet/scan/rules/kendra"
	"github.com/safetynet-dev/safetynet/scan/scantest"
)

func TestIndexNoKMSKey(t *testing.T) { scantest.Run(t, "testdata/KENDRA-001", kendra.IndexNoKMSKey) }
