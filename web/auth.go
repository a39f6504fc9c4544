package web

import (
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/safetynet-dev/safetynet"
)

// tokenSet is the ingest tokens as raw digests, for constant-time compares.
type tokenSet []tokenEntry

type tokenEntry struct {
	sum  [sha256.Size]byte
	name string
}

func newTokenSet(hashed map[string]string) (tokenSet, error) {
	ts := make(tokenSet, 0, len(hashed))
	for h, name := range hashed {
		b, err := hex.DecodeString(strings.ToLower(h))
		if err != nil || len(b) != sha256.Size {
			return nil, safetynet.Errorf(safetynet.EINVALID, "ingest token %q: want a SHA-256 hex digest", name)
		}
		var e tokenEntry
		copy(e.sum[:], b)
		e.name = name
		ts = append(ts, e)
	}
	return ts, nil
}

// match returns the name of the token, comparing its digest with every
// known digest in constant time and without stopping at the first match,
// so the answer's timing says nothing about which or how many tokens exist.
func (ts tokenSet) match(token string) (string, bool) {
	if token == "" {
		return "", false
	}
	sum := sha256.Sum256([]byte(token))
	name, found := "", 0
	for _, e := range ts {
		if subtle.ConstantTimeCompare(sum[:], e.sum[:]) == 1 {
			name = e.name
			found = 1
		}
	}
	return name, found == 1
}

// requestToken returns the token a request presents: a bearer token, or
// the password of HTTP basic auth (how a browser logs in to the dashboard).
func requestToken(r *http.Request) string {
	h := r.Header.Get("Authorization")
	if scheme, rest, ok := strings.Cut(h, " "); ok && strings.EqualFold(scheme, "Bearer") {
		return strings.TrimSpace(rest)
	}
	if _, pw, ok := r.BasicAuth(); ok {
		return pw
	}
	return ""
}

// errNoToken and errBadToken are the two ways authentication fails; they
// differ only in words, never in timing-relevant work.
var (
	errNoToken  = safetynet.Errorf(safetynet.EUNAUTHORIZED, "missing token: send Authorization: Bearer <token>")
	errBadToken = safetynet.Errorf(safetynet.EUNAUTHORIZED, "invalid token")
)

// authenticate returns the name of the request's ingest token.
func (s *Server) authenticate(r *http.Request) (string, error) {
	tok := requestToken(r)
	if tok == "" {
		return "", errNoToken
	}
	name, ok := s.tokens.Load().match(tok)
	if !ok {
		return "", errBadToken
	}
	return name, nil
}

// requireToken wraps h so it runs only for requests with a valid ingest
// token. The token's name (never the token) goes to the request log.
func (s *Server) requireToken(h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		name, err := s.authenticate(r)
		if err != nil {
			w.Header().Set("WWW-Authenticate", `Bearer realm="safetynet"`)
			s.writeError(w, r, err)
			return
		}
		setTokenName(r, name)
		h(w, r)
	}
}

// requireRead wraps a read route: open with Options.OpenRead, else it takes
// an ingest token until a read-scoped token exists. HTML routes ask the
// browser for basic auth so a person can log in with the token as password.
func (s *Server) requireRead(h http.HandlerFunc, html bool) http.HandlerFunc {
	if s.openRead {
		return h
	}
	return func(w http.ResponseWriter, r *http.Request) {
		name, err := s.authenticate(r)
		if err != nil {
			if html {
				w.Header().Set("WWW-Authenticate", `Basic realm="safetynet dashboard", charset="UTF-8"`)
				http.Error(w, "401 unauthorized: log in with any user name and a token as the password", http.StatusUnauthorized)
				return
			}
			w.Header().Set("WWW-Authenticate", `Bearer realm="safetynet"`)
			s.writeError(w, r, err)
			return
		}
		setTokenName(r, name)
		h(w, r)
	}
}

// sessionSweeper is the store method SweepSessions needs.
type sessionSweeper interface {
	DeleteExpiredSessions(ctx context.Context, now time.Time) (int64, error)
}

// SweepSessions deletes the admin UI's expired sessions. The serve loop
// calls it periodically: a session checks its own expiry when used, so
// this is about not keeping stale digests, not about letting them in. A
// store without the method makes it a no-op.
func (s *Server) SweepSessions(ctx context.Context) error {
	sw, ok := s.store.(sessionSweeper)
	if !ok {
		return nil
	}
	n, err := sw.DeleteExpiredSessions(ctx, s.now())
	if err != nil {
		return fmt.Errorf("web: sweep expired admin sessions: %w", err)
	}
	if n > 0 {
		s.log.DebugContext(ctx, "swept expired admin sessions", "count", n)
	}
	return nil
}
