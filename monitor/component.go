package monitor

import (
	"context"

	"github.com/safetynet-dev/safetynet/status"
)

// decide recomputes a component's status from its checks' states, its open
// metric and outlier alerts and maintenance, and records a change with its
// cause when the status moved. Calls coalesce: while a decision of the
// component is queued and not yet started, another caller returns at once,
// since the queued one will read the state that caller just changed. At
// start-up every check changes from unknown at once, and this keeps that
// from costing one pass per check.
func (m *Monitor) decide(ctx context.Context, component string) {
	m.mu.Lock()
	if m.pending[component] {
		m.mu.Unlock()
		return
	}
	m.pending[component] = true
	m.mu.Unlock()
	m.decideAll(ctx, []string{component})
}

// decideAll decides the given components, or every component when ids is
// nil (after maintenance windows open or close).
func (m *Monitor) decideAll(ctx context.Context, ids []string) {
	m.decideMu.Lock()
	defer m.decideMu.Unlock()
	m.mu.Lock()
	if ids == nil {
		for id := range m.components {
			ids = append(ids, id)
		}
	}
	var checks []string
	for _, id := range ids {
		delete(m.pending, id) // from here on, changes are read
		checks = append(checks, m.compChecks[id]...)
	}
	m.mu.Unlock()

	now := m.now()
	windows := m.maintenances(ctx, now)
	open, err := m.store.Alerts(ctx, status.AlertFilter{OpenOnly: true})
	if err != nil {
		m.log.Error("monitor: read open alerts", "err", err)
		return
	}
	states, counts := m.checkStates(checks)
	for _, id := range ids {
		in, known := inputs(id, states[id], counts[id], open, windows)
		in.Quorums = m.quorums(id)
		if !known {
			continue
		}
		d := status.Decide(in)
		m.mu.Lock()
		prev, had := m.decisions[id]
		if had && prev.Status == d.Status {
			if prev.Cause == "" {
				m.decisions[id] = d // loaded from the store without a cause
			}
			m.mu.Unlock()
			continue
		}
		m.decisions[id] = d
		m.mu.Unlock()
		ch := status.Change{Component: id, From: prev.Status, To: d.Status, At: now, Cause: d.Cause}
		if _, err := m.store.RecordChange(ctx, ch); err != nil {
			m.log.Error("monitor: record status change", "component", id, "err", err)
			m.mu.Lock()
			if had {
				m.decisions[id] = prev
			} else {
				delete(m.decisions, id)
			}
			m.mu.Unlock()
			continue
		}
		m.metrics.changes.Inc()
		m.log.Info("monitor: component status changed", "component", id, "from", prev.Status, "to", d.Status, "cause", d.Cause)
	}
}

// checkStates groups the current states of the given checks by component,
// and counts each component's checks.
func (m *Monitor) checkStates(ids []string) (map[string][]status.CheckState, map[string]int) {
	byCheck := m.stateCopies(ids)
	m.mu.Lock()
	defer m.mu.Unlock()
	states := map[string][]status.CheckState{}
	counts := map[string]int{}
	for _, id := range ids {
		r := m.checks[id]
		if r == nil {
			continue
		}
		counts[r.check.Component]++
		for _, st := range byCheck[id] {
			st.LastResult = nil
			states[r.check.Component] = append(states[r.check.Component], st)
		}
	}
	return states, counts
}

// inputs gathers what decides a component's status. It reports false when
// nothing is known yet (checks without results, no alerts, no
// maintenance), so a starting server records no "operational" it has not
// seen.
func inputs(id string, states []status.CheckState, nchecks int, open []status.Alert, windows []status.Maintenance) (status.Inputs, bool) {
	in := status.Inputs{Checks: states}
	known := 0
	for _, st := range states {
		if st.State != status.StateUnknown {
			known++
		}
	}
	for _, a := range open {
		// Check alerts are already counted through the checks' states;
		// silenced alerts do not speak for the component.
		if a.Component == id && a.Kind != status.AlertCheck && a.Kind != status.AlertAgent && !a.Silenced {
			in.Alerts = append(in.Alerts, a)
		}
	}
	for _, w := range windows {
		if w.Covers(id) {
			in.Maintenance = true
		}
	}
	return in, nchecks == 0 || known > 0 || len(in.Alerts) > 0 || in.Maintenance
}
