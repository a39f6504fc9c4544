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
	own := &claims{running: map[string]bool{}, ran: map[string]time.Time{}}
	slots := make(chan struct{}, m.opts.Concurrency) // one token per running probe
	freed := make(chan struct{}, 1)
	if a, ok := m.store.(adopter); ok && !m.shared() {
		// Alone on the database: checks named after a previous run of
		// this server (a crash) are ours now.
		if err := a.Adopt(ctx, m.opts.Owner, m.now()); err != nil {
			m.log.Warn("monitor: adopt the checks of a previous run", "err", err)
		}
	}
	var lastClaim, lastBalance time.Time
	off := newOffline()
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
		lastClaim = now
		if now.Sub(lastBalance) >= balanceEvery {
			lastBalance = now
			m.balance(ctx, now)
			m.syncOthers(ctx)
		}
		lease := m.claimLease()
		due, err := m.store.ClaimDue(ctx, m.opts.Owner, now, free, lease)
		switch {
		case err != nil && ctx.Err() != nil:
			continue
		case err != nil:
			// The database is away: probe from memory (offline.go).
			due = own.start(off.claim(m, now, free, err))
		default:
			off.online(m, now)
			due = own.start(due)
			m.takeOver(ctx, own.foreign(due))
		}
		for _, d := range due {
			slots <- struct{}{}
			m.metrics.running.Inc()
			m.metrics.lag.Observe(now.Sub(d.DueAt).Seconds())
			wg.Add(1)
			go func(d status.Due) {
				defer wg.Done()
				finish := m.runDue(ctx, probeCtx, base, d, now, lease)
				<-slots
				m.metrics.running.Dec()
				select {
				case freed <- struct{}{}:
				default:
				}
				// The slot is free while the result is being stored: a
				// slow database holds back schedules, not probes.
				next, ok := finish()
				own.done(d.CheckID, next, ok)
				if off.done(d.CheckID, next, ok) {
					m.poke()
				}
			}(d)
		}
		if full = len(due) == free; full {
			continue
		}
		until := now.Add(m.opts.MaxSleep)
		if t, offline := off.wake(now); offline {
			until = t
		} else {
			next, ok, err := m.nextDue(ctx)
			if err != nil && ctx.Err() == nil {
				m.log.Error("monitor: next due check", "err", err)
			}
			if ok && next.Before(until) {
				until = next
			}
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
	// Hand this server's checks to the others at their next run rather
	// than half an interval later.
	if r, ok := m.store.(releaser); ok {
		rctx, cancel := context.WithTimeout(base, 5*time.Second)
		if err := r.Release(rctx, m.opts.Owner); err != nil {
			m.log.Warn("monitor: release checks at shutdown", "err", err)
		}
		cancel()
	}
	return nil
}

// Optional store methods for several servers on one database
// (store.DB has them; a store without them works for a single server).
type (
	releaser interface {
		Release(ctx context.Context, owner string) error
	}
	ownerNextDue interface {
		NextDueFor(ctx context.Context, owner string) (time.Time, bool, error)
	}
	adopter interface {
		Adopt(ctx context.Context, owner string, now time.Time) error
	}
	balancer interface {
		Balance(ctx context.Context, owner string, now time.Time) (int, error)
	}
	statesOf interface {
		CheckStatesOf(ctx context.Context, ids []string) ([]status.CheckState, error)
	}
	othersStates interface {
		CheckStatesOwnedByOthers(ctx context.Context, owner string) ([]status.CheckState, error)
	}
)

// balanceEvery is how often a server on a shared store checks that it
// runs its share of the checks (a server that joins has its share within
// a few of these) and reads the states of the checks others run.
const balanceEvery = 3 * time.Second

// balance takes this server's share of the checks from the busiest
// server, when the store is shared.
func (m *Monitor) balance(ctx context.Context, now time.Time) {
	b, ok := m.store.(balancer)
	if !ok || !m.shared() {
		return
	}
	n, err := b.Balance(ctx, m.opts.Owner, now)
	if err != nil {
		if ctx.Err() == nil {
			m.log.Error("monitor: balance checks between servers", "err", err)
		}
		return
	}
	if n > 0 {
		m.log.Info("monitor: took checks from a busier server", "checks", n)
	}
}

