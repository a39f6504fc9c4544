package waf_test

import (
	"testing"

	"github.com/safetynet-dev/safetynet/scan/rules/waf"
	"github.com/safetynet-dev/safetynet/scan/scantest"
)

func TestClassicDefaultAllow(t *testing.T) {
	scantest.Run(t, "testdata/WAF-001", waf.ClassicDefaultAllow)
}
func TestEmptyAllowACL(t *testing.T)   { scantest.Run(t, "testdata/WAF-002", waf.EmptyAllowACL) }
func TestNoLogging(t *testing.T)       { scantest.Run(t, "testdata/WAF-003", waf.NoLogging) }
func TestMetricsDisabled(t *testing.T) { scantest.Run(t, "testdata/WAF-004", waf.MetricsDisabled) }
