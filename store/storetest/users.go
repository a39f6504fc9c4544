package storetest

import (
	"testing"
	"time"

	"golang.org/x/crypto/bcrypt"

	"github.com/safetynet-dev/safetynet"
	"github.com/safetynet-dev/safetynet/status"
)

// RunUsers runs the contract of status.UserStore against a fresh store from
// open for each subtest.
func RunUsers(t *testing.T, open func(t *testing.T) status.UserStore) {
	t0 := time.Date(2026, 11, 26, 2, 30, 0, 0, time.UTC)
	hash, err := status.HashPasswordCost("correct horse battery", bcrypt.MinCost)
	if err != nil {
		t.Fatal(err)
	}
	newUser := func(name string) status.User {
		return status.User{Name: name, PasswordHash: hash, CreatedAt: t0.In(elsewhere)}
	}
	newSession := func(t *testing.T, userID int64, ttl time.Duration) (string, status.Session) {
		secret, h, err := status.NewSessionSecret()
		must(t, err)
		return secret, status.Session{UserID: userID, Hash: h, CreatedAt: t0, ExpiresAt: t0.Add(ttl)}
	}

	t.Run("create, find and list", func(t *testing.T) {
		t.Parallel()
		s := open(t)
		ctx := t.Context()
		alice, err := s.CreateUser(ctx, newUser("alice"))
		must(t, err)
		if alice.ID == 0 {
			t.Fatalf("created = %+v, want an ID", alice)
		}
		_, err = s.CreateUser(ctx, newUser("bob"))
		must(t, err)
		got, err := s.UserByName(ctx, "alice")
		must(t, err)
		if got.ID != alice.ID || got.PasswordHash != hash || !got.CreatedAt.Equal(t0) || got.CreatedAt.Location() != time.UTC || !got.Active() {
			t.Fatalf("by name = %+v, want alice with her hash, in UTC", got)
		}
		if !status.CheckPassword(got.PasswordHash, "correct horse battery") || status.CheckPassword(got.PasswordHash, "wrong horse battery") {
			t.Fatal("the stored hash does not check the password")
		}
		if _, err := s.UserByName(ctx, "carol"); safetynet.ErrorCode(err) != safetynet.ENOTFOUND {
			t.Fatalf("unknown user: err = %v, want %s", err, safetynet.ENOTFOUND)
		}
		us, err := s.ListUsers(ctx)
		must(t, err)
		if len(us) != 2 || us[0].Name != "alice" || us[1].Name != "bob" {
			t.Fatalf("list = %+v, want alice and bob", us)
		}
	})

	t.Run("names are unique and checked", func(t *testing.T) {
		t.Parallel()
		s := open(t)
		ctx := t.Context()
		_, err := s.CreateUser(ctx, newUser("alice"))
		must(t, err)
		if _, err := s.CreateUser(ctx, newUser("alice")); safetynet.ErrorCode(err) != safetynet.ECONFLICT {
			t.Fatalf("second alice: err = %v, want %s", err, safetynet.ECONFLICT)
		}
		for name, u := range map[string]status.User{
			"empty name":     {Name: "", PasswordHash: hash},
			"space":          {Name: "a b", PasswordHash: hash},
			"plain password": {Name: "x", PasswordHash: "correct horse battery"},
		} {
			if _, err := s.CreateUser(ctx, u); safetynet.ErrorCode(err) != safetynet.EINVALID {
				t.Errorf("%s: err = %v, want %s", name, err, safetynet.EINVALID)
			}
		}
	})

	t.Run("sessions expire", func(t *testing.T) {
		t.Parallel()
		s := open(t)
		ctx := t.Context()
		alice, err := s.CreateUser(ctx, newUser("alice"))
		must(t, err)
		_, sess := newSession(t, alice.ID, 12*time.Hour)
		created, err := s.CreateSession(ctx, sess)
		must(t, err)
		if created.ID == 0 {
			t.Fatalf("session = %+v, want an ID", created)
		}
		got, u, err := s.SessionByHash(ctx, sess.Hash, t0.Add(12*time.Hour-time.Microsecond))
		must(t, err)
		if got.ID != created.ID || u.Name != "alice" || !got.ExpiresAt.Equal(t0.Add(12*time.Hour)) {
			t.Fatalf("session = %+v of %+v, want alice's, expiring in 12h", got, u)
		}
		if _, _, err := s.SessionByHash(ctx, sess.Hash, t0.Add(12*time.Hour)); safetynet.ErrorCode(err) != safetynet.ENOTFOUND {
			t.Fatalf("expired session: err = %v, want %s", err, safetynet.ENOTFOUND)
		}
		if _, _, err := s.SessionByHash(ctx, status.HashToken("never issued"), t0); safetynet.ErrorCode(err) != safetynet.ENOTFOUND {
			t.Fatalf("unknown session: err = %v, want %s", err, safetynet.ENOTFOUND)
		}
		if _, err := s.CreateSession(ctx, status.Session{UserID: alice.ID, Hash: "plain", CreatedAt: t0, ExpiresAt: t0.Add(time.Hour)}); safetynet.ErrorCode(err) != safetynet.EINVALID {
			t.Fatalf("session with a plain secret: err = %v, want %s", err, safetynet.EINVALID)
		}
		if _, err := s.CreateSession(ctx, status.Session{UserID: alice.ID + 100, Hash: status.HashToken("x"), CreatedAt: t0, ExpiresAt: t0.Add(time.Hour)}); safetynet.ErrorCode(err) != safetynet.ENOTFOUND {
			t.Fatalf("session of no user: err = %v, want %s", err, safetynet.ENOTFOUND)
		}
	})

	t.Run("logout deletes the session", func(t *testing.T) {
		t.Parallel()
		s := open(t)
		ctx := t.Context()
		alice, err := s.CreateUser(ctx, newUser("alice"))
		must(t, err)
		_, one := newSession(t, alice.ID, time.Hour)
		_, two := newSession(t, alice.ID, time.Hour)
		_, err = s.CreateSession(ctx, one)
		must(t, err)
		_, err = s.CreateSession(ctx, two)
		must(t, err)
		must(t, s.DeleteSession(ctx, one.Hash, t0))
		if _, _, err := s.SessionByHash(ctx, one.Hash, t0); safetynet.ErrorCode(err) != safetynet.ENOTFOUND {
			t.Fatalf("deleted session: err = %v, want %s", err, safetynet.ENOTFOUND)
		}
		if _, _, err := s.SessionByHash(ctx, two.Hash, t0); err != nil {
			t.Fatalf("the other session went too: %v", err)
		}
		must(t, s.DeleteSession(ctx, one.Hash, t0)) // again: not an error
		// A sweep with no digest deletes the expired sessions only.
		_, short := newSession(t, alice.ID, time.Minute)
		_, err = s.CreateSession(ctx, short)
		must(t, err)
		must(t, s.DeleteSession(ctx, "", t0.Add(time.Minute)))
		if _, _, err := s.SessionByHash(ctx, short.Hash, t0); safetynet.ErrorCode(err) != safetynet.ENOTFOUND {
			t.Fatalf("expired session after a sweep: err = %v, want it deleted", err)
		}
		if _, _, err := s.SessionByHash(ctx, two.Hash, t0); err != nil {
			t.Fatalf("a sweep deleted a live session: %v", err)
		}
	})

	t.Run("disabling a user ends its sessions", func(t *testing.T) {
		t.Parallel()
		s := open(t)
		ctx := t.Context()
		alice, err := s.CreateUser(ctx, newUser("alice"))
		must(t, err)
		_, sess := newSession(t, alice.ID, time.Hour)
		_, err = s.CreateSession(ctx, sess)
		must(t, err)
		must(t, s.DisableUser(ctx, "alice", t0.Add(time.Minute).In(elsewhere)))
		if _, _, err := s.SessionByHash(ctx, sess.Hash, t0); safetynet.ErrorCode(err) != safetynet.ENOTFOUND {
			t.Fatalf("session of a disabled user: err = %v, want %s", err, safetynet.ENOTFOUND)
		}
		u, err := s.UserByName(ctx, "alice")
		must(t, err)
		if u.Active() || !u.DisabledAt.Equal(t0.Add(time.Minute)) {
			t.Fatalf("alice = %+v, want disabled at t0+1m", u)
		}
		if err := s.DisableUser(ctx, "alice", t0); safetynet.ErrorCode(err) != safetynet.ENOTFOUND {
			t.Fatalf("disable twice: err = %v, want %s", err, safetynet.ENOTFOUND)
		}
		if _, err := s.CreateSession(ctx, sess); safetynet.ErrorCode(err) != safetynet.ENOTFOUND {
			t.Fatalf("session for a disabled user: err = %v, want %s", err, safetynet.ENOTFOUND)
		}
	})
}
