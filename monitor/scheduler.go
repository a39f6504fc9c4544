package monitor

import (
	"context"
	"fmt"
	"math"
	"sync"
	"time"

	"github.com/safetynet-dev/safetynet/status"
)

// Run schedules and runs checks until ctx is cancelled. It claims due
// checks with a lease, runs each in a bounded pool with its own timeout,
// records results through the batching writer, and sleeps until the
// earliest next run. On cancellation it stops claiming, waits for running
// probes (at most ShutdownTimeout), flushes the writer and returns nil.
func (m *Monitor) Run(ctx context.Context) error {
	// Probes and writes outlive ctx so that a shutdown finishes the work in
	// hand; probeCtx is cancelled only when the shutdown wait runs out.
	base := context.WithoutCancel(ctx)
	probeCtx, cancelProbes := context.WithCancel(base)
	defer cancelProbes()

	writerDone := make(chan struct{})
	go func() {
		defer close(writerDone)
		m.writer.run(base)
	}()
	evalDone := make(chan struct{})
	go func() {
		defer close(evalDone)
		m.evaluate(ctx)
	}()

	var wg sync.WaitGroup
	slots := make(chan struct{}, m.opts.Concurrency) // one token per running probe
	freed := make(chan struct{}, 1)
	var lastClaim time.Time
	full := false // the last claim took all it asked for: more may be due
	for ctx.Err() == nil {
		free := m.opts.Concurrency - len(slots)
		if free == 0 {
			select {
			case <-freed:
			case <-ctx.Done():
			}
			continue
		}
		now := m.now()
		if gap := lastClaim.Add(m.opts.ClaimGap); !full && now.Before(gap) {
			m.sleepUntil(ctx, gap, nil)
			continue
		}
		m.mu.Lock()
		lease := m.lease
		m.mu.Unlock()
		lastClaim = now
		due, err := m.store.ClaimDue(ctx, m.opts.Owner, now, free, lease)
		if err != nil {
			if ctx.Err() == nil {
				m.log.Error("monitor: claim due checks", "err", err)
				m.sleepUntil(ctx, now.Add(time.Second), nil)
			}
			continue
		}
		for _, d := range due {
			slots <- struct{}{}
			m.metrics.running.Inc()
			m.metrics.lag.Observe(now.Sub(d.DueAt).Seconds())
			wg.Add(1)
			go func(d status.Due) {
				defer wg.Done()
				m.runDue(probeCtx, base, d)
				<-slots
				m.metrics.running.Dec()
				select {
				case freed <- struct{}{}:
				default:
				}
			}(d)
		}
		if full = len(due) == free; full {
			continue
		}
		next, ok, err := m.store.NextDue(ctx)
		if err != nil && ctx.Err() == nil {
			m.log.Error("monitor: next due check", "err", err)
		}
		until := now.Add(m.opts.MaxSleep)
		if ok && next.Before(until) {
			until = next
		}
		// A check running now holds a lease, which the store counts as its
		// next time; when it completes earlier than that, runDue wakes us.
		m.wakeAt.Store(until.UnixNano())
		m.sleepUntil(ctx, until, m.wake)
		m.wakeAt.Store(math.MaxInt64)
	}

	// Shutdown: wait for running probes, then stop the writer.
	running := make(chan struct{})
	go func() { wg.Wait(); close(running) }()
	select {
	case <-running:
	case <-m.opts.Wait(m.now().Add(m.opts.ShutdownTimeout)):
		m.log.Warn("monitor: probes still running at shutdown; cancelling them", "running", len(slots))
		cancelProbes()
		<-running
	}
	<-evalDone
	m.writer.close()
	<-writerDone
	return nil
}

// sleepUntil waits for t, ctx or a wake-up.
func (m *Monitor) sleepUntil(ctx context.Context, t time.Time, wake <-chan struct{}) {
	if !t.After(m.now()) {
		return
	}
	select {
	case <-m.opts.Wait(t):
	case <-wake:
	case <-ctx.Done():
	}
}

// runDue runs one claimed check and schedules its next run.
func (m *Monitor) runDue(probeCtx, base context.Context, d status.Due) {
	r := m.checkRun(d.CheckID)
	if r == nil {
		return // removed by a reload since the claim; SyncSchedule dropped it
	}
	c := &r.check
	res, ok := status.Result{}, true
	if c.Kind == status.KindHeartbeat {
		res, ok = m.heartbeatResult(base, r)
	} else {
		res = m.probe(probeCtx, r)
	}
	if ok {
		m.metrics.observe(c.Kind, res)
		m.record(base, r, res)
	}

	interval := runInterval(c)
	next := d.DueAt.Add(interval)
	if now := m.now(); !next.After(now) {
		// Far behind (a stopped server, a long pause): skip the missed runs
		// but keep the check's phase, so checks spread over their interval
		// stay spread instead of bursting.
		missed := now.Sub(next)/interval + 1
		next = next.Add(missed * interval)
	}
	if err := m.store.Complete(base, m.opts.Owner, d.CheckID, next); err != nil {
		m.log.Error("monitor: complete check", "check", d.CheckID, "err", err)
	}
	if next.UnixNano() < m.wakeAt.Load() {
		m.poke()
	}
}

// probe runs a check with its retries; each attempt has the check's timeout.
// The result is stamped with the start of the first attempt.
func (m *Monitor) probe(ctx context.Context, r *checkRun) status.Result {
	c := &r.check
	start := m.now()
	var res status.Result
	for attempt := 0; attempt <= c.Retries; attempt++ {
		res = m.attempt(ctx, r)
		if res.OK || ctx.Err() != nil {
			break
		}
	}
	res.CheckID, res.Location, res.At = c.ID, m.opts.Location, start
	return res
}

// attempt runs the prober once under the check's timeout. A prober that
// overstays its deadline is abandoned with a timeout result, so one bad
// prober cannot hold a pool slot forever.
func (m *Monitor) attempt(ctx context.Context, r *checkRun) status.Result {
	c := &r.check
	ctx, cancel := context.WithTimeout(ctx, c.Timeout)
	defer cancel()
	done := make(chan status.Result, 1)
	go func() {
		defer func() {
			if p := recover(); p != nil {
				done <- status.Result{Error: fmt.Sprintf("probe panicked: %v", p)}
			}
		}()
		done <- r.prober.Probe(ctx)
	}()
	select {
	case res := <-done:
		return res
	case <-ctx.Done():
		// Give a well-behaved prober a moment to report its own (better
		// worded) timeout before answering for it.
		select {
		case res := <-done:
			return res
		case <-time.After(50 * time.Millisecond):
		}
		return status.Result{Latency: c.Timeout, Error: fmt.Sprintf("timed out after %s", c.Timeout)}
	}
}
