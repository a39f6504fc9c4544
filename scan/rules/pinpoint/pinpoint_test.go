package pinpoint_test

import (
	"testing"

	"github.com/safetynet-dev/safetynet/scan/rules/pinpoint"
	"github.com/safetynet-dev/safetynet/scan/scantest"
)

func TestPrivateKeyInTemplate(t *testing.T) {
	scantest.Run(t, "testdata/PINPOINT-001", pinpoint.PrivateKeyInTemplate)
}

func TestTokenKeyInTemplate(t *testing.T) {
	scantest.Run(t, "testdata/PINPOINT-002", pinpoint.TokenKeyInTemplate)
}

func TestChannelCredentialInTemplate(t *testing.T) {
	scantest.Run(t, "testdata/PINPOINT-003", pinpoint.ChannelCredentialInTemplate)
}
