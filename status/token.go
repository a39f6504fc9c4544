package status

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"regexp"
	"strings"
	"time"
)

// Scope is what an API token may do on the admin API.
type Scope string

// The scopes. A token holds one or more; write implies read, since a
// person who posts an update needs to see the incident it belongs to.
const (
	// ScopeRead reads incidents, maintenance and known issues (GET).
	ScopeRead Scope = "read"
	// ScopeWrite creates and edits incidents, maintenance windows and
	// known issues.
	ScopeWrite Scope = "write"
	// ScopeDeploy records deployments (the release issue).
	ScopeDeploy Scope = "deploy"
	// ScopeIngest pushes metrics and reports.
	ScopeIngest Scope = "ingest"
	// ScopeAgent reads the checks assigned to a location, with the
	// settings their probes need, and reports their results (safetynet
	// agent). It is its own scope because those settings may carry
	// secrets (headers) that no other token should read.
	ScopeAgent Scope = "agent"
)

// Scopes lists every scope, in the order help texts show them.
var Scopes = []Scope{ScopeRead, ScopeWrite, ScopeDeploy, ScopeIngest, ScopeAgent}

// Valid reports whether s is one of the scopes.
func (s Scope) Valid() bool {
	switch s {
	case ScopeRead, ScopeWrite, ScopeDeploy, ScopeIngest, ScopeAgent:
		return true
	}
	return false
}

// ParseScopes reads a comma-separated list of scopes ("read,write"),
// without duplicates, in the order of Scopes.
func ParseScopes(s string) ([]Scope, error) {
	seen := map[Scope]bool{}
	for _, part := range strings.Split(s, ",") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		sc := Scope(part)
		if !sc.Valid() {
			return nil, invalidf("scope %q is not one of read, write, deploy, ingest, agent", part)
		}
		seen[sc] = true
	}
	var out []Scope
	for _, sc := range Scopes {
		if seen[sc] {
			out = append(out, sc)
		}
	}
	if len(out) == 0 {
		return nil, invalidf("a token needs at least one scope (read, write, deploy, ingest, agent)")
	}
	return out, nil
}

// Token is an API token as the server keeps it: its name, scopes and
// times, and the SHA-256 digest of the secret. The secret itself is shown
// once when the token is made and never stored.
type Token struct {
	ID   int64  `json:"id"`
	Name string `json:"name"`
	// Hash is the hex SHA-256 digest of the secret (see HashToken). It is
	// left out of JSON so that listings never carry it.
	Hash       string     `json:"-"`
	Scopes     []Scope    `json:"scopes"`
	CreatedAt  time.Time  `json:"created_at"`
	LastUsedAt *time.Time `json:"last_used_at,omitempty"`
	RevokedAt  *time.Time `json:"revoked_at,omitempty"`
}

var tokenNameRE = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$`)

var hashRE = regexp.MustCompile(`^[0-9a-f]{64}$`)

// Validate checks a token before it is stored.
func (t *Token) Validate() error {
	if !tokenNameRE.MatchString(t.Name) {
		return invalidf("token name %q: use 1 to 64 letters, digits, dots, dashes or underscores, starting with a letter or digit", t.Name)
	}
	if !hashRE.MatchString(t.Hash) {
		return invalidf("token %q: the hash must be a lowercase SHA-256 hex digest", t.Name)
	}
	if len(t.Scopes) == 0 {
		return invalidf("token %q needs at least one scope", t.Name)
	}
	for _, s := range t.Scopes {
		if !s.Valid() {
			return invalidf("token %q: scope %q is not one of read, write, deploy, ingest, agent", t.Name, s)
		}
	}
	return nil
}

// Active reports whether the token has not been revoked.
func (t *Token) Active() bool { return t.RevokedAt == nil }

// Has reports whether the token grants scope s. Write grants read too.
func (t *Token) Has(s Scope) bool {
	for _, have := range t.Scopes {
		if have == s || have == ScopeWrite && s == ScopeRead {
			return true
		}
	}
	return false
}

// TokenPrefix starts every secret, so that a leaked token is easy to
// recognise in logs and by secret scanners.
const TokenPrefix = "snt_"

// NewTokenSecret returns a new random secret (TokenPrefix and 32 random
// bytes in unpadded base64url) and its digest for storing.
func NewTokenSecret() (secret, hash string, err error) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return "", "", fmt.Errorf("status: new token: %w", err)
	}
	secret = TokenPrefix + base64.RawURLEncoding.EncodeToString(b)
	return secret, HashToken(secret), nil
}

// HashToken returns the lowercase hex SHA-256 digest of a secret, the form
// in which tokens are stored and looked up. A fast hash is enough: the
// secrets are 256 random bits, not passwords a person chose.
func HashToken(secret string) string {
	sum := sha256.Sum256([]byte(secret))
	return hex.EncodeToString(sum[:])
}

// TokenStore keeps API tokens.
type TokenStore interface {
	// CreateToken stores a token and returns it with its ID. Names are
	// unique among active tokens: a second active token of the same name is
	// an ECONFLICT error, while a revoked token's name may be reused.
	CreateToken(ctx context.Context, t Token) (Token, error)
	// TokenByHash returns the token with this digest, revoked or not, or an
	// ENOTFOUND error.
	TokenByHash(ctx context.Context, hash string) (Token, error)
	// ListTokens lists every token, active and revoked, oldest first.
	ListTokens(ctx context.Context) ([]Token, error)
	// RevokeToken revokes the active token of this name, or returns an
	// ENOTFOUND error when there is none.
	RevokeToken(ctx context.Context, name string, at time.Time) error
	// TouchToken records that the token was used at a time; an earlier time
	// than the one recorded changes nothing.
	TouchToken(ctx context.Context, id int64, at time.Time) error
}
