package notify_test

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"fmt"
	"io"
	"log/slog"
	"net/url"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/safetynet-dev/safetynet/notify"
	"github.com/safetynet-dev/safetynet/status"
	"github.com/safetynet-dev/safetynet/store"
)

// pgOutbox opens a PostgreSQL store on a schema of its own, dropped when
// the test ends; it skips without SAFETYNET_TEST_POSTGRES.
func pgOutbox(t *testing.T) string {
	t.Helper()
	dsn := os.Getenv("SAFETYNET_TEST_POSTGRES")
	if dsn == "" {
		t.Skip("SAFETYNET_TEST_POSTGRES is not set: skipping PostgreSQL (set it to a DSN such as postgres://postgres@127.0.0.1:5432/test?sslmode=disable)")
	}
	admin, err := sql.Open("pgx", dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { admin.Close() })
	b := make([]byte, 8)
	rand.Read(b)
	schema := "notifytest_" + hex.EncodeToString(b)
	if _, err := admin.Exec("CREATE SCHEMA " + schema); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { admin.Exec("DROP SCHEMA " + schema + " CASCADE") })
	u, err := url.Parse(dsn)
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}

func openPG(t *testing.T, dsn string) *store.DB {
	t.Helper()
	db, err := store.Open(context.Background(), dsn, store.Options{Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// receiver counts deliveries by message ID, as a receiver that
// deduplicates would see them.
type receiver struct {
	mu   sync.Mutex
	byID map[string]int
	// hold, when set, blocks sends of that message ID until closed,
	// whatever the context says: a send that outlives its lease.
	hold map[string]chan struct{}
}

func (r *receiver) Send(_ context.Context, m status.Message) error {
	r.mu.Lock()
	h := r.hold[m.ID]
	r.mu.Unlock()
	if h != nil {
		<-h
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	r.byID[m.ID]++
	return nil
}

func (r *receiver) count() (total, distinct int, twice []string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	for id, n := range r.byID {
		total += n
		distinct++
		if n > 1 {
			twice = append(twice, id)
		}
	}
	return total, distinct, twice
}

func enqueuePG(t *testing.T, db *store.DB, n int, notifier string) {
	t.Helper()
	var ns []status.Notification
	for i := range n {
		key := fmt.Sprintf("check/c%03d/local/down/%d", i, 1000+i)
		ns = append(ns, status.Notification{Key: key + "/" + notifier, Notifier: notifier,
			Message: status.Message{ID: key, Event: status.EventDown, Title: key, At: time.Unix(1000, 0).UTC()}})
	}
	// Enqueued twice, as two servers seeing the same change would: the
	// transition key keeps one.
	for range 2 {
		if _, err := db.Enqueue(t.Context(), ns); err != nil {
			t.Fatal(err)
		}
	}
}

// TestTwoDispatchersOnOnePostgresOutbox: two servers' dispatchers drain
// one outbox; SKIP LOCKED claims give each notification to one of them,
// so each state change is delivered exactly once.
func TestTwoDispatchersOnOnePostgresOutbox(t *testing.T) {
	dsn := pgOutbox(t)
	dbs := []*store.DB{openPG(t, dsn), openPG(t, dsn)}
	const n = 300
	enqueuePG(t, dbs[0], n, "hook")
	r := &receiver{byID: map[string]int{}}
	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	for i, db := range dbs {
		d := notify.NewDispatcher(db, map[string]notify.Notifier{"hook": r}, notify.DispatcherOptions{
			Owner: fmt.Sprintf("server-%d", i), Batch: 7, PollInterval: 20 * time.Millisecond,
			Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
		wg.Go(func() { d.Run(ctx) })
	}
	deadline := time.Now().Add(20 * time.Second)
	for {
		if total, _, _ := r.count(); total >= n || time.Now().After(deadline) {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	time.Sleep(200 * time.Millisecond) // a duplicate would arrive now
	cancel()
	wg.Wait()
	total, distinct, twice := r.count()
	if distinct != n || total != n {
		t.Fatalf("%d deliveries of %d distinct messages, want %d of %d; sent twice: %v", total, distinct, n, n, twice)
	}
	if pending, _, err := dbs[0].OutboxStats(t.Context()); err != nil || pending != 0 {
		t.Fatalf("%d notifications still pending (%v)", pending, err)
	}
}

// TestRedeliveryKeepsTheID: delivery is at least once. A send that
// outlives its lease (a server hung, or killed after the receiver got the
// message) is sent again by another server, with the same message ID, so
// a receiver that deduplicates by ID sees the change once.
func TestRedeliveryKeepsTheID(t *testing.T) {
	dsn := pgOutbox(t)
	a, b := openPG(t, dsn), openPG(t, dsn)
	enqueuePG(t, a, 1, "hook")
	const id = "check/c000/local/down/1000"
	r := &receiver{byID: map[string]int{}, hold: map[string]chan struct{}{}}
	gate := make(chan struct{})
	r.hold[id] = gate
	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var wg sync.WaitGroup
	defer wg.Wait()
	defer cancel()
	hung := notify.NewDispatcher(a, map[string]notify.Notifier{"hook": r}, notify.DispatcherOptions{
		Owner: "hung", Lease: 300 * time.Millisecond, Timeout: 100 * time.Millisecond, PollInterval: time.Hour, Logger: quiet})
	wg.Go(func() { hung.Run(ctx) })
	hung.Poke()
	time.Sleep(100 * time.Millisecond) // the hung server holds it now

	// After the lease, the other server claims and sends it.
	r.mu.Lock()
	delete(r.hold, id)
	r.mu.Unlock()
	other := notify.NewDispatcher(b, map[string]notify.Notifier{"hook": r}, notify.DispatcherOptions{
		Owner: "other", Lease: time.Minute, PollInterval: 50 * time.Millisecond, Logger: quiet})
	wg.Go(func() { other.Run(ctx) })
	deadline := time.Now().Add(10 * time.Second)
	for {
		if total, _, _ := r.count(); total == 1 || time.Now().After(deadline) {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	close(gate) // the hung send completes too: the receiver got it twice
	deadline = time.Now().Add(5 * time.Second)
	for {
		if total, _, _ := r.count(); total == 2 || time.Now().After(deadline) {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	total, distinct, _ := r.count()
	if total != 2 || distinct != 1 {
		t.Fatalf("%d deliveries of %d distinct IDs; want the one message twice under one ID", total, distinct)
	}
}
