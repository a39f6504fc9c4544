package sns_test

import (
	"testing"

	"github.com/safetynet-dev/safetynet/scan/rules/sns"
	"github.com/safetynet-dev/safetynet/scan/scantest"
)

func TestPolicyNotPrincipal(t *testing.T) {
	scantest.Run(t, "testdata/SNS-001", sns.PolicyNotPrincipal)
}
func TestPolicyWildcardPrincipal(t *testing.T) {
	scantest.Run(t, "testdata/SNS-002", sns.PolicyWildcardPrincipal)
}
func TestPolicyNotAction(t *testing.T) { scantest.Run(t, "testdata/SNS-003", sns.PolicyNotAction) }
func TestTopicNoKMSKey(t *testing.T)   { scantest.Run(t, "testdata/SNS-004", sns.TopicNoKMSKey) }
func TestTopicAWSManagedKey(t *testing.T) {
	scantest.Run(t, "testdata/SNS-005", sns.TopicAWSManagedKey)
}
func TestPolicyWildcardAction(t *testing.T) {
	scantest.Run(t, "testdata/SNS-006", sns.PolicyWildcardAction)
}
func TestPlainHTTPSubscription(t *testing.T) {
	scantest.Run(t, "testdata/SNS-007", sns.PlainHTTPSubscription)
}
