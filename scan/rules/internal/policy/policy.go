// Package policy reads IAM-style policy documents (identity policies, trust
// policies and resource policies) out of resources, through the evaluator.
package policy

import (
	"reflect"
	"regexp"
	"strings"
	"sync"

	"github.com/safetynet-dev/safetynet/cfn"
	"github.com/safetynet-dev/safetynet/scan/rules/internal/prop"
)

// Statement is one possible statement of a policy document.
type Statement struct {
	prop.Val
	e    *cfn.Evaluator
	memo *stmtMemo // set on statements shared through ResourceStatements
}

// Inline returns the policy documents written in the Policies property of a
// role, user or group, and the PolicyDocument of a policy or managed policy:
// the permissions a resource grants to identities.
func Inline(e *cfn.Evaluator, r *cfn.Resource) []prop.Val {
	switch r.Type {
	case "AWS::IAM::Policy", "AWS::IAM::ManagedPolicy":
		return prop.Get(e, r, "PolicyDocument")
	}
	return prop.Field(e, prop.Items(e, prop.Get(e, r, "Policies")), "PolicyDocument")
}

// ResourceStatements returns the statements of the documents docs picks
// out of r, shared by every rule that asks on the same template: docs is a
// function such as Inline, and the pair (r, docs) is the memo key.
func ResourceStatements(e *cfn.Evaluator, r *cfn.Resource, docs func(*cfn.Evaluator, *cfn.Resource) []prop.Val) []Statement {
	key := stmtKey{r, reflect.ValueOf(docs).Pointer()}
	return e.Memo(key, func() any {
		sts := Statements(e, docs(e, r))
		for i := range sts {
			sts[i].memo = &stmtMemo{fields: map[string][]prop.Val{}}
		}
		return sts
	}).([]Statement)
}

type stmtKey struct {
	r    *cfn.Resource
	docs uintptr
}

// stmtMemo keeps the fields already read from a shared statement.
type stmtMemo struct {
	mu     sync.Mutex
	fields map[string][]prop.Val
}

// Statements returns the statements of the given documents. A document
// with a single statement object counts as a list of one.
func Statements(e *cfn.Evaluator, docs []prop.Val) []Statement {
	var out []Statement
	for _, s := range prop.Items(e, prop.Field(e, docs, "Statement")) {
		if s.Node != nil && s.Node.Kind == cfn.Map {
			out = append(out, Statement{Val: s, e: e})
		}
	}
	return out
}

// Allows reports whether the statement may allow: its Effect is Allow in
// some possible value. An unknown Effect counts as Allow, since a policy
// that only works when it denies is not what a template usually means.
func (s Statement) Allows() bool {
	for _, v := range s.Field("Effect") {
		if str, ok := v.Str(); (ok && str == "Allow") || v.Origin == cfn.Unknown {
			return true
		}
	}
	return false
}

// Field returns the possible values of one key of the statement. The
// slice may be shared with other rules: do not modify it.
func (s Statement) Field(key string) []prop.Val {
	if s.memo == nil {
		return prop.Field(s.e, []prop.Val{s.Val}, key)
	}
	s.memo.mu.Lock()
	v, ok := s.memo.fields[key]
	s.memo.mu.Unlock()
	if !ok {
		v = prop.Field(s.e, []prop.Val{s.Val}, key)
		s.memo.mu.Lock()
		s.memo.fields[key] = v
		s.memo.mu.Unlock()
	}
	return v
}

// Present returns the possible values of key that are set.
func (s Statement) Present(key string) []prop.Val {
	var out []prop.Val
	for _, v := range s.Field(key) {
		if !v.Absent {
			out = append(out, v)
		}
	}
	return out
}

// Strings returns the possible elements of a string-or-list key such as
// Action or Resource.
func (s Statement) Strings(key string) []prop.Val {
	return prop.Items(s.e, s.Field(key))
}

// Principals returns the possible principal strings of the statement's
// Principal (or NotPrincipal, with key): "*" itself, or each entry under
// AWS, Service, Federated or CanonicalUser.
func (s Statement) Principals(key string) []prop.Val {
	var out []prop.Val
	for _, v := range s.Field(key) {
		if v.Node != nil && v.Node.Kind == cfn.Map && v.Known() {
			for _, p := range v.Node.Pairs {
				out = append(out, prop.Items(s.e, prop.Field(s.e, []prop.Val{v}, p.Key))...)
			}
			continue
		}
		out = append(out, prop.Items(s.e, []prop.Val{v})...)
	}
	return out
}

// serviceWildcard matches an action that grants a whole service, such as
// "s3:*".
var serviceWildcard = regexp.MustCompile(`^[A-Za-z0-9-]+:\*$`)

// WildcardAction reports whether an action is "*" or "service:*".
func WildcardAction(action string) bool {
	return action == "*" || serviceWildcard.MatchString(action)
}

// ActionMatches reports whether the action pattern (which may contain * and
// ? wildcards) covers the action name, ignoring case as IAM does.
func ActionMatches(pattern, action string) bool {
	return globMatch(strings.ToLower(pattern), strings.ToLower(action))
}

func globMatch(p, s string) bool {
	for len(p) > 0 {
		switch p[0] {
		case '*':
			for i := len(s); i >= 0; i-- {
				if globMatch(p[1:], s[i:]) {
					return true
				}
			}
			return false
		case '?':
			if s == "" {
				return false
			}
		default:
			if s == "" || s[0] != p[0] {
				return false
			}
		}
		p, s = p[1:], s[1:]
	}
	return s == ""
}

// WildcardPrincipal reports whether a principal string admits anyone: "*",
// or any ARN with a wildcard in it.
func WildcardPrincipal(p string) bool {
	return strings.Contains(p, "*")
}
