package monitor

import (
	"context"
	"fmt"
	"time"

	"github.com/safetynet-dev/safetynet/incident"
	"github.com/safetynet-dev/safetynet/status"
)

// track returns the in-memory state of a check at a location, creating it.
func (m *Monitor) track(k stateKey) *checkTrack {
	m.mu.Lock()
	defer m.mu.Unlock()
	locs := m.states[k.check]
	if locs == nil {
		locs = map[string]*checkTrack{}
		m.states[k.check] = locs
	}
	tr := locs[k.location]
	if tr == nil {
		tr = &checkTrack{state: status.CheckState{CheckID: k.check, Location: k.location, State: status.StateUnknown}}
		locs[k.location] = tr
	}
	return tr
}

// record folds a result into its check's state, queues it for storage and
// does what a change calls for: alerts, notifications, the component's
// status.
func (m *Monitor) record(ctx context.Context, r *checkRun, res status.Result) {
	c := &r.check
	tr := m.track(stateKey{c.ID, res.Location})
	tr.mu.Lock()
	prev := tr.state
	next, tn := status.Apply(c, prev, res)
	tr.state = next

	// A steady up check's state is not worth a write per result: only
	// transitions and the failure counts that lead to one are stored.
	steady := next.State != status.StateDown && next.Failures == 0
	var save *status.CheckState
	if tn != nil || !steady || !tr.savedSteady {
		st := next
		save = &st
		tr.savedSteady = steady
	}
	m.writer.enqueueResult(c, res, save)

	if tn != nil {
		m.log.Info("monitor: check state changed", "check", c.ID, "location", tn.Location, "from", tn.From, "to", tn.To, "error", res.Error)
		m.checkAlert(ctx, r, tr, *tn)
	}
	m.notifyCheck(ctx, r, tr)
	tr.mu.Unlock()

	if tn != nil {
		m.decide(ctx, c.Component)
		m.notifyQuorum(ctx, r)
	}
}

// alertSubject names a check alert: the check, and the location when the
// check runs in more than one place.
func alertSubject(c *status.Check, location string) string {
	if location == status.LocalLocation || location == "" {
		return c.ID
	}
	return c.ID + "@" + location
}

// checkAlert opens a check alert when the check goes down and resolves it
// when it comes back; flapping transitions are counted here. tr is the
// check's tracking state, locked by the caller; it keeps the open alert's
// ID for the notifications that follow.
func (m *Monitor) checkAlert(ctx context.Context, r *checkRun, tr *checkTrack, t status.Transition) {
	c := &r.check
	policy := m.policy()
	if t.To == status.StateDown || t.From == status.StateDown {
		tr.flaps = append(pruneBefore(tr.flaps, t.At.Add(-policy.FlapWindow)), t.At)
	}
	subject := alertSubject(c, t.Location)
	switch {
	case t.To == status.StateDown:
		silenced := m.inMaintenance(ctx, c.Component, t.At)
		a := status.Alert{
			Kind: status.AlertCheck, Component: c.Component, Customer: c.Customer,
			Subject: subject, Summary: fmt.Sprintf("%s is down: %s", checkName(c), t.Result.Error),
			Started: t.At, Silenced: silenced,
		}
		opened, _, err := m.store.OpenAlert(ctx, a)
		if err != nil {
			m.log.Error("monitor: open check alert", "check", c.ID, "err", err)
		}
		// Another server, or this one before a restart, may have opened
		// it: OpenAlert returns that one, so the ID is the same for all.
		tr.alertID = opened.ID
	case t.From == status.StateDown:
		tr.alertID = 0
		if err := m.resolveAlerts(ctx, status.AlertCheck, c.Component, subject, t.At); err != nil {
			m.log.Error("monitor: resolve check alert", "check", c.ID, "err", err)
		}
	}
}

// resolveAlerts resolves the open alerts of a kind and subject.
func (m *Monitor) resolveAlerts(ctx context.Context, kind status.AlertKind, component, subject string, at time.Time) error {
	open, err := m.store.Alerts(ctx, status.AlertFilter{OpenOnly: true, Component: component})
	if err != nil {
		return err
	}
	for _, a := range open {
		if a.Kind == kind && a.Subject == subject {
			if err := m.store.ResolveAlert(ctx, a.ID, at); err != nil {
				return err
			}
		}
	}
	return nil
}

func pruneBefore(ts []time.Time, cut time.Time) []time.Time {
	i := 0
	for i < len(ts) && ts[i].Before(cut) {
		i++
	}
	return append(ts[:0], ts[i:]...)
}

