package policy

import (
	"testing"

	"github.com/safetynet-dev/safetynet/cfn"
	"github.com/safetynet-dev/safetynet/scan/rules/internal/prop"
)

func TestIAMAccountRoot(t *testing.T) {
	known := func(s string) prop.Val {
		return prop.Val{Value: cfn.Value{Node: &cfn.Node{Kind: cfn.String, Value: s}}}
	}
	unknown := func(text string) prop.Val {
		return prop.Val{Value: cfn.Value{Node: &cfn.Node{Kind: cfn.String, Value: text}, Origin: cfn.Unknown, Text: text}}
	}
	for _, tc := range []struct {
		v    prop.Val
		want string
		ok   bool
	}{
		{known("arn:aws:iam::111122223333:root"), "111122223333", true},
		{known("arn:aws-us-gov:iam::111122223333:root"), "111122223333", true},
		{known("111122223333"), "111122223333", true},
		{known("arn:aws:iam::111122223333:role/x"), "", false},
		{known("*"), "", false},
		{unknown("arn:aws:iam::${AWS::AccountId}:root"), OwnAccount, true},
		{unknown("arn:${AWS::Partition}:iam::${Prod}:root"), "${Prod}", true},
		{unknown("Ref AWS::AccountId"), OwnAccount, true},
		{unknown("Ref Prod"), "", false},
		{unknown("Role.Arn"), "", false},
	} {
		got, ok := IAMAccountRoot(tc.v)
		if got != tc.want || ok != tc.ok {
			t.Errorf("IAMAccountRoot(%q) = %q, %v; want %q, %v", tc.v.Text+tc.v.Node.Value, got, ok, tc.want, tc.ok)
		}
	}
}
