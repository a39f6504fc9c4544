package notify

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"strconv"
	"sync"
	"time"

	"github.com/safetynet-dev/safetynet/status"
)

// DispatcherOptions tune a Dispatcher; zero values take the defaults.
type DispatcherOptions struct {
	// Owner names this server in outbox leases (default hostname:pid).
	Owner string
	// Now is the clock (default time.Now). Retry times and leases are
	// computed from it, so tests move time instead of sleeping.
	Now func() time.Time
	// Batch is how many notifications one claim takes (default 100).
	Batch int
	// Lease is how long a claimed notification stays ours before another
	// server may take it (default 5m). Keep it well above Timeout.
	Lease time.Duration
	// Timeout bounds one Send (default 30s).
	Timeout time.Duration
	// Backoff is the delay before retry number attempt (1 for the first
	// retry) of a failing notifier; default DefaultBackoff.
	Backoff func(attempt int) time.Duration
	// PollInterval is how often the outbox is checked for retries that have
	// come due when nothing pokes the dispatcher (default 5s).
	PollInterval time.Duration
	// Logger receives failures (warn) and deliveries (debug); default
	// slog.Default().
	Logger *slog.Logger
	// Metrics counts deliveries; default a fresh, unregistered set.
	Metrics *Metrics
	// Resolve, if set, supplies the notifier for a name the configured set
	// lacks: subscribers' "subscriber:<id>" lanes. It returns nil for a
	// name it does not know.
	Resolve func(name string) Notifier
}

// DefaultBackoff doubles from 5 s and stops at 10 minutes, so a receiver
// that is down for an hour is tried about ten times, and one that comes
// back is used again within ten minutes.
func DefaultBackoff(attempt int) time.Duration {
	const base, ceiling = 5 * time.Second, 10 * time.Minute
	if attempt < 1 {
		attempt = 1
	}
	if attempt > 8 { // 5s<<7 = 640s is already past the ceiling
		return ceiling
	}
	return min(base<<(attempt-1), ceiling)
}

// Dispatcher drains an outbox into notifiers. Each notifier has its own
// lane: messages to one notifier go out one at a time, oldest first, and a
// failed one holds back the later ones until it is delivered, so "recovered"
// never arrives before "down". Lanes run in parallel, so a slow or dead
// notifier delays only itself.
type Dispatcher struct {
	outbox status.Outbox
	o      DispatcherOptions
	poke   chan struct{}

	mu        sync.Mutex
	running   bool
	notifiers map[string]Notifier
	lanes     map[string]*lane
	// inflight holds the IDs claimed and not yet finished, so that a
	// notification whose lease ran out while it waited in a slow lane is
	// not queued a second time.
	inflight map[int64]time.Time // by ID: when it was claimed
	// finished holds the IDs that left inflight since the current claim
	// began: the claim may have read them before they were recorded as
	// delivered, and must not queue them again.
	finished map[int64]struct{}
	wg       sync.WaitGroup
}

// lane is one notifier's queue. queue is guarded by Dispatcher.mu; the
// other fields belong to the lane's goroutine.
type lane struct {
	name  string
	queue []status.Notification
	wake  chan struct{}

	streak    int       // failures in a row, for the backoff
	holdUntil time.Time // later messages wait until then ...
	holdBy    int64     // ... behind this failed notification
}

