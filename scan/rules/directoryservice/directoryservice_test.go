package directoryservice_test

import (
	"testing"

	"github.com/safetynet-dev/safetynet/scan/rules/directoryservice"
	"github.com/safetynet-dev/safetynet/scan/scantest"
)

func TestPasswordInTemplate(t *testing.T) {
	scantest.Run(t, "testdata/DS-001", directoryservice.PasswordInTemplate)
}