// flapping reports whether a check changed between up and down too often
// lately: from the FlapChanges-th change in FlapWindow until the check has
// kept one state for a whole FlapWindow.
func (tr *checkTrack) flapping(p status.AlertPolicy, now time.Time) bool {
	if p.FlapChanges <= 0 || p.FlapWindow <= 0 || len(tr.flaps) == 0 {
		return false
	}
	last := tr.flaps[len(tr.flaps)-1]
	if now.Sub(last) >= p.FlapWindow {
		tr.flaps = tr.flaps[:0]
		return false
	}
	// Count the changes within a window ending at the latest one.
	n := 0
	for _, t := range tr.flaps {
		if last.Sub(t) < p.FlapWindow {
			n++
		}
	}
	return n >= p.FlapChanges
}

// notifyCheck brings what the team was told in line with the check's
// state: a notification when it went down or came back, unless flapping or
// (for going down) maintenance holds it back, and reminders while down. A
// held-back change is told once the reason passes, if it still holds. Keys
// name the state period, so nothing is enqueued twice, even by two servers
// or after a restart.
func (m *Monitor) notifyCheck(ctx context.Context, r *checkRun, tr *checkTrack) {
	st := tr.state
	if st.State == status.StateUnknown || st.LastResult == nil || len(r.check.Sites()) > 1 {
		return // checks of several locations notify by quorum (notifyQuorum)
	}
	c := &r.check
	now := st.LastResult.At
	cls := status.StateUp
	if st.State == status.StateDown {
		cls = status.StateDown
	}
	policy := m.policy()
	if tr.notified == "" && cls == status.StateUp {
		tr.notified = cls // a new check that starts up is no news
		return
	}
	if cls == tr.notified {
		if cls == status.StateDown && policy.RemindEvery > 0 {
			n := int(now.Sub(st.Since) / policy.RemindEvery)
			if n > tr.reminded && !tr.flapping(policy, now) && !m.inMaintenance(ctx, c.Component, now) {
				tr.reminded = n
				m.notify(ctx, c.Component, status.EventReminder,
					fmt.Sprintf("check/%s/%s/reminder/%d/%d", c.ID, st.Location, st.Since.UnixMilli(), n),
					m.checkMessage(c, st, status.EventReminder, now, tr.downSince, m.checkAlertID(ctx, c, tr)))
			}
		}
		return
	}
	if tr.flapping(policy, now) {
		m.log.Info("monitor: check is flapping; notification held back", "check", c.ID, "state", st.State)
		return
	}
	if cls == status.StateDown && m.inMaintenance(ctx, c.Component, now) {
		return // silenced; told after the window if still down
	}
	ev := status.EventDown
	if cls == status.StateUp {
		ev = status.EventUp
	}
	var alertID int64
	if cls == status.StateDown {
		alertID = m.checkAlertID(ctx, c, tr)
	}
	m.notify(ctx, c.Component, ev,
		fmt.Sprintf("check/%s/%s/%s/%d", c.ID, st.Location, ev, st.Since.UnixMilli()),
		m.checkMessage(c, st, ev, now, tr.downSince, alertID))
	if cls == status.StateDown {
		tr.downSince = st.Since
		tr.reminded = int(now.Sub(st.Since) / max(policy.RemindEvery, 1))
	}
	tr.notified = cls
}

// checkAlertID returns the open check alert of a down check. A server
// restarted while the check was down has not seen the alert open, so it
// looks it up once in the store.
func (m *Monitor) checkAlertID(ctx context.Context, c *status.Check, tr *checkTrack) int64 {
	if tr.alertID != 0 {
		return tr.alertID
	}
	subject := alertSubject(c, tr.state.Location)
	open, err := m.store.Alerts(ctx, status.AlertFilter{OpenOnly: true, Component: c.Component})
	if err != nil {
		m.log.Error("monitor: read open alerts", "check", c.ID, "err", err)
		return 0
	}
	for _, a := range open {
		if a.Kind == status.AlertCheck && a.Subject == subject {
			tr.alertID = a.ID
		}
	}
	return tr.alertID
}

