package notify_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/safetynet-dev/safetynet/notify"
	"github.com/safetynet-dev/safetynet/status"
)

type harness struct {
	ob    *memOutbox
	clock *fakeClock
	d     *notify.Dispatcher
	reg   *prometheus.Registry
}

// start runs a dispatcher over ob until the test ends.
func start(t *testing.T, ob *memOutbox, notifiers map[string]notify.Notifier, opts notify.DispatcherOptions) *harness {
	t.Helper()
	h := &harness{ob: ob, clock: &fakeClock{t: time.Date(2026, 3, 1, 21, 0, 0, 0, time.UTC)}, reg: prometheus.NewRegistry()}
	opts.Now = h.clock.Now
	opts.Owner = "test"
	opts.Metrics = notify.NewMetrics()
	opts.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	// A long poll interval: the tests poke when they want a claim, so no
	// claim happens behind their back.
	opts.PollInterval = time.Hour
	h.reg.MustRegister(opts.Metrics.Collectors()...)
	h.d = notify.NewDispatcher(ob, notifiers, opts)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error)
	go func() { done <- h.d.Run(ctx) }()
	t.Cleanup(func() {
		cancel()
		select {
		case err := <-done:
			if err != nil {
				t.Errorf("Run: %v", err)
			}
		case <-time.After(5 * time.Second):
			t.Errorf("Run did not return after cancel")
		}
	})
	return h
}

func enqueue(t *testing.T, ob *memOutbox, notifier string, ids ...string) {
	t.Helper()
	var ns []status.Notification
	for _, id := range ids {
		ns = append(ns, status.Notification{
			Key:      notifier + "/" + id,
			Notifier: notifier,
			Message:  status.Message{ID: id, Event: status.EventDown, Title: "api is down"},
		})
	}
	if _, err := ob.Enqueue(context.Background(), ns); err != nil {
		t.Fatal(err)
	}
}

// metric reads a counter or gauge, with the notifier label when given.
func metric(t *testing.T, reg *prometheus.Registry, name, notifier string) float64 {
	t.Helper()
	mfs, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	for _, mf := range mfs {
		if mf.GetName() != name {
			continue
		}
		for _, m := range mf.GetMetric() {
			match := notifier == ""
			for _, l := range m.GetLabel() {
				if l.GetName() == "notifier" && l.GetValue() == notifier {
					match = true
				}
			}
			if !match {
				continue
			}
			if m.GetCounter() != nil {
				return m.GetCounter().GetValue()
			}
			return m.GetGauge().GetValue()
		}
	}
	return 0
}

func TestDispatcherDeliversEachOnceInOrder(t *testing.T) {
	ob := &memOutbox{}
	recs := map[string]*recorder{"slack": {}, "mail": {}, "pager": {}}
	names := []string{"slack", "mail", "pager"}
	want := map[string][]string{}
	for i := range 30 {
		n := names[i%3]
		id := fmt.Sprintf("%s-%02d", n, i)
		enqueue(t, ob, n, id)
		want[n] = append(want[n], id)
	}
	// The same transition enqueued twice is one notification.
	enqueue(t, ob, "slack", "slack-00")

	notifiers := map[string]notify.Notifier{}
	for n, r := range recs {
		notifiers[n] = r
	}
	h := start(t, ob, notifiers, notify.DispatcherOptions{Batch: 7})
	h.d.Poke()
	waitFor(t, "all delivered", func() bool { return ob.undelivered() == 0 })

	for n, r := range recs {
		if got := r.ids(); !slices.Equal(got, want[n]) {
			t.Errorf("%s received %v, want each message once in order %v", n, got, want[n])
		}
		if got := metric(t, h.reg, "safetynet_notifications_sent_total", n); got != 10 {
			t.Errorf("sent_total{%s} = %v, want 10", n, got)
		}
		if got := metric(t, h.reg, "safetynet_notification_failures_total", n); got != 0 {
			t.Errorf("failures_total{%s} = %v, want 0", n, got)
		}
	}
	if f := ob.failures(); len(f) != 0 {
		t.Errorf("failures recorded on a healthy run: %v", f)
	}
	h.d.Poke() // refresh the gauge after the last delivery
	waitFor(t, "pending gauge at 0", func() bool { return metric(t, h.reg, "safetynet_outbox_pending", "") == 0 })
}

