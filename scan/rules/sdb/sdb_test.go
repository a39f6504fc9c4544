package sdb_test

import (
	"testing"

	"github.com/safetynet-dev/safetynet/scan/rules/sdb"
	"github.com/safetynet-dev/safetynet/scan/scantest"
)

func TestDomain(t *testing.T) { scantest.Run(t, "testdata/SDB-001", sdb.Domain) }
