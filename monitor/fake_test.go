package monitor_test

import (
	"container/heap"
	"context"
	"errors"
	"hash/fnv"
	"slices"
	"sort"
	"sync"
	"testing"
	"time"

	"github.com/safetynet-dev/safetynet/status"
)

// fakeStore is an in-memory status.Store with the semantics the monitor
// relies on: a spread, hash-aware schedule with leases, deduplicated alerts
// and outbox keys. The schedule is a heap, so the load benchmark measures
// the monitor rather than the fake.
type fakeStore struct {
	mu      sync.Mutex
	comps   []status.Component
	sched   map[string]*entry
	queue   entryHeap
	leased  map[string]*entry
	results []status.Result
	states  map[string]status.CheckState
	changes []status.Change
	samples []status.Sample
	alerts  []status.Alert
	outbox  []status.Notification
	keys    map[string]bool
	beats   map[string]time.Time
	maints  []status.Maintenance

	saveResultCalls int
	completes       map[string]int
	lastDue         map[string]time.Time // due time of each check's latest claim
	failSaves       bool
}

type entry struct {
	id         string
	interval   time.Duration
	hash       string
	next       time.Time
	owner      string
	leaseUntil time.Time
	index      int // in the heap; -1 when leased
}

type entryHeap []*entry

func (h entryHeap) Len() int           { return len(h) }
func (h entryHeap) Less(i, j int) bool { return h[i].next.Before(h[j].next) }
func (h entryHeap) Swap(i, j int)      { h[i], h[j] = h[j], h[i]; h[i].index = i; h[j].index = j }
func (h *entryHeap) Push(x any)        { e := x.(*entry); e.index = len(*h); *h = append(*h, e) }
func (h *entryHeap) Pop() any {
	old := *h
	e := old[len(old)-1]
	*h = old[:len(old)-1]
	e.index = -1
	return e
}

func newFakeStore() *fakeStore {
	return &fakeStore{
		sched: map[string]*entry{}, leased: map[string]*entry{}, states: map[string]status.CheckState{},
		keys: map[string]bool{}, beats: map[string]time.Time{}, completes: map[string]int{}, lastDue: map[string]time.Time{},
	}
}

var _ status.Store = (*fakeStore)(nil)

func (s *fakeStore) SyncComponents(_ context.Context, cs []status.Component) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.comps = slices.Clone(cs)
	return nil
}

func (s *fakeStore) Components(context.Context) ([]status.Component, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.comps), nil
}

// spread places a check's first run by a hash of its ID, as the real store
// does, so the spread is stable.
func spread(id string, interval time.Duration) time.Duration {
	h := fnv.New64a()
	h.Write([]byte(id))
	return time.Duration(h.Sum64() % uint64(interval))
}

func (s *fakeStore) SyncSchedule(_ context.Context, es []status.ScheduleEntry, now time.Time) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	keep := map[string]bool{}
	for _, e := range es {
		keep[e.CheckID] = true
		old := s.sched[e.CheckID]
		switch {
		case old == nil:
			n := &entry{id: e.CheckID, interval: e.Interval, hash: e.Hash, next: now.Add(spread(e.CheckID, e.Interval))}
			s.sched[e.CheckID] = n
			heap.Push(&s.queue, n)
		case old.hash != e.Hash:
			old.hash, old.interval, old.next = e.Hash, e.Interval, now
			if old.index >= 0 {
				heap.Fix(&s.queue, old.index)
			}
		}
	}
	for id, e := range s.sched {
		if !keep[id] {
			delete(s.sched, id)
			delete(s.leased, id)
			if e.index >= 0 {
				heap.Remove(&s.queue, e.index)
			}
		}
	}
	return nil
}

func (s *fakeStore) ClaimDue(_ context.Context, owner string, now time.Time, limit int, lease time.Duration) ([]status.Due, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []status.Due
	for id, e := range s.leased { // expired leases: a crashed owner's work
		if len(out) < limit && !e.leaseUntil.After(now) && !e.next.After(now) {
			e.owner, e.leaseUntil = owner, now.Add(lease)
			out = append(out, status.Due{CheckID: id, DueAt: e.next})
		}
	}
	for len(out) < limit && len(s.queue) > 0 && !s.queue[0].next.After(now) {
		e := heap.Pop(&s.queue).(*entry)
		e.owner, e.leaseUntil = owner, now.Add(lease)
		s.leased[e.id] = e
		out = append(out, status.Due{CheckID: e.id, DueAt: e.next})
	}
	for _, d := range out {
		s.lastDue[d.CheckID] = d.DueAt
	}
	return out, nil
}

