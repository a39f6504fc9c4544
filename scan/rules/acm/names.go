package acm

import (
	"regexp"
	"strings"

	"github.com/safetynet-dev/safetynet/cfn"
	"github.com/safetynet-dev/safetynet/scan/rules/internal/prop"
)

const typeCertificate = "AWS::CertificateManager::Certificate"

// isPrivate reports whether a certificate may be issued by a private CA
// (CertificateAuthorityArn), which validates nothing by e-mail or DNS.
func isPrivate(e *cfn.Evaluator, r *cfn.Resource) bool {
	for _, v := range prop.Get(e, r, "CertificateAuthorityArn") {
		if !v.Absent {
			return true
		}
	}
	return false
}

// methodIs returns the possible ValidationMethod values that are the given
// method; an absent method is EMAIL, the documented default.
func methodIs(e *cfn.Evaluator, r *cfn.Resource, method string) []prop.Val {
	var out []prop.Val
	for _, v := range prop.Get(e, r, "ValidationMethod") {
		s, ok := v.Str()
		switch {
		case v.Absent && method == "EMAIL":
			out = append(out, v)
		case ok && strings.EqualFold(strings.TrimSpace(s), method):
			out = append(out, v)
		}
	}
	return out
}

// names returns the possible values of the certificate's DomainName and of
// each SubjectAlternativeNames item, in that order.
func names(e *cfn.Evaluator, r *cfn.Resource) []prop.Val {
	var out []prop.Val
	for _, v := range prop.Get(e, r, "DomainName") {
		if !v.Absent {
			out = append(out, v)
		}
	}
	return append(out, sans(e, r)...)
}

// sans returns the possible SubjectAlternativeNames items.
func sans(e *cfn.Evaluator, r *cfn.Resource) []prop.Val {
	return prop.Items(e, prop.Get(e, r, "SubjectAlternativeNames"))
}

// options returns the possible DomainValidationOptions entries.
func options(e *cfn.Evaluator, r *cfn.Resource) []prop.Val {
	var out []prop.Val
	for _, v := range prop.Items(e, prop.Get(e, r, "DomainValidationOptions")) {
		if v.Node != nil && v.Node.Kind == cfn.Map {
			out = append(out, v)
		}
	}
	return out
}

// norm lowers a DNS name and drops its final dot.
func norm(s string) string { return strings.TrimSuffix(strings.ToLower(strings.TrimSpace(s)), ".") }

// text renders an unknown value as it reads inside a string, so that
// !Ref X and "${X}" compare equal.
func text(v prop.Val) string {
	if r, ok := strings.CutPrefix(v.Text, "Ref "); ok {
		return "${" + r + "}"
	}
	return v.Text
}

// opaque reports whether an unknown value has no literal part that a name
// could be compared with (!Ref X, "${X}", an import), so it could be any
// name.
func opaque(v prop.Val) bool {
	t := text(v)
	if strings.HasPrefix(t, "Fn::") {
		return true
	}
	return !strings.Contains(placeholder.ReplaceAllString(t, ""), ".")
}

var placeholder = regexp.MustCompile(`\$\{[^}]*\}`)

// maybeSame reports whether two names may be equal when deployed. With
// wild, a wildcard and its base (*.example.com and example.com) count as
// the same, as they share one DNS validation record.
func maybeSame(a, b prop.Val, wild bool) bool {
	sa, ka := a.Str()
	sb, kb := b.Str()
	switch {
	case ka && kb:
		x, y := norm(sa), norm(sb)
		if wild {
			x, y = strings.TrimPrefix(x, "*."), strings.TrimPrefix(y, "*.")
		}
		return x == y
	case !ka && !kb:
		return text(a) == text(b) || (opaque(a) && opaque(b))
	case !ka:
		return opaque(a) || strings.Contains(text(a), "${")
	default:
		return opaque(b) || strings.Contains(text(b), "${")
	}
}

// covers reports whether wildcard name w (*.example.com) covers name n: n
// has exactly one label more than w's base.
func covers(w, n string) bool {
	base, ok := strings.CutPrefix(w, "*.")
	if !ok {
		return false
	}
	label, ok := strings.CutSuffix(n, "."+base)
	return ok && label != "" && label != "*" && !strings.Contains(label, ".")
}

// secondLevel lists second-level labels under which country-code domains
// are registered (example.co.uk); a heuristic, not the public suffix list.
var secondLevel = map[string]bool{
	"co": true, "com": true, "net": true, "org": true, "gov": true, "edu": true,
	"ac": true, "or": true, "ne": true, "go": true, "gob": true, "mil": true, "ltd": true, "plc": true,
}

// registered returns the registered domain of a name: example.com for
// a.b.example.com, example.co.uk for www.example.co.uk.
func registered(name string) string {
	labels := strings.Split(strings.TrimPrefix(norm(name), "*."), ".")
	n := 2
	if len(labels) >= 3 && len(labels[len(labels)-1]) == 2 && secondLevel[labels[len(labels)-2]] {
		n = 3
	}
	if len(labels) <= n {
		return strings.Join(labels, ".")
	}
	return strings.Join(labels[len(labels)-n:], ".")
}

// label names a value for messages.
func label(v prop.Val) string {
	if s, ok := v.Str(); ok {
		return `"` + s + `"`
	}
	return text(v)
}

// because returns loc, the value a finding points at, with the conditions
// of both values and the origin of cause, the value that makes it wrong.
func because(loc, cause prop.Val) (prop.Val, bool) {
	out, ok := prop.Both(loc, cause)
	if ok && cause.Origin != cfn.Unknown && cause.Origin != cfn.Literal {
		out.Origin, out.Param = cause.Origin, cause.Param
	}
	return out, ok
}
