package store_test

import (
	"testing"
	"time"

	"golang.org/x/crypto/bcrypt"

	"github.com/safetynet-dev/safetynet/status"
	"github.com/safetynet-dev/safetynet/store"
)

func TestSQLiteDeleteExpiredSessions(t *testing.T) {
	testDeleteExpiredSessions(t, MustOpen(t, sqliteDSN(t), store.Options{}))
}

func TestPostgresDeleteExpiredSessions(t *testing.T) {
	testDeleteExpiredSessions(t, MustOpen(t, postgresDSN(t), store.Options{}))
}

// testDeleteExpiredSessions checks the periodic sweep: expired sessions
// go, live ones stay and still sign their user in.
func testDeleteExpiredSessions(t *testing.T, db *store.DB) {
	ctx := t.Context()
	t0 := time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC)
	hash, err := status.HashPasswordCost("a long enough password", bcrypt.MinCost)
	if err != nil {
		t.Fatal(err)
	}
	u, err := db.CreateUser(ctx, status.User{Name: "sweeper", PasswordHash: hash, CreatedAt: t0})
	if err != nil {
		t.Fatal(err)
	}
	var hashes []string
	for i, ttl := range []time.Duration{time.Minute, time.Hour, 2 * time.Hour} {
		hashes = append(hashes, status.HashToken(string(rune('a'+i))+"-session-secret"))
		s := status.Session{UserID: u.ID, Hash: hashes[i], CreatedAt: t0, ExpiresAt: t0.Add(ttl)}
		if _, err := db.CreateSession(ctx, s); err != nil {
			t.Fatal(err)
		}
	}
	n, err := db.DeleteExpiredSessions(ctx, t0.Add(time.Hour))
	if err != nil || n != 2 {
		t.Fatalf("DeleteExpiredSessions at +1h = %d, %v; want 2 (one expiring at +1m, one at exactly +1h)", n, err)
	}
	if _, _, err := db.SessionByHash(ctx, hashes[2], t0.Add(time.Hour)); err != nil {
		t.Fatalf("the live session went too: %v", err)
	}
	if n, err := db.DeleteExpiredSessions(ctx, t0.Add(time.Hour)); err != nil || n != 0 {
		t.Fatalf("second sweep = %d, %v; want 0", n, err)
	}
}
