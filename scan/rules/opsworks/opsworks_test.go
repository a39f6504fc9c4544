package opsworks_test

import (
	"testing"

	"github.com/safetynet-dev/safetynet/scan/rules/opsworks"
	"github.com/safetynet-dev/safetynet/scan/scantest"
)

func TestRdsDbPasswordInTemplate(t *testing.T) {
	scantest.Run(t, "testdata/OPSWORKS-001", opsworks.RdsDbPasswordInTemplate)
}

func TestCookbooksPasswordInTemplate(t *testing.T) {
	scantest.Run(t, "testdata/OPSWORKS-002", opsworks.CookbooksPasswordInTemplate)
}

func TestSslPrivateKeyInTemplate(t *testing.T) {
	scantest.Run(t, "testdata/OPSWORKS-003", opsworks.SslPrivateKeyInTemplate)
}

func TestAppSourcePasswordInTemplate(t *testing.T) {
	scantest.Run(t, "testdata/OPSWORKS-004", opsworks.AppSourcePasswordInTemplate)
}

func TestEnvironmentSecret(t *testing.T) {
	scantest.Run(t, "testdata/OPSWORKS-005", opsworks.EnvironmentSecret)
}
