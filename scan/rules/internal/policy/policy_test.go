package policy

import "testing"

func TestActionMatches(t *testing.T) {
	for _, tc := range []struct {
		pattern, action string
		want            bool
	}{
		{"*", "iam:PassRole", true},
		{"iam:*", "iam:PassRole", true},
		{"iam:Pass*", "iam:PassRole", true},
		{"IAM:passrole", "iam:PassRole", true},
		{"iam:P?ssRole", "iam:PassRole", true},
		{"iam:Get*", "iam:PassRole", false},
		{"s3:*", "iam:PassRole", false},
		{"iam:PassRol", "iam:PassRole", false},
	} {
		if got := ActionMatches(tc.pattern, tc.action); got != tc.want {
			t.Errorf("ActionMatches(%q, %q) = %v", tc.pattern, tc.action, got)
		}
	}
}

func TestWildcardAction(t *testing.T) {
	for s, want := range map[string]bool{"*": true, "s3:*": true, "ec2-instance-connect:*": true, "s3:Get*": false, "s3:GetObject": false} {
		if got := WildcardAction(s); got != want {
			t.Errorf("WildcardAction(%q) = %v", s, got)
		}
	}
}
