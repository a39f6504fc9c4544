package gamelift_test

import (
	"testing"

	"github.com/safetynet-dev/safetynet/scan/rules/gamelift"
	"github.com/safetynet-dev/safetynet/scan/scantest"
)

func TestInboundPortRange(t *testing.T) {
	scantest.Run(t, "testdata/GAMELIFT-001", gamelift.InboundPortRange)
}

func TestRemoteAccessOpen(t *testing.T) {
	scantest.Run(t, "testdata/GAMELIFT-002", gamelift.RemoteAccessOpen)
}
