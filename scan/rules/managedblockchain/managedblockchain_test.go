package managedblockchain_test

import (
	"testing"

	"github.com/safetynet-dev/safetynet/scan/rules/managedblockchain"
	"github.com/safetynet-dev/safetynet/scan/scantest"
)

func TestAdminPasswordInTemplate(t *testing.T) {
	scantest.Run(t, "testdata/BLOCKCHAIN-001", managedblockchain.AdminPasswordInTemplate)
}
