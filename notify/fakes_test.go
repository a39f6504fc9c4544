package notify_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/safetynet-dev/safetynet/status"
)

// memOutbox is an in-memory status.Outbox that follows the interface's
// contract: keys are unique, claims lease oldest first, failures move
// NextAttempt.
type memOutbox struct {
	mu     sync.Mutex
	rows   []*memRow // by ID
	nextID int64
	claims int
	fails  []failure // every MarkFailed, in order
}

type memRow struct {
	n          status.Notification
	leaseOwner string
	leaseUntil time.Time
}

type failure struct {
	id   int64
	why  string
	next time.Time
}

func (o *memOutbox) Enqueue(_ context.Context, ns []status.Notification) (int, error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	added := 0
next:
	for _, n := range ns {
		for _, r := range o.rows {
			if r.n.Key == n.Key {
				continue next
			}
		}
		o.nextID++
		n.ID = o.nextID
		o.rows = append(o.rows, &memRow{n: n})
		added++
	}
	return added, nil
}

func (o *memOutbox) ClaimNotifications(_ context.Context, owner string, now time.Time, limit int, lease time.Duration) ([]status.Notification, error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.claims++
	var out []status.Notification
	for _, r := range o.rows {
		if len(out) == limit {
			break
		}
		if r.n.Delivered != nil || r.n.NextAttempt.After(now) || (r.leaseOwner != "" && r.leaseUntil.After(now)) {
			continue
		}
		r.leaseOwner, r.leaseUntil = owner, now.Add(lease)
		out = append(out, r.n)
	}
	return out, nil
}

func (o *memOutbox) row(id int64) (*memRow, error) {
	for _, r := range o.rows {
		if r.n.ID == id {
			return r, nil
		}
	}
	return nil, fmt.Errorf("no notification %d", id)
}

func (o *memOutbox) MarkDelivered(_ context.Context, id int64, at time.Time) error {
	o.mu.Lock()
	defer o.mu.Unlock()
	r, err := o.row(id)
	if err != nil {
		return err
	}
	r.n.Delivered = &at
	r.leaseOwner = ""
	return nil
}

func (o *memOutbox) MarkFailed(_ context.Context, id int64, errText string, next time.Time) error {
	o.mu.Lock()
	defer o.mu.Unlock()
	r, err := o.row(id)
	if err != nil {
		return err
	}
	r.n.Attempts++
	r.n.LastError = errText
	r.n.NextAttempt = next
	r.leaseOwner = ""
	o.fails = append(o.fails, failure{id, errText, next})
	return nil
}

func (o *memOutbox) OutboxStats(context.Context) (int, int, error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	pending, failing := 0, 0
	for _, r := range o.rows {
		if r.n.Delivered == nil {
			pending++
			if r.n.Attempts > 0 {
				failing++
			}
		}
	}
	return pending, failing, nil
}

func (o *memOutbox) get(id int64) status.Notification {
	o.mu.Lock()
	defer o.mu.Unlock()
	r, _ := o.row(id)
	return r.n
}

func (o *memOutbox) failures() []failure {
	o.mu.Lock()
	defer o.mu.Unlock()
	return append([]failure(nil), o.fails...)
}

func (o *memOutbox) undelivered() int {
	p, _, _ := o.OutboxStats(context.Background())
	return p
}

// fakeClock is a clock that moves only when told.
type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *fakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

// recorder is a Notifier that remembers what it was sent. While down it
// fails; while gate is set, Send waits for the gate to open.
type recorder struct {
	mu    sync.Mutex
	got   []status.Message
	tries int
	down  bool
	gate  chan struct{}
}

var errDown = errors.New("receiver is down")

func (r *recorder) Send(ctx context.Context, m status.Message) error {
	r.mu.Lock()
	r.tries++
	gate, down := r.gate, r.down
	r.mu.Unlock()
	if gate != nil {
		select {
		case <-gate:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	if down {
		return errDown
	}
	r.mu.Lock()
	r.got = append(r.got, m)
	r.mu.Unlock()
	return nil
}

func (r *recorder) setDown(v bool) {
	r.mu.Lock()
	r.down = v
	r.mu.Unlock()
}

func (r *recorder) ids() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	var ids []string
	for _, m := range r.got {
		ids = append(ids, m.ID)
	}
	return ids
}

func (r *recorder) attempts() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.tries
}

// waitFor polls cond until it holds or five seconds pass.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(time.Millisecond)
	}
}
