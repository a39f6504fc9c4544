package policy

import (
	"regexp"
	"strings"

	"github.com/safetynet-dev/safetynet/cfn"
	"github.com/safetynet-dev/safetynet/scan/rules/internal/prop"
)

// Helpers for the IAM, KMS and Secrets Manager rules about who a policy
// lets in: whole accounts, the template's own account, and the condition
// keys that narrow a grant.

var (
	iamRootARN   = regexp.MustCompile(`^arn:(?:aws[a-z-]*|\$\{AWS::Partition\}):iam::(\$\{[^}]+\}|[^:]+):root$`)
	iamAccountID = regexp.MustCompile(`^[0-9]{12}$`)
)

// OwnAccount is how IAMAccountRoot names the account the stack deploys to
// when it is not supplied.
const OwnAccount = "${AWS::AccountId}"

// IAMPrincipalText returns the text of a principal value: the string when
// it is known, the symbolic rendering ("arn:aws:iam::${Prod}:root") when it
// is not. ok is false for absent and non-scalar values.
func IAMPrincipalText(v prop.Val) (string, bool) {
	if s, ok := v.Str(); ok {
		return s, true
	}
	if v.Absent || v.Origin != cfn.Unknown {
		return "", false
	}
	if ref, ok := strings.CutPrefix(v.Text, "Ref "); ok {
		if ref == "AWS::AccountId" {
			return OwnAccount, true
		}
		return "${" + ref + "}", true
	}
	return v.Text, v.Text != ""
}

// IAMAccountRoot reports whether a principal grants a whole account: the
// account's root ARN ("arn:aws:iam::111122223333:root") or its bare ID. It
// returns the account as written: twelve digits, OwnAccount, or a
// placeholder such as "${ProdAccount}" for a parameter without a value. A
// bare Ref to a parameter is not taken for an account, since it may hold
// any ARN.
func IAMAccountRoot(v prop.Val) (account string, ok bool) {
	s, ok := IAMPrincipalText(v)
	if !ok {
		return "", false
	}
	if m := iamRootARN.FindStringSubmatch(s); m != nil {
		return m[1], true
	}
	if iamAccountID.MatchString(s) || s == OwnAccount {
		return s, true
	}
	return "", false
}

// IAMSuppliedAccount returns the account ID supplied for AWS::AccountId
// (from a parameter file or the stack map), or "" when none was.
func IAMSuppliedAccount(e *cfn.Evaluator) string {
	ref := &cfn.Node{Kind: cfn.Map, Pairs: []cfn.Pair{{Key: "Ref", Value: &cfn.Node{Kind: cfn.String, Value: "AWS::AccountId"}}}}
	for _, v := range e.Values(ref) {
		if s, ok := v.String(); ok {
			return s
		}
	}
	return ""
}

// IAMIsOwnAccount reports whether account (as IAMAccountRoot returns it) is
// the account the stack deploys to; supplied is IAMSuppliedAccount's
// result.
func IAMIsOwnAccount(account, supplied string) bool {
	return account == OwnAccount || (supplied != "" && account == supplied)
}

// IAMAWSPrincipals returns the possible entries of the statement's
// Principal (or NotPrincipal, with key) that name AWS principals: each item
// under AWS, or the whole value when it is a plain string such as "*".
func IAMAWSPrincipals(e *cfn.Evaluator, st Statement, key string) []prop.Val {
	var out []prop.Val
	for _, v := range st.Field(key) {
		if v.Absent {
			continue
		}
		if v.Node != nil && v.Node.Kind == cfn.Map && v.Known() {
			out = append(out, prop.Items(e, prop.Field(e, []prop.Val{v}, "AWS"))...)
			continue
		}
		out = append(out, prop.Items(e, []prop.Val{v})...)
	}
	return out
}

// IAMConditionKeys returns the condition keys of a statement, lower-cased
// ("sts:externalid"), with the operator each appears under, across every
// possible value of Condition.
func IAMConditionKeys(e *cfn.Evaluator, st Statement) map[string][]prop.Val {
	keys := map[string][]prop.Val{}
	for _, c := range st.Field("Condition") {
		if c.Absent || c.Node == nil || c.Node.Kind != cfn.Map || !c.Known() {
			continue
		}
		for _, op := range c.Node.Pairs {
			for _, ov := range prop.Field(e, []prop.Val{c}, op.Key) {
				if ov.Absent || ov.Node == nil || ov.Node.Kind != cfn.Map || !ov.Known() {
					continue
				}
				for _, k := range ov.Node.Pairs {
					lk := strings.ToLower(k.Key)
					keys[lk] = append(keys[lk], prop.Field(e, []prop.Val{ov}, k.Key)...)
				}
			}
		}
	}
	return keys
}

// IAMNarrowingKeys are condition keys that limit a grant to named
// principals, accounts or an organization, so that a wildcard or account
// principal with one of them is not open to everyone.
var IAMNarrowingKeys = []string{
	"aws:principalaccount",
	"aws:principalarn",
	"aws:principalorgid",
	"aws:principalorgpaths",
	"kms:calleraccount",
}

// IAMHasAnyKey reports whether keys holds one of want, and returns it.
func IAMHasAnyKey(keys map[string][]prop.Val, want ...string) (string, bool) {
	for _, k := range want {
		if _, ok := keys[k]; ok {
			return k, true
		}
	}
	return "", false
}
