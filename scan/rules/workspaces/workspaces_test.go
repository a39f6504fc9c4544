package workspaces_test

import (
	"testing"

	"github.com/safetynet-dev/safetynet/scan/rules/workspaces"
	"github.com/safetynet-dev/safetynet/scan/scantest"
)

func TestUserVolumeUnencrypted(t *testing.T) {
	scantest.Run(t, "testdata/WORKSPACES-001", workspaces.UserVolumeUnencrypted)
}

func TestRootVolumeUnencrypted(t *testing.T) {
	scantest.Run(t, "testdata/WORKSPACES-002", workspaces.RootVolumeUnencrypted)
}
