package route53_test

import (
	"testing"

	"github.com/safetynet-dev/safetynet/scan/rules/route53"
	"github.com/safetynet-dev/safetynet/scan/scantest"
)

func TestAliasTargetMismatch(t *testing.T) {
	scantest.Run(t, "testdata/R53-001", route53.AliasTargetMismatch)
}
func TestAliasZoneMismatch(t *testing.T) {
	scantest.Run(t, "testdata/R53-002", route53.AliasZoneMismatch)
}
func TestQueryLogging(t *testing.T) { scantest.Run(t, "testdata/R53-003", route53.QueryLogging) }
