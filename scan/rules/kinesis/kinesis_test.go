package kinesis_test

import (
	"testing"

	"github.com/safetynet-dev/safetynet/scan/rules/kinesis"
	"github.com/safetynet-dev/safetynet/scan/scantest"
)

func TestStreamNotEncrypted(t *testing.T) {
	scantest.Run(t, "testdata/KINESIS-001", kinesis.StreamNotEncrypted)
}
func TestDeliveryStreamNotEncrypted(t *testing.T) {
	scantest.Run(t, "testdata/FIREHOSE-001", kinesis.DeliveryStreamNotEncrypted)
}
func TestRedshiftPassword(t *testing.T) {
	scantest.Run(t, "testdata/FIREHOSE-002", kinesis.RedshiftPassword)
}
func TestSplunkHECToken(t *testing.T) {
	scantest.Run(t, "testdata/FIREHOSE-003", kinesis.SplunkHECToken)
}
func TestHTTPEndpointAccessKey(t *testing.T) {
	scantest.Run(t, "testdata/FIREHOSE-004", kinesis.HTTPEndpointAccessKey)
}
