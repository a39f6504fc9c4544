package alexa_test

import (
	"testing"

	"github.com/safetynet-dev/safetynet/scan/rules/alexa"
	"github.com/safetynet-dev/safetynet/scan/scantest"
)

func TestClientSecretInTemplate(t *testing.T) {
	scantest.Run(t, "testdata/ALEXA-001", alexa.ClientSecretInTemplate)
}

func TestRefreshTokenInTemplate(t *testing.T) {
	scantest.Run(t, "testdata/ALEXA-002", alexa.RefreshTokenInTemplate)
}