func (s *fakeStore) Complete(_ context.Context, owner, id string, next time.Time) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	e := s.leased[id]
	if e == nil || e.owner != owner {
		return nil
	}
	delete(s.leased, id)
	e.owner, e.leaseUntil, e.next = "", time.Time{}, next
	heap.Push(&s.queue, e)
	s.completes[id]++
	return nil
}

// NextDue counts a leased check's lease end as its next time when that is
// later, as the real store does.
func (s *fakeStore) NextDue(context.Context) (time.Time, bool, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	var next time.Time
	if len(s.queue) > 0 {
		next = s.queue[0].next
	}
	for _, e := range s.leased {
		t := e.next
		if e.leaseUntil.After(t) {
			t = e.leaseUntil
		}
		if next.IsZero() || t.Before(next) {
			next = t
		}
	}
	return next, !next.IsZero(), nil
}

// next returns a check's next run.
func (s *fakeStore) next(id string) time.Time {
	s.mu.Lock()
	defer s.mu.Unlock()
	if e := s.sched[id]; e != nil {
		return e.next
	}
	return time.Time{}
}

// settled reports whether every check due at now has run and been
// rescheduled.
func (s *fakeStore) settled(now time.Time) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.leased) == 0 && (len(s.queue) == 0 || s.queue[0].next.After(now))
}

func (s *fakeStore) SaveResults(_ context.Context, rs []status.Result) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.failSaves {
		return errors.New("database is locked")
	}
	s.saveResultCalls++
	s.results = append(s.results, rs...)
	return nil
}

func (s *fakeStore) Results(_ context.Context, f status.ResultFilter) ([]status.Result, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []status.Result
	for _, r := range s.results {
		if (f.CheckID == "" || r.CheckID == f.CheckID) && (f.Location == "" || r.Location == f.Location) &&
			!r.At.Before(f.Since) && (f.Until.IsZero() || r.At.Before(f.Until)) {
			out = append(out, r)
		}
	}
	return out, nil
}

// resultsOf returns the stored results of a check.
func (s *fakeStore) resultsOf(id string) []status.Result {
	rs, _ := s.Results(context.Background(), status.ResultFilter{CheckID: id})
	return rs
}

func (s *fakeStore) Rollups(context.Context, status.RollupFilter) ([]status.Rollup, error) {
	return nil, nil
}

func (s *fakeStore) CheckStates(context.Context) ([]status.CheckState, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []status.CheckState
	for _, st := range s.states {
		out = append(out, st)
	}
	return out, nil
}

func (s *fakeStore) SaveCheckState(_ context.Context, st status.CheckState) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.states[st.CheckID+"@"+st.Location] = st
	return nil
}

func (s *fakeStore) RecordChange(_ context.Context, c status.Change) (status.Change, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	c.ID = int64(len(s.changes) + 1)
	s.changes = append(s.changes, c)
	return c, nil
}

func (s *fakeStore) Changes(_ context.Context, f status.ChangeFilter) ([]status.Change, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []status.Change
	for _, c := range s.changes {
		if f.Component == "" || c.Component == f.Component {
			out = append(out, c)
		}
	}
	return out, nil
}

func (s *fakeStore) CurrentStatuses(context.Context) (map[string]status.Status, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := map[string]status.Status{}
	for _, c := range s.changes {
		out[c.Component] = c.To
	}
	return out, nil
}

func (s *fakeStore) SaveSamples(_ context.Context, ss []status.Sample) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.samples = append(s.samples, ss...)
	return nil
}

func (s *fakeStore) Samples(_ context.Context, f status.SampleFilter) ([]status.Sample, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []status.Sample
next:
	for _, x := range s.samples {
		if x.Name != f.Name || x.At.Before(f.Since) || !f.Until.IsZero() && !x.At.Before(f.Until) {
			continue
		}
		for k, v := range f.Tags {
			if x.Tags[k] != v {
				continue next
			}
		}
		out = append(out, x)
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].At.Before(out[j].At) })
	return out, nil
}

