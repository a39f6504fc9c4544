package monitor

import (
	"context"
	"sync"

	"github.com/safetynet-dev/safetynet/status"
)

// maxBacklog bounds what the writer keeps while the store refuses writes,
// so a long database outage costs old results rather than all memory.
const maxBacklog = 200_000

// writer stores results, extracted samples and check states in batches:
// one transaction per batch instead of one per result keeps the store
// ahead of 10,000 checks a minute.
type writer struct {
	m    *Monitor
	in   chan writeItem
	stop chan struct{}
	once sync.Once
}

type writeItem struct {
	result  *status.Result
	samples []status.Sample
	state   *status.CheckState
}

func newWriter(m *Monitor) *writer {
	return &writer{
		m:    m,
		in:   make(chan writeItem, 4096),
		stop: make(chan struct{}),
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

// run is the writer goroutine.
func (w *writer) run(ctx context.Context) {
	var (
		results []status.Result
		samples []status.Sample
		states  = map[stateKey]status.CheckState{}
	)
	size := w.m.opts.FlushSize
	store := func() {
		if len(results) > 0 {
			if err := w.m.store.SaveResults(ctx, results); err != nil {
				w.m.log.Error("monitor: save results; will retry", "results", len(results), "err", err)
				w.m.metrics.writeErrors.Inc()
				if len(results) > maxBacklog {
					w.m.log.Error("monitor: result backlog full; dropping the oldest", "dropped", len(results)-maxBacklog)
					results = append(results[:0], results[len(results)-maxBacklog:]...)
				}
			} else {
				results = results[:0]
			}
		}
		if len(samples) > 0 {
			if err := w.m.store.SaveSamples(ctx, samples); err != nil {
				w.m.log.Error("monitor: save extracted samples; will retry", "samples", len(samples), "err", err)
				w.m.metrics.writeErrors.Inc()
				if len(samples) > maxBacklog {
					samples = append(samples[:0], samples[len(samples)-maxBacklog:]...)
				}
			} else {
				samples = samples[:0]
			}
		}
		for k, st := range states {
			if err := w.m.store.SaveCheckState(ctx, st); err != nil {
				w.m.log.Error("monitor: save check state; will retry", "check", st.CheckID, "err", err)
				w.m.metrics.writeErrors.Inc()
				break
			}
			delete(states, k)
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
	}
	tick := w.m.opts.Wait(w.m.now().Add(w.m.opts.FlushEvery))
	for {
		select {
		case it := <-w.in:
			take(it)
			if len(results) >= size || len(samples) >= size {
				store()
			}
		case <-tick:
			store()
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
