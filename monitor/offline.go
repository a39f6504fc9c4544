package monitor

import (
	"sort"
	"sync"
	"time"

	"github.com/safetynet-dev/safetynet/status"
)

// offline is the schedule the scheduler falls back to while the store
// cannot hand out checks (the database is unreachable or refuses the
// claim). The store's schedule is what lets several servers share the
// checks, but a status monitor that stops probing when its database goes
// away is blind exactly when it is needed: so each server then runs every
// check itself, on its interval, from memory. Results go to the writer,
// which keeps them until the database is back. With several servers the
// outage's results are therefore recorded once per server; that is the
// price of not going blind, and it lasts only while the database is away.
type offline struct {
	mu      sync.Mutex
	active  bool
	since   time.Time
	next    map[string]time.Time // by check ID
	running map[string]bool
}

func newOffline() *offline {
	return &offline{next: map[string]time.Time{}, running: map[string]bool{}}
}

// claim returns up to limit checks due at now from the local schedule,
// entering offline mode (and saying so once) if not in it yet.
func (o *offline) claim(m *Monitor, now time.Time, limit int, cause error) []status.Due {
	m.mu.Lock()
	runs := make([]*checkRun, 0, len(m.checks))
	for _, r := range m.checks {
		runs = append(runs, r)
	}
	m.mu.Unlock()

	o.mu.Lock()
	defer o.mu.Unlock()
	if !o.active {
		o.active, o.since = true, now
		m.log.Error("monitor: the store cannot hand out checks; running every check from memory until it can", "err", cause)
	}
	known := make(map[string]bool, len(runs))
	for _, r := range runs {
		id := r.check.ID
		known[id] = true
		if _, ok := o.next[id]; !ok && r.check.Kind != status.KindHeartbeat {
			// Due now: the store's schedule, which said when, is out of
			// reach, and a check late by part of an interval is better
			// than one skipped. The pool's size bounds the burst.
			o.next[id] = now
		}
	}
	var due []status.Due
	for id, t := range o.next {
		if !known[id] {
			delete(o.next, id) // removed by a reload
			continue
		}
		if !o.running[id] && !t.After(now) {
			due = append(due, status.Due{CheckID: id, DueAt: t})
		}
	}
	sort.Slice(due, func(i, j int) bool { return due[i].DueAt.Before(due[j].DueAt) })
	if len(due) > limit {
		due = due[:limit]
	}
	for _, d := range due {
		o.running[d.CheckID] = true
	}
	return due
}

// online leaves offline mode once the store hands out checks again; the
// store's schedule, with its leases, takes over.
func (o *offline) online(m *Monitor, now time.Time) {
	o.mu.Lock()
	defer o.mu.Unlock()
	if !o.active {
		return
	}
	m.log.Info("monitor: the store hands out checks again; leaving the in-memory schedule", "offline_for", now.Sub(o.since).Round(time.Second))
	o.active = false
	clear(o.next)
}

// done records that a run of id finished and when it is next due, for
// the case that the store could not be told (next is then kept here). It
// reports whether the scheduler runs from memory, and so must look again.
func (o *offline) done(id string, next time.Time, stored bool) bool {
	o.mu.Lock()
	defer o.mu.Unlock()
	delete(o.running, id)
	if !stored || o.active {
		o.next[id] = next
	}
	return o.active
}

// wake returns when the scheduler should look again while offline: at the
// next local due time, and at least every second to retry the store.
func (o *offline) wake(now time.Time) (time.Time, bool) {
	o.mu.Lock()
	defer o.mu.Unlock()
	if !o.active {
		return time.Time{}, false
	}
	t := now.Add(time.Second)
	for id, n := range o.next {
		if !o.running[id] && n.Before(t) {
			t = n
		}
	}
	return t, true
}