// checkMessage words a check notification. A down or reminder message
// names its alert (alertID, when known) so the team's notifiers can add an
// acknowledgement link (incident.AckLinks).
func (m *Monitor) checkMessage(c *status.Check, st status.CheckState, ev status.Event, now, downSince time.Time, alertID int64) status.Message {
	comp := m.component(c.Component)
	res := st.LastResult
	msg := status.Message{
		Event: ev, Component: c.Component, Team: comp.Owner, At: now,
		Fields: map[string]string{"check": c.ID, "location": st.Location, "latency": res.Latency.Round(time.Millisecond).String()},
		URL:    m.policy().BaseURL,
	}
	name := checkName(c)
	switch ev {
	case status.EventDown:
		msg.Status = status.MajorOutage
		msg.Title = fmt.Sprintf("%s: %s is down", comp.Name, name)
		msg.Text = res.Error
		msg.Fields["error"] = res.Error
	case status.EventReminder:
		msg.Status = status.MajorOutage
		msg.Title = fmt.Sprintf("%s: %s is still down (%s)", comp.Name, name, roundDuration(now.Sub(st.Since)))
		msg.Text = res.Error
		msg.Fields["error"] = res.Error
	case status.EventUp:
		alertID = 0 // nothing left to take on
		msg.Status = status.Operational
		msg.Title = fmt.Sprintf("%s: %s is back up", comp.Name, name)
		msg.Text = "recovered"
		if !downSince.IsZero() {
			d := st.Since.Sub(downSince)
			msg.Text = fmt.Sprintf("recovered after %s down", roundDuration(d))
			msg.Fields["down_for"] = roundDuration(d)
		}
	}
	if alertID > 0 {
		msg.Fields[incident.FieldAck] = incident.AckRef(incident.AckAlert, alertID)
	}
	return msg
}

func checkName(c *status.Check) string {
	if c.Name != "" {
		return c.Name
	}
	return c.ID
}

// roundDuration prints a duration as a person would say it.
func roundDuration(d time.Duration) string {
	switch {
	case d >= time.Hour:
		return d.Round(time.Minute).String()
	case d >= time.Minute:
		return d.Round(time.Second).String()
	default:
		return d.Round(time.Millisecond).String()
	}
}

// policy returns the alerting policy of the current plan.
func (m *Monitor) policy() status.AlertPolicy {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.plan.Alerting
}

// component returns a configured component, or a stand-in named by its ID.
func (m *Monitor) component(id string) status.Component {
	m.mu.Lock()
	defer m.mu.Unlock()
	if c := m.components[id]; c != nil {
		return *c
	}
	return status.Component{ID: id, Name: id}
}

// recipients lists the notifiers that hear about an event on a component:
// the owning team's and those of matching routes, each once.
func (m *Monitor) recipients(component string, ev status.Event) []string {
	m.mu.Lock()
	defer m.mu.Unlock()
	var out []string
	seen := map[string]bool{}
	addAll := func(ns []string) {
		for _, n := range ns {
			if !seen[n] {
				seen[n] = true
				out = append(out, n)
			}
		}
	}
	if c := m.components[component]; c != nil && c.Owner != "" {
		addAll(m.teams[c.Owner].Notifiers)
	}
	for _, rt := range m.plan.Routes {
		if matches(rt.Components, component) && (len(rt.Events) == 0 || hasEvent(rt.Events, ev)) {
			addAll(rt.Notifiers)
		}
	}
	return out
}

func matches(list []string, id string) bool {
	for _, s := range list {
		if s == "*" || s == id {
			return true
		}
	}
	return false
}

func hasEvent(list []status.Event, ev status.Event) bool {
	for _, e := range list {
		if e == ev {
			return true
		}
	}
	return false
}

// notify enqueues one message for each recipient, keyed "key/notifier".
// The message ID is the key without the notifier, stable across retries.
func (m *Monitor) notify(ctx context.Context, component string, ev status.Event, key string, msg status.Message) {
	to := m.recipients(component, ev)
	if len(to) == 0 {
		m.log.Warn("monitor: nobody to notify", "component", component, "event", ev, "key", key)
		return
	}
	msg.ID = key
	now := m.now()
	ns := make([]status.Notification, 0, len(to))
	for _, n := range to {
		ns = append(ns, status.Notification{Key: key + "/" + n, Notifier: n, Message: msg, Created: now, NextAttempt: now})
	}
	added, err := m.store.Enqueue(ctx, ns)
	if err != nil {
		m.log.Error("monitor: enqueue notifications", "key", key, "err", err)
		return
	}
	if added > 0 {
		m.metrics.notifications.Add(float64(added))
		m.opts.Poke()
	}
}

// inMaintenance reports whether a maintenance window, from the config or
// the store, covers the component at t.
func (m *Monitor) inMaintenance(ctx context.Context, component string, t time.Time) bool {
	for _, w := range m.maintenances(ctx, t) {
		if w.Covers(component) {
			return true
		}
	}
	return false
}

// maintenances lists the windows active at t.
func (m *Monitor) maintenances(ctx context.Context, t time.Time) []status.Maintenance {
	m.mu.Lock()
	var out []status.Maintenance
	for _, w := range m.plan.Maintenances {
		if w.Active(t) {
			out = append(out, w)
		}
	}
	m.mu.Unlock()
	stored, err := m.store.Maintenances(ctx, t, t.Add(time.Millisecond))
	if err != nil {
		m.log.Error("monitor: read maintenance windows", "err", err)
	}
	for _, w := range stored {
		if w.Active(t) {
			out = append(out, w)
		}
	}
	return out
}