// nextDue is when this server can next claim a check: another server's
// checks only half an interval after they are due.
func (m *Monitor) nextDue(ctx context.Context) (time.Time, bool, error) {
	if s, ok := m.store.(ownerNextDue); ok {
		return s.NextDueFor(ctx, m.opts.Owner)
	}
	return m.store.NextDue(ctx)
}

// claimLease is how long a claim holds its checks: twice the longest run
// a check can take (timeout times attempts), so a run completes within it,
// plus time to store the result. The store caps it at each check's
// interval, so a server that dies mid-run holds its checks for at most
// one interval.
func (m *Monitor) claimLease() time.Duration {
	m.mu.Lock()
	defer m.mu.Unlock()
	var longest time.Duration
	for _, r := range m.checks {
		if d := time.Duration(r.check.Retries+1) * r.check.Timeout; d > longest {
			longest = d
		}
	}
	return min(m.lease, 2*longest+250*time.Millisecond)
}

// claims is what the scheduler knows of the checks it claimed.
type claims struct {
	mu      sync.Mutex
	running map[string]bool      // claimed and not yet completed here
	ran     map[string]time.Time // the next run this server set, by check
}

// start drops the checks already running here: a lease that ran out
// before a slow run completed can be claimed again by its own server, and
// running the check twice at once would only duplicate its results.
func (c *claims) start(due []status.Due) []status.Due {
	c.mu.Lock()
	defer c.mu.Unlock()
	out := due[:0]
	for _, d := range due {
		if !c.running[d.CheckID] {
			c.running[d.CheckID] = true
			out = append(out, d)
		}
	}
	return out
}

// foreign lists the claimed checks another server ran since this one did:
// their next run is not the one this server set. Their state here is
// stale.
func (c *claims) foreign(due []status.Due) []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	var out []string
	for _, d := range due {
		if next, ok := c.ran[d.CheckID]; !ok || !next.Equal(d.DueAt) {
			out = append(out, d.CheckID)
		}
	}
	return out
}

// done records a completed run; ok is false when the schedule was not
// advanced (the check was removed, or the store failed).
func (c *claims) done(id string, next time.Time, ok bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	delete(c.running, id)
	if ok {
		c.ran[id] = next
	} else {
		delete(c.ran, id)
	}
}

// takeOver reads the stored state of checks this server claimed after
// another server ran them, so that it continues their state (and does not
// announce a change the other server already announced), and the stored
// status of their components.
func (m *Monitor) takeOver(ctx context.Context, ids []string) {
	s, ok := m.store.(statesOf)
	if !ok || len(ids) == 0 {
		return
	}
	sts, err := s.CheckStatesOf(ctx, ids)
	if err != nil {
		m.log.Error("monitor: read the state of checks taken over", "checks", len(ids), "err", err)
		return
	}
	m.adopt(ctx, sts)
}

// syncOthers reads the stored states of the checks other servers run, so
// that this server decides a component whose checks are spread over
// several servers from recent states of all of them, and shows them; and
// the stored component statuses, so it does not record again a change
// another server recorded.
func (m *Monitor) syncOthers(ctx context.Context) {
	s, ok := m.store.(othersStates)
	if !ok || !m.shared() {
		return
	}
	sts, err := s.CheckStatesOwnedByOthers(ctx, m.opts.Owner)
	if err != nil {
		if ctx.Err() == nil {
			m.log.Error("monitor: read the state of other servers' checks", "err", err)
		}
		return
	}
	m.adopt(ctx, sts)
}