// NewDispatcher returns a dispatcher for outbox and the notifiers by name.
func NewDispatcher(outbox status.Outbox, notifiers map[string]Notifier, opts DispatcherOptions) *Dispatcher {
	if opts.Owner == "" {
		host, _ := os.Hostname()
		opts.Owner = host + ":" + strconv.Itoa(os.Getpid())
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.Batch <= 0 {
		opts.Batch = 100
	}
	if opts.Timeout <= 0 {
		opts.Timeout = 30 * time.Second
	}
	if opts.Lease <= 0 {
		opts.Lease = 5 * time.Minute
	}
	if opts.Backoff == nil {
		opts.Backoff = DefaultBackoff
	}
	if opts.PollInterval <= 0 {
		opts.PollInterval = 5 * time.Second
	}
	if opts.Logger == nil {
		opts.Logger = slog.Default()
	}
	if opts.Metrics == nil {
		opts.Metrics = NewMetrics()
	}
	d := &Dispatcher{
		outbox:   outbox,
		o:        opts,
		poke:     make(chan struct{}, 1),
		lanes:    map[string]*lane{},
		inflight: map[int64]time.Time{},
		finished: map[int64]struct{}{},
	}
	d.SetNotifiers(notifiers)
	return d
}

// SetNotifiers replaces the notifiers, for a config reload. Messages already
// claimed are sent with the new set; messages for a notifier that no longer
// exists fail and are retried, in case it comes back.
func (d *Dispatcher) SetNotifiers(notifiers map[string]Notifier) {
	m := make(map[string]Notifier, len(notifiers))
	for k, v := range notifiers {
		m[k] = v
	}
	d.mu.Lock()
	d.notifiers = m
	d.mu.Unlock()
}

// Poke wakes the dispatcher to claim now; call it after enqueueing. It
// never blocks.
func (d *Dispatcher) Poke() {
	select {
	case d.poke <- struct{}{}:
	default:
	}
}

// Run delivers notifications until ctx is done, then waits for the sends in
// progress to stop and returns nil. Outbox errors are logged and retried:
// the outbox is the durable record, so nothing is lost by waiting. Run may
// be called once.
func (d *Dispatcher) Run(ctx context.Context) error {
	d.mu.Lock()
	if d.running {
		d.mu.Unlock()
		return errors.New("notify: dispatcher already ran")
	}
	d.running = true
	d.mu.Unlock()

	ctx, cancel := context.WithCancel(ctx)
	defer func() {
		cancel()
		d.wg.Wait()
	}()
	timer := time.NewTimer(d.o.PollInterval)
	defer timer.Stop()
	for {
		full := d.claim(ctx)
		d.updateGauges(ctx)
		if ctx.Err() != nil {
			return nil
		}
		if full {
			continue // there may be more waiting
		}
		timer.Reset(d.o.PollInterval)
		select {
		case <-ctx.Done():
			return nil
		case <-d.poke:
		case <-timer.C:
		}
	}
}

// claim takes one batch from the outbox and hands each notification to its
// lane. It reports whether the batch was full.
func (d *Dispatcher) claim(ctx context.Context) bool {
	d.mu.Lock()
	clear(d.finished)
	d.mu.Unlock()
	claimed := d.o.Now()
	ns, err := d.outbox.ClaimNotifications(ctx, d.o.Owner, claimed, d.o.Batch, d.o.Lease)
	if err != nil {
		if ctx.Err() == nil {
			d.o.Logger.Error("notify: claiming notifications", "err", err)
		}
		return false
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	for _, n := range ns {
		if _, busy := d.inflight[n.ID]; busy {
			d.inflight[n.ID] = claimed // the claim renewed our lease
			continue
		}
		if _, done := d.finished[n.ID]; done {
			continue
		}
		d.inflight[n.ID] = claimed
		l := d.lanes[n.Notifier]
		if l == nil {
			l = &lane{name: n.Notifier, wake: make(chan struct{}, 1)}
			d.lanes[n.Notifier] = l
			d.wg.Add(1)
			go d.runLane(ctx, l)
		}
		l.queue = append(l.queue, n)
		select {
		case l.wake <- struct{}{}:
		default:
		}
	}
	return len(ns) >= d.o.Batch
}

func (d *Dispatcher) updateGauges(ctx context.Context) {
	pending, failing, err := d.outbox.OutboxStats(ctx)
	if err != nil {
		if ctx.Err() == nil {
			d.o.Logger.Error("notify: reading outbox stats", "err", err)
		}
		return
	}
	d.o.Metrics.Pending.Set(float64(pending))
	d.o.Metrics.Failing.Set(float64(failing))
}

func (d *Dispatcher) runLane(ctx context.Context, l *lane) {
	defer d.wg.Done()
	for {
		select {
		case <-ctx.Done():
			return
		case <-l.wake:
		}
		for ctx.Err() == nil {
			d.mu.Lock()
			if len(l.queue) == 0 {
				d.mu.Unlock()
				break
			}
			n := l.queue[0]
			l.queue = l.queue[1:]
			notifier := d.notifiers[l.name]
			claimed := d.inflight[n.ID]
			d.mu.Unlock()
			if d.o.Now().After(claimed.Add(d.o.Lease - min(d.o.Timeout, d.o.Lease/2))) {
				// Queued so long behind slow sends that the lease could run
				// out mid-send, or already has and another server may have
				// claimed it: sending now could deliver it twice. Claim
				// again; whoever holds it then sends it.
				d.mu.Lock()
				delete(d.inflight, n.ID)
				d.mu.Unlock()
				d.Poke()
				continue
			}
			if notifier == nil && d.o.Resolve != nil {
				notifier = d.o.Resolve(l.name)
			}

			d.deliver(ctx, l, notifier, n)

			d.mu.Lock()
			delete(d.inflight, n.ID)
			d.finished[n.ID] = struct{}{}
			d.mu.Unlock()
		}
	}
}

// deliver sends one notification and records the outcome in the outbox.
func (d *Dispatcher) deliver(ctx context.Context, l *lane, notifier Notifier, n status.Notification) {
	log := d.o.Logger.With("notifier", l.name, "notification", n.ID, "message", n.Message.ID)
	now := d.o.Now()
	if n.ID > l.holdBy && now.Before(l.holdUntil) {
		// An earlier message to this notifier failed: keep the order by
		// retrying this one no sooner than that one.
		d.markFailed(ctx, log, n, fmt.Sprintf("held behind notification %d, which failed", l.holdBy), l.holdUntil)
		return
	}

	var err error
	if notifier == nil {
		err = fmt.Errorf("no notifier named %q is configured", l.name)
	} else {
		sctx, cancel := context.WithTimeout(ctx, d.o.Timeout)
		err = notifier.Send(sctx, n.Message)
		cancel()
	}
	if err == nil {
		l.streak, l.holdUntil, l.holdBy = 0, time.Time{}, 0
		d.o.Metrics.Sent.WithLabelValues(l.name).Inc()
		// Record the delivery even when shutting down: the message is out,
		// and recording it avoids a duplicate after restart.
		rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
		defer cancel()
		if merr := d.outbox.MarkDelivered(rctx, n.ID, d.o.Now()); merr != nil {
			log.Error("notify: delivered but not recorded; it will be sent again", "err", merr)
			return
		}
		log.Debug("notify: delivered", "event", n.Message.Event, "attempt", n.Attempts+1)
		return
	}
	if ctx.Err() != nil {
		// Shutting down mid-send: the lease runs out and the message is
		// tried again, by this server after restart or by another.
		return
	}
	l.streak++
	delay := d.o.Backoff(l.streak)
	if ra, ok := RetryAfter(err); ok && ra > delay {
		delay = ra
	}
	next := d.o.Now().Add(delay)
	d.o.Metrics.Failures.WithLabelValues(l.name).Inc()
	log.Warn("notify: delivery failed; will retry", "event", n.Message.Event,
		"attempt", n.Attempts+1, "retry_in", delay, "err", err)
	d.markFailed(ctx, log, n, err.Error(), next)
	l.holdUntil, l.holdBy = next, n.ID
}

func (d *Dispatcher) markFailed(ctx context.Context, log *slog.Logger, n status.Notification, why string, next time.Time) {
	if err := d.outbox.MarkFailed(ctx, n.ID, why, next); err != nil && ctx.Err() == nil {
		log.Error("notify: recording a failed attempt", "err", err)
	}
}