func (s *fakeStore) OpenAlert(_ context.Context, a status.Alert) (status.Alert, bool, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, o := range s.alerts {
		if o.Open() && o.Kind == a.Kind && o.Subject == a.Subject {
			return o, false, nil
		}
	}
	a.ID = int64(len(s.alerts) + 1)
	s.alerts = append(s.alerts, a)
	return a, true, nil
}

func (s *fakeStore) ResolveAlert(_ context.Context, id int64, at time.Time) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	for i := range s.alerts {
		if s.alerts[i].ID == id && s.alerts[i].Open() {
			s.alerts[i].Resolved = &at
		}
	}
	return nil
}

func (s *fakeStore) AckAlert(context.Context, int64, string, time.Time) error { return nil }

func (s *fakeStore) Alerts(_ context.Context, f status.AlertFilter) ([]status.Alert, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []status.Alert
	for _, a := range s.alerts {
		if (!f.OpenOnly || a.Open()) && (f.Component == "" || a.Component == f.Component) {
			out = append(out, a)
		}
	}
	return out, nil
}

func (s *fakeStore) allAlerts() []status.Alert {
	a, _ := s.Alerts(context.Background(), status.AlertFilter{})
	return a
}

func (s *fakeStore) Enqueue(_ context.Context, ns []status.Notification) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for _, x := range ns {
		if s.keys[x.Key] {
			continue
		}
		s.keys[x.Key] = true
		x.ID = int64(len(s.outbox) + 1)
		s.outbox = append(s.outbox, x)
		n++
	}
	return n, nil
}

// notifications returns the outbox.
func (s *fakeStore) notifications() []status.Notification {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.outbox)
}

func (s *fakeStore) ClaimNotifications(context.Context, string, time.Time, int, time.Duration) ([]status.Notification, error) {
	return nil, nil
}
func (s *fakeStore) MarkDelivered(context.Context, int64, time.Time) error      { return nil }
func (s *fakeStore) MarkFailed(context.Context, int64, string, time.Time) error { return nil }
func (s *fakeStore) OutboxStats(context.Context) (int, int, error)              { return 0, 0, nil }

func (s *fakeStore) Beat(_ context.Context, id string, at time.Time) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if at.After(s.beats[id]) {
		s.beats[id] = at
	}
	return nil
}

func (s *fakeStore) LastBeat(_ context.Context, id string) (time.Time, bool, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	t, ok := s.beats[id]
	return t, ok, nil
}

func (s *fakeStore) CreateMaintenance(_ context.Context, m status.Maintenance) (status.Maintenance, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	m.ID = int64(len(s.maints) + 1)
	s.maints = append(s.maints, m)
	return m, nil
}

func (s *fakeStore) Maintenances(_ context.Context, from, to time.Time) ([]status.Maintenance, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []status.Maintenance
	for _, m := range s.maints {
		if m.Start.Before(to) && m.End.After(from) {
			out = append(out, m)
		}
	}
	return out, nil
}

func (s *fakeStore) Prune(context.Context, time.Time, status.Retention) error { return nil }
func (s *fakeStore) Ping(context.Context) error                               { return nil }
func (s *fakeStore) Close() error                                             { return nil }

// fakeClock is a manual clock: time moves only when a test advances it, and
// Wait channels fire when it passes their time.
type fakeClock struct {
	mu      sync.Mutex
	now     time.Time
	waiters []waiter
}

type waiter struct {
	t  time.Time
	ch chan time.Time
}

func newFakeClock() *fakeClock {
	return &fakeClock{now: time.Date(2026, 3, 2, 20, 0, 0, 0, time.UTC)}
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *fakeClock) Wait(t time.Time) <-chan time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	ch := make(chan time.Time, 1)
	if !t.After(c.now) {
		ch <- c.now
		return ch
	}
	c.waiters = append(c.waiters, waiter{t, ch})
	return ch
}

// Advance moves the clock and fires the waits that came due.
func (c *fakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
	kept := c.waiters[:0]
	for _, w := range c.waiters {
		if w.t.After(c.now) {
			kept = append(kept, w)
			continue
		}
		w.ch <- c.now
	}
	c.waiters = kept
}

// waitFor polls cond until it holds, failing the test after a real-time
// deadline. It waits on the monitor's goroutines, never on the fake clock.
func waitFor(tb testing.TB, what string, cond func() bool) {
	tb.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			tb.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(time.Millisecond)
	}
}
