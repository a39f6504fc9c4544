package monitor

import (
	"context"
	"fmt"
	"sort"
	"time"

	"github.com/safetynet-dev/safetynet/status"
)

// Snapshot is the monitor's view at one moment, for the dashboard.
type Snapshot struct {
	At         time.Time           `json:"at"`
	Components []ComponentSnapshot `json:"components"`
}

// ComponentSnapshot is one component with its status, why, its checks and
// its open alerts.
type ComponentSnapshot struct {
	Component   status.Component `json:"component"`
	Status      status.Status    `json:"status"` // empty until something is known
	Cause       string           `json:"cause,omitempty"`
	Maintenance bool             `json:"maintenance"`
	Checks      []CheckSnapshot  `json:"checks"`
	Alerts      []status.Alert   `json:"alerts,omitempty"`
}

// CheckSnapshot is one check with its state at each location.
type CheckSnapshot struct {
	Check status.Check `json:"check"`
	// State is the worst state over the locations.
	State  status.State        `json:"state"`
	States []status.CheckState `json:"states"` // per location, with the last result
}

// Snapshot returns every configured component, in config order, with its
// decided status, its checks' states and last results and its open alerts
// (silenced ones included, marked).
func (m *Monitor) Snapshot(ctx context.Context) (Snapshot, error) {
	now := m.now()
	open, err := m.store.Alerts(ctx, status.AlertFilter{OpenOnly: true})
	if err != nil {
		return Snapshot{}, fmt.Errorf("monitor: snapshot: %w", err)
	}
	windows := m.maintenances(ctx, now)

	// Read the check states before taking m.mu: record holds a check's lock
	// while it takes m.mu, so the other order would deadlock.
	states := m.stateCopies(nil)

	m.mu.Lock()
	defer m.mu.Unlock()
	snap := Snapshot{At: now}
	byComp := map[string]int{}
	for _, c := range m.plan.Components {
		if _, ok := byComp[c.ID]; ok {
			continue
		}
		cs := ComponentSnapshot{Component: c}
		if d, ok := m.decisions[c.ID]; ok {
			cs.Status, cs.Cause = d.Status, d.Cause
		}
		for _, w := range windows {
			if w.Covers(c.ID) {
				cs.Maintenance = true
			}
		}
		byComp[c.ID] = len(snap.Components)
		snap.Components = append(snap.Components, cs)
	}
	for _, c := range m.plan.Checks {
		i, ok := byComp[c.Component]
		r := m.checks[c.ID]
		if !ok || r == nil {
			continue
		}
		ch := CheckSnapshot{Check: r.check, State: status.StateUnknown}
		ch.States = states[c.ID]
		for _, st := range ch.States {
			if stateRank(st.State) > stateRank(ch.State) {
				ch.State = st.State
			}
		}
		sort.Slice(ch.States, func(a, b int) bool { return ch.States[a].Location < ch.States[b].Location })
		snap.Components[i].Checks = append(snap.Components[i].Checks, ch)
	}
	for _, a := range open {
		if i, ok := byComp[a.Component]; ok {
			snap.Components[i].Alerts = append(snap.Components[i].Alerts, a)
		}
	}
	return snap, nil
}

func stateRank(s status.State) int {
	switch s {
	case status.StateUp:
		return 1
	case status.StateDegraded:
		return 2
	case status.StateDown:
		return 3
	}
	return 0
}

// stateCopies returns copies of the current check states of the given
// checks (all when ids is nil) by check ID. It takes m.mu and each check's
// lock in turn, never together.
func (m *Monitor) stateCopies(ids []string) map[string][]status.CheckState {
	m.mu.Lock()
	var trs []*checkTrack
	if ids == nil {
		for _, locs := range m.states {
			for _, tr := range locs {
				trs = append(trs, tr)
			}
		}
	}
	for _, id := range ids {
		for _, tr := range m.states[id] {
			trs = append(trs, tr)
		}
	}
	m.mu.Unlock()
	out := make(map[string][]status.CheckState, len(trs))
	for _, tr := range trs {
		tr.mu.Lock()
		st := tr.state
		tr.mu.Unlock()
		out[st.CheckID] = append(out[st.CheckID], st)
	}
	return out
}
