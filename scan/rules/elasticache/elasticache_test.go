package elasticache_test

import (
	"testing"

	"github.com/safetynet-dev/safetynet/scan/rules/elasticache"
	"github.com/safetynet-dev/safetynet/scan/scantest"
)

func TestAtRestUnencrypted(t *testing.T) {
	scantest.Run(t, "testdata/ELASTICACHE-001", elasticache.AtRestUnencrypted)
}
func TestTransitUnencrypted(t *testing.T) {
	scantest.Run(t, "testdata/ELASTICACHE-002", elasticache.TransitUnencrypted)
}
func TestAuthTokenInTemplate(t *testing.T) {
	scantest.Run(t, "testdata/ELASTICACHE-003", elasticache.AuthTokenInTemplate)
}
func TestNoAuth(t *testing.T) { scantest.Run(t, "testdata/ELASTICACHE-004", elasticache.NoAuth) }
func TestUserPasswordInTemplate(t *testing.T) {
	scantest.Run(t, "testdata/ELASTICACHE-005", elasticache.UserPasswordInTemplate)
}
func TestMinorUpgradeOff(t *testing.T) {
	scantest.Run(t, "testdata/ELASTICACHE-006", elasticache.MinorUpgradeOff)
}
