package appstream_test

import (
	"testing"

	"github.com/safetynet-dev/safetynet/scan/rules/appstream"
	"github.com/safetynet-dev/safetynet/scan/scantest"
)

func TestAccountPasswordInTemplate(t *testing.T) {
	scantest.Run(t, "testdata/APPSTREAM-001", appstream.AccountPasswordInTemplate)
}

func TestDefaultInternetAccess(t *testing.T) {
	scantest.Run(t, "testdata/APPSTREAM-002", appstream.DefaultInternetAccess)
}
