package iam_test

import (
	"testing"

	"github.com/safetynet-dev/safetynet/scan/rules/iam"
	"github.com/safetynet-dev/safetynet/scan/scantest"
)

func TestWildcardAction(t *testing.T)   { scantest.Run(t, "testdata/IAM-001", iam.WildcardAction) }
func TestWildcardResource(t *testing.T) { scantest.Run(t, "testdata/IAM-002", iam.WildcardResource) }
func TestAllowNotAction(t *testing.T)   { scantest.Run(t, "testdata/IAM-003", iam.AllowNotAction) }
func TestPolicyOnUser(t *testing.T)     { scantest.Run(t, "testdata/IAM-004", iam.PolicyOnUser) }
func TestUserInlinePolicy(t *testing.T) { scantest.Run(t, "testdata/IAM-005", iam.UserInlinePolicy) }
func TestTrustWildcardAction(t *testing.T) {
	scantest.Run(t, "testdata/IAM-006", iam.TrustWildcardAction)
}
func TestPassRoleWildcard(t *testing.T) { scantest.Run(t, "testdata/IAM-007", iam.PassRoleWildcard) }