func TestDispatcherKeepsOrderWhileNotifierIsDown(t *testing.T) {
	ob := &memOutbox{}
	r := &recorder{down: true}
	backoff := func(n int) time.Duration { return time.Duration(n) * time.Minute }
	h := start(t, ob, map[string]notify.Notifier{"hook": r}, notify.DispatcherOptions{Backoff: backoff})
	enqueue(t, ob, "hook", "down-1", "reminder-2", "up-3")
	t0 := h.clock.Now()
	h.d.Poke()

	// The first fails; the others wait behind it without being tried.
	waitFor(t, "first round recorded", func() bool { return len(ob.failures()) == 3 })
	f := ob.failures()
	if f[0].id != 1 || f[0].why != errDown.Error() || !f[0].next.Equal(t0.Add(time.Minute)) {
		t.Errorf("first failure = %+v, want notification 1 retried after the first backoff (1m)", f[0])
	}
	for _, x := range f[1:] {
		if !strings.Contains(x.why, "held behind notification 1") || !x.next.Equal(f[0].next) {
			t.Errorf("later failure = %+v, want it held until %v behind notification 1", x, f[0].next)
		}
	}
	if got := r.attempts(); got != 1 {
		t.Errorf("receiver was tried %d times, want 1: later messages must wait, not race", got)
	}

	// A message enqueued while the notifier is down is due at once, yet it
	// must not overtake the failed ones.
	enqueue(t, ob, "hook", "down-4")
	h.d.Poke()
	waitFor(t, "new message held", func() bool { return len(ob.failures()) == 4 })
	if x := ob.failures()[3]; x.id != 4 || !strings.Contains(x.why, "held behind") {
		t.Errorf("new message: %+v, want it held behind the failed one", x)
	}

	// Second round: still down, the backoff grows.
	h.clock.Advance(time.Minute)
	t1 := h.clock.Now()
	h.d.Poke()
	waitFor(t, "second round recorded", func() bool { return len(ob.failures()) == 8 })
	if x := ob.failures()[4]; x.id != 1 || !x.next.Equal(t1.Add(2*time.Minute)) {
		t.Errorf("second failure = %+v, want notification 1 retried after 2m", x)
	}
	if n := ob.get(1); n.Attempts != 2 || n.LastError != errDown.Error() {
		t.Errorf("outbox row 1 = attempts %d, last error %q; want 2 and the receiver's error", n.Attempts, n.LastError)
	}

	// The receiver comes back: everything arrives, once, in order.
	r.setDown(false)
	h.clock.Advance(2 * time.Minute)
	h.d.Poke()
	waitFor(t, "all delivered", func() bool { return ob.undelivered() == 0 })
	if got, want := r.ids(), []string{"down-1", "reminder-2", "up-3", "down-4"}; !slices.Equal(got, want) {
		t.Errorf("received %v, want %v", got, want)
	}
	if got := metric(t, h.reg, "safetynet_notification_failures_total", "hook"); got != 2 {
		t.Errorf("failures_total = %v, want 2 (held messages are not failures)", got)
	}
	if got := metric(t, h.reg, "safetynet_notifications_sent_total", "hook"); got != 4 {
		t.Errorf("sent_total = %v, want 4", got)
	}
}

func TestDispatcherHonoursRetryAfter(t *testing.T) {
	ob := &memOutbox{}
	limited := notifierFunc(func(context.Context, status.Message) error {
		return fmt.Errorf("POST https://hooks.slack.com: %w", &notify.HTTPError{StatusCode: 429, RetryAfter: 3 * time.Minute})
	})
	h := start(t, ob, map[string]notify.Notifier{"slack": limited}, notify.DispatcherOptions{
		Backoff: func(int) time.Duration { return time.Minute },
	})
	enqueue(t, ob, "slack", "m1")
	h.d.Poke()
	waitFor(t, "failure", func() bool { return len(ob.failures()) == 1 })
	if got, want := ob.failures()[0].next, h.clock.Now().Add(3*time.Minute); !got.Equal(want) {
		t.Errorf("next attempt %v, want %v (Retry-After beats a shorter backoff)", got, want)
	}
}

func TestDefaultBackoff(t *testing.T) {
	for _, c := range []struct {
		attempt int
		want    time.Duration
	}{
		{0, 5 * time.Second}, {1, 5 * time.Second}, {2, 10 * time.Second}, {3, 20 * time.Second},
		{7, 320 * time.Second}, {8, 10 * time.Minute}, {1000, 10 * time.Minute},
	} {
		if got := notify.DefaultBackoff(c.attempt); got != c.want {
			t.Errorf("DefaultBackoff(%d) = %v, want %v", c.attempt, got, c.want)
		}
	}
}

func TestDispatcherSlowNotifierDoesNotDelayOthers(t *testing.T) {
	ob := &memOutbox{}
	slow := &recorder{gate: make(chan struct{})}
	fast := &recorder{}
	h := start(t, ob, map[string]notify.Notifier{"slow": slow, "fast": fast}, notify.DispatcherOptions{})
	enqueue(t, ob, "slow", "s1")
	enqueue(t, ob, "fast", "f1", "f2")
	enqueue(t, ob, "slow", "s2")
	enqueue(t, ob, "fast", "f3")
	h.d.Poke()

	waitFor(t, "fast notifier served", func() bool { return len(fast.ids()) == 3 })
	if got := slow.ids(); len(got) != 0 {
		t.Fatalf("slow notifier finished %v before its gate opened", got)
	}
	close(slow.gate)
	waitFor(t, "all delivered", func() bool { return ob.undelivered() == 0 })
	if got := slow.ids(); !slices.Equal(got, []string{"s1", "s2"}) {
		t.Errorf("slow received %v", got)
	}
}

