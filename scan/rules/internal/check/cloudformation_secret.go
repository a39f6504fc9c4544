package check

import (
	"strings"
	"unicode"

	"github.com/safetynet-dev/safetynet/cfn"
	"github.com/safetynet-dev/safetynet/scan"
	"github.com/safetynet-dev/safetynet/scan/rules/internal/prop"
)

// CFNSecretProblem says why a secret value is not kept secret ("is written
// in the template in plain text", "comes from parameter P, which is not
// NoEcho..."), or returns "" when it is: a dynamic reference with one of
// the allowed prefixes, a NoEcho parameter without Default, or a value not
// known before deploy. Unlike Secret's messages, a {{resolve:ssm:...}}
// reference is named as such, and so is an ssm-secure reference where
// CloudFormation does not resolve one. Rules that find secrets in places
// Secret cannot walk to (list items, metadata, name/value lists) use it.
func CFNSecretProblem(t *cfn.Template, v prop.Val, allowed []string) string {
	why := secretProblem(t, v, allowed)
	if why == "" {
		return ""
	}
	if s, ok := v.Str(); ok {
		switch {
		case strings.HasPrefix(s, "{{resolve:ssm:"):
			return "is read from an SSM String parameter ({{resolve:ssm:...}}), which is stored and shown unencrypted"
		case strings.HasPrefix(s, SSMSecure):
			return "uses {{resolve:ssm-secure:...}}, which CloudFormation does not resolve for this property"
		}
	}
	return why
}

// CFNSecret is Secret with CFNSecretProblem's messages: it reports the
// property at path of each resource of the rule's types when its value is
// not kept secret.
func CFNSecret(allowed []string, path ...string) func(*scan.Pass) {
	name := path[len(path)-1]
	return func(p *scan.Pass) {
		rep := prop.NewReporter(p)
		for _, r := range p.Resources() {
			for _, v := range prop.Get(p.Eval, r, path...) {
				if why := CFNSecretProblem(p.Template, v, allowed); why != "" {
					rep.Report(r, v, "%s %s", name, why)
				}
			}
		}
	}
}

// secretKeyQualifiers are the words that make a trailing "key" a secret
// (ApiKey, SSHPrivateKey, STRIPE_SECRET_KEY) rather than a key's name or ID
// (KmsKey, EncryptionKey, PartitionKey).
var secretKeyQualifiers = map[string]bool{
	"api": true, "private": true, "secret": true, "access": true, "client": true,
	"signing": true, "auth": true, "license": true, "webhook": true, "master": true,
}

// settingWords mark a name as a setting about secrets (MaxPasswordAge,
// AllowUsersToChangePassword, RequireSymbols) rather than a secret.
var settingWords = map[string]bool{
	"allow": true, "require": true, "enable": true, "disable": true, "use": true,
	"create": true, "generate": true, "rotate": true, "manage": true, "deploy": true,
	"max": true, "min": true, "policy": true, "length": true, "reuse": true,
}

// CFNSecretName reports whether an environment variable or parameter name
// looks like it holds a secret: its last word (ignoring a trailing Value or
// String) is password, passwd, pwd, passphrase, secret, token or apikey, or
// key after a word such as api, private, secret or access. Names that end
// in another word (DbPasswordArn, TOKEN_URL, SecretName), plurals
// (HttpTokens, EcsSecretKeys) and settings about secrets (MaxPasswordAge,
// AllowUsersToChangePassword) do not.
func CFNSecretName(name string) bool {
	words := splitWords(name)
	for len(words) > 1 && (words[len(words)-1] == "value" || words[len(words)-1] == "string") {
		words = words[:len(words)-1]
	}
	if len(words) == 0 {
		return false
	}
	for _, w := range words {
		if settingWords[w] {
			return false
		}
	}
	switch last := words[len(words)-1]; last {
	case "password", "passwd", "pwd", "passphrase", "secret", "token", "apikey":
		return true
	case "key":
		return len(words) > 1 && secretKeyQualifiers[words[len(words)-2]]
	}
	return false
}

// splitWords splits a camelCase, PascalCase, snake_case or kebab-case name
// into lower-case words; an acronym is one word (SSHPrivateKey gives ssh,
// private, key).
func splitWords(name string) []string {
	var words []string
	var cur []rune
	flush := func() {
		if len(cur) > 0 {
			words = append(words, strings.ToLower(string(cur)))
			cur = cur[:0]
		}
	}
	rs := []rune(name)
	for i, r := range rs {
		switch {
		case !unicode.IsLetter(r) && !unicode.IsDigit(r):
			flush()
			continue
		case i > 0 && unicode.IsUpper(r) && unicode.IsLower(rs[i-1]):
			flush()
		case i > 0 && unicode.IsUpper(r) && unicode.IsUpper(rs[i-1]) && i+1 < len(rs) && unicode.IsLower(rs[i+1]):
			flush()
		case i > 0 && unicode.IsDigit(r) != unicode.IsDigit(rs[i-1]):
			flush()
		}
		cur = append(cur, r)
	}
	flush()
	return words
}
