package efs_test

import (
	"testing"

	"github.com/safetynet-dev/safetynet/scan/rules/efs"
	"github.com/safetynet-dev/safetynet/scan/scantest"
)

func TestUnencrypted(t *testing.T)     { scantest.Run(t, "testdata/EFS-001", efs.Unencrypted) }
func TestNoBackup(t *testing.T)        { scantest.Run(t, "testdata/EFS-002", efs.NoBackup) }
func TestAccessPointRoot(t *testing.T) { scantest.Run(t, "testdata/EFS-003", efs.AccessPointRoot) }