func TestDispatcherDoesNotRequeueWhenLeaseRunsOut(t *testing.T) {
	ob := &memOutbox{}
	slow := &recorder{gate: make(chan struct{})}
	h := start(t, ob, map[string]notify.Notifier{"slow": slow}, notify.DispatcherOptions{Lease: time.Minute, Timeout: time.Hour})
	enqueue(t, ob, "slow", "s1", "s2")
	h.d.Poke()
	waitFor(t, "first send started", func() bool { return slow.attempts() == 1 })

	// Both leases run out while s1 is still being sent and s2 waits behind
	// it; the next claim hands them back, and they must not be queued twice.
	h.clock.Advance(2 * time.Minute)
	ob.mu.Lock()
	claims := ob.claims
	ob.mu.Unlock()
	h.d.Poke()
	waitFor(t, "another claim", func() bool { ob.mu.Lock(); defer ob.mu.Unlock(); return ob.claims > claims })
	close(slow.gate)
	waitFor(t, "all delivered", func() bool { return ob.undelivered() == 0 })
	if got := slow.ids(); !slices.Equal(got, []string{"s1", "s2"}) {
		t.Errorf("received %v, want each once", got)
	}
}

func TestDispatcherReloadedNotifiers(t *testing.T) {
	ob := &memOutbox{}
	h := start(t, ob, nil, notify.DispatcherOptions{Backoff: func(int) time.Duration { return time.Minute }})
	enqueue(t, ob, "ops", "m1")
	h.d.Poke()
	waitFor(t, "failure for a missing notifier", func() bool { return len(ob.failures()) == 1 })
	if why := ob.failures()[0].why; !strings.Contains(why, `no notifier named "ops"`) {
		t.Errorf("failure reason %q", why)
	}
	r := &recorder{}
	h.d.SetNotifiers(map[string]notify.Notifier{"ops": r})
	h.clock.Advance(time.Minute)
	h.d.Poke()
	waitFor(t, "delivered after reload", func() bool { return ob.undelivered() == 0 })
	if got := r.ids(); !slices.Equal(got, []string{"m1"}) {
		t.Errorf("received %v", got)
	}
}

func TestDispatcherShutdownLeavesUnsentForRetry(t *testing.T) {
	ob := &memOutbox{}
	slow := &recorder{gate: make(chan struct{})}
	d := notify.NewDispatcher(ob, map[string]notify.Notifier{"slow": slow}, notify.DispatcherOptions{
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), PollInterval: time.Hour,
	})
	enqueue(t, ob, "slow", "s1")
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error)
	go func() { done <- d.Run(ctx) }()
	d.Poke()
	waitFor(t, "send started", func() bool { return slow.attempts() == 1 })
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("Run: %v", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Run did not stop while a send was blocked")
	}
	if n := ob.get(1); n.Delivered != nil || n.Attempts != 0 {
		t.Errorf("interrupted send recorded as %+v; want it left for its lease to run out", n)
	}
	if err := d.Run(context.Background()); err == nil {
		t.Error("second Run succeeded, want an error")
	}
}

type notifierFunc func(context.Context, status.Message) error

func (f notifierFunc) Send(ctx context.Context, m status.Message) error { return f(ctx, m) }

// TestDispatcherDoesNotSendOnAnExpiringLease: a notification that waited
// behind a slow send until its lease nearly ran out is not sent on that
// lease (another server may claim it meanwhile and send it too); it is
// claimed again and then sent, once.
func TestDispatcherDoesNotSendOnAnExpiringLease(t *testing.T) {
	ob := &memOutbox{}
	slow := &recorder{gate: make(chan struct{})}
	h := start(t, ob, map[string]notify.Notifier{"slow": slow}, notify.DispatcherOptions{Lease: 10 * time.Minute, Timeout: time.Minute})
	enqueue(t, ob, "slow", "s1", "s2")
	h.d.Poke()
	waitFor(t, "first send started", func() bool { return slow.attempts() == 1 })
	ob.mu.Lock()
	claims := ob.claims
	ob.mu.Unlock()
	h.clock.Advance(9*time.Minute + 30*time.Second) // s2's lease has 30 s left: less than a send may take
	close(slow.gate)
	waitFor(t, "a claim for the held-back notification", func() bool { ob.mu.Lock(); defer ob.mu.Unlock(); return ob.claims > claims })
	if got := slow.ids(); !slices.Equal(got, []string{"s1"}) {
		t.Fatalf("sent %v on an expiring lease; want only s1", got)
	}
	h.clock.Advance(time.Minute) // the lease ran out: the next claim takes s2 again
	h.d.Poke()
	waitFor(t, "all delivered", func() bool { return ob.undelivered() == 0 })
	if got := slow.ids(); !slices.Equal(got, []string{"s1", "s2"}) {
		t.Errorf("received %v, want each once", got)
	}
}
