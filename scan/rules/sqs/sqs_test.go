package sqs_test

import (
	"testing"

	"github.com/safetynet-dev/safetynet/scan/rules/sqs"
	"github.com/safetynet-dev/safetynet/scan/scantest"
)

func TestPolicyNotPrincipal(t *testing.T) {
	scantest.Run(t, "testdata/SQS-001", sqs.PolicyNotPrincipal)
}
func TestPolicyWildcardAction(t *testing.T) {
	scantest.Run(t, "testdata/SQS-002", sqs.PolicyWildcardAction)
}
func TestPolicyWildcardPrincipal(t *testing.T) {
	scantest.Run(t, "testdata/SQS-003", sqs.PolicyWildcardPrincipal)
}
func TestPolicyNotAction(t *testing.T) { scantest.Run(t, "testdata/SQS-004", sqs.PolicyNotAction) }
func TestQueueNoKMSKey(t *testing.T)   { scantest.Run(t, "testdata/SQS-005", sqs.QueueNoKMSKey) }
func TestQueueAWSManagedKey(t *testing.T) {
	scantest.Run(t, "testdata/SQS-006", sqs.QueueAWSManagedKey)
}
