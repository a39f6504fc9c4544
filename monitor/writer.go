package monitor

import (
	"context"
	"sync"
	"time"

	"github.com/safetynet-dev/safetynet/status"
)

// maxBacklog bounds what the writer keeps while the store refuses writes,
// so a long database outage costs old results rather than all memory.
const maxBacklog = 200_000

// While the store refuses writes the writer retries after a back-off that
// starts at FlushEvery and doubles up to maxRetryGap, so a database that
// is down is not hammered, and every try is bounded by writeTimeout, so a
// connection that hangs cannot stall the writer: meanwhile it keeps
// taking results off the queue into its backlog, and the probes, which
// wait only when that queue is full, keep running.
const (
	maxRetryGap  = 30 * time.Second
	writeTimeout = 10 * time.Second
)

// writer stores results, extracted samples and check states in batches:
// one transaction per batch instead of one per result keeps the store
// ahead of 10,000 checks a minute.
type writer struct {
	m    *Monitor
	in   chan writeItem
	stop chan struct{}
	once sync.Once
	max  int // the backlog bound (maxBacklog; smaller in tests)
}

type writeItem struct {
	result  *status.Result
	samples []status.Sample
	state   *status.CheckState
	// stored, when set, is closed once the results and states queued
	// before it are in the store; the scheduler waits for it before it
	// advances a check's schedule (see Monitor.storedBarrier).
	stored chan struct{}
}

func newWriter(m *Monitor) *writer {
	return &writer{
		m:    m,
		in:   make(chan writeItem, 4096),
		stop: make(chan struct{}),
		max:  maxBacklog,
	}
}

// add queues an item, waiting when the writer is behind: back pressure on
// the probes is better than unbounded memory.
func (w *writer) add(it writeItem) {
	select {
	case w.in <- it:
	case <-w.stop:
		// After shutdown nothing reads the queue; the late item is lost, and
		// said so.
		w.m.log.Warn("monitor: result after shutdown not stored")
	}
}

// close stops the writer after it has stored everything queued.
func (w *writer) close() { w.once.Do(func() { close(w.stop) }) }

// trim drops the oldest entries beyond the backlog bound, counting them.
func trim[T any](w *writer, what string, items []T) []T {
	over := len(items) - w.max
	if over <= 0 {
		return items
	}
	w.m.log.Error("monitor: write backlog full; dropping the oldest", "what", what, "dropped", over)
	w.m.metrics.dropped.WithLabelValues(what).Add(float64(over))
	return append(items[:0], items[over:]...)
}

// run is the writer goroutine.
func (w *writer) run(ctx context.Context) {
	var (
		results []status.Result
		samples []status.Sample
		states  = map[stateKey]status.CheckState{}
		// failing is when the current run of failed writes began; zero
		// while writes work. retryAt is when the next try may be.
		failing, retryAt time.Time
		gap              time.Duration
		waiting          []chan struct{} // stored barriers taken
	)
	size := w.m.opts.FlushSize
	backlog := func() { w.m.metrics.backlog.Set(float64(len(results) + len(samples) + len(states))) }
	fail := func(what string, n int, err error) {
		now := w.m.now()
		if failing.IsZero() {
			failing, gap = now, w.m.opts.FlushEvery
			w.m.log.Error("monitor: writes failing; keeping results in memory and retrying", "what", what, "count", n, "err", err)
		} else {
			gap = min(2*gap, maxRetryGap)
			w.m.log.Warn("monitor: writes still failing", "what", what, "count", n, "since", failing, "err", err)
		}
		retryAt = now.Add(gap)
		w.m.metrics.writeErrors.Inc()
	}
	store := func() {
		ctx, cancel := context.WithTimeout(ctx, writeTimeout)
		defer cancel()
		defer backlog()
		ok := true
		if len(results) > 0 {
			if err := w.m.store.SaveResults(ctx, results); err != nil {
				fail("results", len(results), err)
				results, ok = trim(w, "results", results), false
			} else {
				results = results[:0]
			}
		}
		if ok && len(samples) > 0 {
			if err := w.m.store.SaveSamples(ctx, samples); err != nil {
				fail("samples", len(samples), err)
				samples, ok = trim(w, "samples", samples), false
			} else {
				samples = samples[:0]
			}
		}
		for k, st := range states {
			if !ok {
				break
			}
			if err := w.m.store.SaveCheckState(ctx, st); err != nil {
				fail("check state", len(states), err)
				ok = false
				break
			}
			delete(states, k)
		}
		if ok && !failing.IsZero() {
			w.m.log.Info("monitor: writes work again; backlog stored", "failed_for", w.m.now().Sub(failing).Round(time.Second))
			failing, retryAt = time.Time{}, time.Time{}
		}
		// A barrier is answered once its results are stored, or once the
		// store has refused them: they then wait here, in memory, and the
		// check's schedule (which the same unreachable store would refuse
		// too) must not hold the probes back.
		if ok || !failing.IsZero() {
			for _, c := range waiting {
				close(c)
			}
			waiting = waiting[:0]
		}
	}
	take := func(it writeItem) {
		if it.result != nil {
			results = append(results, *it.result)
		}
		samples = append(samples, it.samples...)
		if it.state != nil {
			states[stateKey{it.state.CheckID, it.state.Location}] = *it.state
		}
		switch {
		case it.stored == nil:
		case !failing.IsZero():
			close(it.stored) // see store: nothing to wait for while writes fail
		default:
			waiting = append(waiting, it.stored)
		}
		if !failing.IsZero() {
			// Not stored until the next try: keep within the bound now.
			results, samples = trim(w, "results", results), trim(w, "samples", samples)
		}
	}
	tick := w.m.opts.Wait(w.m.now().Add(w.m.opts.FlushEvery))
	for {
		select {
		case it := <-w.in:
			take(it)
			// A stored barrier is answered as soon as nothing more is
			// queued: under load batches still fill, but an idle server's
			// results are stored (and its schedules advanced) at once.
			full := len(results) >= size || len(samples) >= size || len(waiting) > 0 && len(w.in) == 0
			if full && !w.m.now().Before(retryAt) {
				store()
			}
		case <-tick:
			if !w.m.now().Before(retryAt) {
				store()
			} else {
				backlog()
			}
			tick = w.m.opts.Wait(w.m.now().Add(w.m.opts.FlushEvery))
		case <-w.stop:
			for {
				select {
				case it := <-w.in:
					take(it)
					continue
				default:
				}
				break
			}
			store()
			if n := len(results) + len(samples) + len(states); n > 0 {
				w.m.log.Error("monitor: stopping with writes failing; results not stored", "count", n)
			}
			return
		}
	}
}

// enqueueResult hands a result, its extracted values and, when worth
// storing, the check's state to the writer.
func (w *writer) enqueueResult(c *status.Check, r status.Result, st *status.CheckState) {
	it := writeItem{result: &r, state: st}
	if len(r.Values) > 0 {
		it.samples = make([]status.Sample, 0, len(r.Values))
		for k, v := range r.Values {
			it.samples = append(it.samples, status.Sample{
				Name: k, Value: v, At: r.At,
				Tags: map[string]string{"component": c.Component, "check": c.ID},
			})
		}
	}
	w.add(it)
}
