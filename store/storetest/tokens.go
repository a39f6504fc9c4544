package storetest

import (
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/safetynet-dev/safetynet"
	"github.com/safetynet-dev/safetynet/status"
)

// RunTokens runs the contract of status.TokenStore against a fresh store
// from open for each subtest.
func RunTokens(t *testing.T, open func(t *testing.T) status.TokenStore) {
	t0 := time.Date(2026, 11, 26, 2, 30, 0, 0, time.UTC)
	// newToken makes a token with a fresh secret, created at t0 in a zone
	// far from UTC.
	newToken := func(name string, scopes ...status.Scope) status.Token {
		_, hash, err := status.NewTokenSecret()
		if err != nil {
			panic(err)
		}
		return status.Token{Name: name, Hash: hash, Scopes: scopes, CreatedAt: t0.In(elsewhere)}
	}

	t.Run("create and find by hash", func(t *testing.T) {
		t.Parallel()
		s := open(t)
		ctx := t.Context()
		want := newToken("ci", status.ScopeRead, status.ScopeWrite)
		created, err := s.CreateToken(ctx, want)
		must(t, err)
		if created.ID == 0 {
			t.Fatalf("created = %+v, want an ID", created)
		}
		got, err := s.TokenByHash(ctx, want.Hash)
		must(t, err)
		if got.ID != created.ID || got.Name != "ci" || got.Hash != want.Hash || fmt.Sprint(got.Scopes) != "[read write]" ||
			!got.CreatedAt.Equal(t0) || got.CreatedAt.Location() != time.UTC || got.LastUsedAt != nil || got.RevokedAt != nil || !got.Active() {
			t.Fatalf("by hash = %+v, want the created token with its fields in UTC", got)
		}
		_, err = s.TokenByHash(ctx, status.HashToken("never issued"))
		if safetynet.ErrorCode(err) != safetynet.ENOTFOUND {
			t.Fatalf("unknown hash: err = %v, want %s", err, safetynet.ENOTFOUND)
		}
	})

	t.Run("invalid tokens are refused", func(t *testing.T) {
		t.Parallel()
		s := open(t)
		ctx := t.Context()
		good := newToken("ok", status.ScopeRead)
		for name, tok := range map[string]status.Token{
			"empty name":           {Name: "", Hash: good.Hash, Scopes: good.Scopes},
			"space":                {Name: "a b", Hash: good.Hash, Scopes: good.Scopes},
			"secret, not a digest": {Name: "x", Hash: "snt_plaintext", Scopes: good.Scopes},
			"no scope":             {Name: "x", Hash: good.Hash},
			"bad scope":            {Name: "x", Hash: good.Hash, Scopes: []status.Scope{"admin"}},
		} {
			if _, err := s.CreateToken(ctx, tok); safetynet.ErrorCode(err) != safetynet.EINVALID {
				t.Errorf("%s: err = %v, want %s", name, err, safetynet.EINVALID)
			}
		}
		ts, err := s.ListTokens(ctx)
		must(t, err)
		if len(ts) != 0 {
			t.Fatalf("refused tokens were stored: %+v", ts)
		}
	})

	t.Run("names are unique among active tokens", func(t *testing.T) {
		t.Parallel()
		s := open(t)
		ctx := t.Context()
		first, err := s.CreateToken(ctx, newToken("deployer", status.ScopeDeploy))
		must(t, err)
		_, err = s.CreateToken(ctx, newToken("deployer", status.ScopeRead))
		if safetynet.ErrorCode(err) != safetynet.ECONFLICT {
			t.Fatalf("second active token of one name: err = %v, want %s", err, safetynet.ECONFLICT)
		}
		must(t, s.RevokeToken(ctx, "deployer", t0.Add(time.Hour)))
		second, err := s.CreateToken(ctx, newToken("deployer", status.ScopeDeploy))
		if err != nil {
			t.Fatalf("a revoked token's name is free again: %v", err)
		}
		// The revoked token is still found, so the caller can tell it apart
		// from a token that never existed, and listed with its revocation.
		old, err := s.TokenByHash(ctx, first.Hash)
		must(t, err)
		if old.Active() || !old.RevokedAt.Equal(t0.Add(time.Hour)) {
			t.Fatalf("revoked token = %+v, want revoked at %s", old, t0.Add(time.Hour))
		}
		ts, err := s.ListTokens(ctx)
		must(t, err)
		if len(ts) != 2 || ts[0].ID != first.ID || ts[0].Active() || ts[1].ID != second.ID || !ts[1].Active() {
			t.Fatalf("list = %+v, want the revoked then the new token", ts)
		}
	})

	t.Run("revoke", func(t *testing.T) {
		t.Parallel()
		s := open(t)
		ctx := t.Context()
		tok, err := s.CreateToken(ctx, newToken("bot", status.ScopeRead))
		must(t, err)
		if err := s.RevokeToken(ctx, "nobody", t0); safetynet.ErrorCode(err) != safetynet.ENOTFOUND {
			t.Fatalf("revoke unknown: err = %v, want %s", err, safetynet.ENOTFOUND)
		}
		must(t, s.RevokeToken(ctx, "bot", t0.Add(time.Minute)))
		if err := s.RevokeToken(ctx, "bot", t0.Add(2*time.Minute)); safetynet.ErrorCode(err) != safetynet.ENOTFOUND {
			t.Fatalf("revoke twice: err = %v, want %s", err, safetynet.ENOTFOUND)
		}
		got, err := s.TokenByHash(ctx, tok.Hash)
		must(t, err)
		if got.RevokedAt == nil || !got.RevokedAt.Equal(t0.Add(time.Minute)) {
			t.Fatalf("revoked at = %v, want the first revocation %s", got.RevokedAt, t0.Add(time.Minute))
		}
	})

	t.Run("touch moves last use forward only", func(t *testing.T) {
		t.Parallel()
		s := open(t)
		ctx := t.Context()
		tok, err := s.CreateToken(ctx, newToken("reader", status.ScopeRead))
		must(t, err)
		must(t, s.TouchToken(ctx, tok.ID, t0.Add(10*time.Minute)))
		must(t, s.TouchToken(ctx, tok.ID, t0.Add(5*time.Minute)))
		got, err := s.TokenByHash(ctx, tok.Hash)
		must(t, err)
		if got.LastUsedAt == nil || !got.LastUsedAt.Equal(t0.Add(10*time.Minute)) {
			t.Fatalf("last used = %v, want %s", got.LastUsedAt, t0.Add(10*time.Minute))
		}
		if err := s.TouchToken(ctx, tok.ID+1000, t0); safetynet.ErrorCode(err) != safetynet.ENOTFOUND {
			t.Fatalf("touch unknown: err = %v, want %s", err, safetynet.ENOTFOUND)
		}
	})

	t.Run("concurrent creators of one name", func(t *testing.T) {
		t.Parallel()
		s := open(t)
		ctx := t.Context()
		const n = 8
		var wg sync.WaitGroup
		errs := make([]error, n)
		for i := range n {
			wg.Go(func() {
				_, errs[i] = s.CreateToken(ctx, newToken("race", status.ScopeRead))
			})
		}
		wg.Wait()
		ok := 0
		for _, err := range errs {
			switch safetynet.ErrorCode(err) {
			case "":
				ok++
			case safetynet.ECONFLICT:
			default:
				t.Errorf("concurrent create: %v, want success or %s", err, safetynet.ECONFLICT)
			}
		}
		if ok != 1 {
			t.Fatalf("%d creators succeeded, want exactly 1", ok)
		}
	})
}