// adopt makes stored check states this server's view of those checks,
// and the stored statuses of their components its decisions.
func (m *Monitor) adopt(ctx context.Context, sts []status.CheckState) {
	comps := map[string]bool{}
	for _, st := range sts {
		if st.Location != m.opts.Location {
			continue
		}
		if r := m.checkRun(st.CheckID); r != nil {
			comps[r.check.Component] = true
		}
		tr := m.track(stateKey{st.CheckID, st.Location})
		tr.mu.Lock()
		if cur := tr.state.LastResult; cur != nil && (st.LastResult == nil || !st.LastResult.At.After(cur.At)) {
			// This server has the latest result: every result but a
			// steady one is stored with its state, so what is stored is
			// not newer.
			tr.mu.Unlock()
			continue
		}
		if tr.state.State != st.State || !tr.state.Since.Equal(st.Since) {
			// Told by whoever saw the change (the notification keys name
			// the period, so telling again would be a no-op anyway).
			switch st.State {
			case status.StateDown:
				tr.notified, tr.downSince = status.StateDown, st.Since
			case status.StateUp, status.StateDegraded:
				tr.notified = status.StateUp
			}
			tr.flaps = nil
		}
		tr.state = st
		tr.savedSteady = st.State != status.StateDown && st.Failures == 0
		tr.mu.Unlock()
	}
	if len(comps) == 0 {
		return
	}
	cur, err := m.store.CurrentStatuses(ctx)
	if err != nil {
		m.log.Error("monitor: read component statuses", "err", err)
		return
	}
	m.mu.Lock()
	for id := range comps {
		if st, ok := cur[id]; ok && m.decisions[id].Status != st {
			m.decisions[id] = status.Decision{Status: st}
		}
	}
	m.mu.Unlock()
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

// runDue runs one claimed check (claimed at claimed for lease, or for its
// interval if shorter) and returns what is left once its slot is
// free: schedule the next run.
//
// On a store shared by several servers it first waits until the result is
// stored: a result lost with its server (SIGKILL) then leaves the check
// leased rather than done, and another server runs it again. The wait
// ends before the lease does, so while writes fail checks keep running.
// A single server gains nothing from waiting: nobody else would re-run
// the check.
func (m *Monitor) runDue(ctx, probeCtx, base context.Context, d status.Due, claimed time.Time, lease time.Duration) (finish func() (time.Time, bool)) {
	r := m.checkRun(d.CheckID)
	if r == nil {
		// Removed by a reload since the claim; SyncSchedule dropped it.
		return func() (time.Time, bool) { return time.Time{}, false }
	}
	c := &r.check
	res, ok := status.Result{}, true
	if c.Kind == status.KindHeartbeat {
		res, ok = m.heartbeatResult(base, r)
	} else {
		res = m.probe(probeCtx, r)
	}
	var stored <-chan struct{}
	if ok {
		m.metrics.observe(c.Kind, res)
		m.record(base, r, res)
		if m.shared() {
			stored = m.storedBarrier()
		}
	}
	interval := runInterval(c)

	return func() (time.Time, bool) {
		if stored != nil {
			// Leave a tenth of the lease to complete in.
			end := claimed.Add(min(lease, interval) * 9 / 10)
			select {
			case <-stored:
			case <-m.opts.Wait(end):
				m.log.Warn("monitor: result not stored yet; completing the check anyway", "check", d.CheckID)
			case <-ctx.Done():
				// Shutting down: the writer stores what it holds before Run
				// returns, and a database that refuses it must not hold the
				// shutdown up.
			}
		}
		next := d.DueAt.Add(interval)
		if now := m.now(); !next.After(now) {
			// Far behind (a stopped server, a long pause): skip the missed
			// runs but keep the check's phase, so checks spread over their
			// interval stay spread instead of bursting.
			missed := now.Sub(next)/interval + 1
			next = next.Add(missed * interval)
		}
		if err := m.store.Complete(base, m.opts.Owner, d.CheckID, next); err != nil {
			m.log.Error("monitor: complete check", "check", d.CheckID, "err", err)
			return next, false
		}
		if next.UnixNano() < m.wakeAt.Load() {
			m.poke()
		}
		return next, true
	}
}

// shared reports whether other servers may run the same checks: the
// store says it is PostgreSQL.
func (m *Monitor) shared() bool {
	d, ok := m.store.(interface{ Dialect() string })
	return ok && d.Dialect() == "postgres"
}

// storedBarrier returns a channel closed once everything this server
// queued for the writer so far is stored.
func (m *Monitor) storedBarrier() <-chan struct{} {
	c := make(chan struct{})
	select {
	case m.writer.in <- writeItem{stored: c}:
	case <-m.writer.stop:
		close(c)
	}
	return c
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
