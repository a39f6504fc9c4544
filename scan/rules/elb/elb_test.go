package elb_test

import (
	"testing"

	"github.com/safetynet-dev/safetynet/scan/rules/elb"
	"github.com/safetynet-dev/safetynet/scan/scantest"
)

func TestClassicAccessLogging(t *testing.T) {
	scantest.Run(t, "testdata/ELB-001", elb.ClassicAccessLogging)
}
func TestV2AccessLogging(t *testing.T)   { scantest.Run(t, "testdata/ELB-002", elb.V2AccessLogging) }
func TestListenerSSLPolicy(t *testing.T) { scantest.Run(t, "testdata/ELB-003", elb.ListenerSSLPolicy) }
func TestListenerHTTP(t *testing.T)      { scantest.Run(t, "testdata/ELB-004", elb.ListenerHTTP) }
func TestListenerHTTPNoRedirect(t *testing.T) {
	scantest.Run(t, "testdata/ELB-005", elb.ListenerHTTPNoRedirect)
}
func TestDropInvalidHeaders(t *testing.T) {
	scantest.Run(t, "testdata/ELB-006", elb.DropInvalidHeaders)
}
func TestDeletionProtection(t *testing.T) {
	scantest.Run(t, "testdata/ELB-007", elb.DeletionProtection)
}
func TestClassicPlaintextListener(t *testing.T) {
	scantest.Run(t, "testdata/ELB-008", elb.ClassicPlaintextListener)
}
