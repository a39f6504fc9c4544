package monitor

import (
	"context"
	"fmt"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/safetynet-dev/safetynet"
	"github.com/safetynet-dev/safetynet/status"
)

// Agents: checks assigned to locations other than the server's own are
// run by `safetynet agent` processes, which fetch them with AgentChecks
// and report with AgentResults. The server keeps one state per check and
// location as for its own results; a location that stops reporting for
// status.AgentSilentAfter of its shortest interval is silent: its states
// become unknown, so they no longer count toward any quorum, and an
// AlertAgent alert tells the team.

// agentTracker remembers when each location last reported.
type agentTracker struct {
	mu     sync.Mutex
	since  time.Time            // when locations were first expected (first plan)
	seen   map[string]time.Time // last report per location, here or to another server
	direct map[string]time.Time // last report to this server
	silent map[string]time.Time // locations declared silent, and since when
	// posting serialises the results of one location, so that the order
	// check (a result not newer than the last one is a replay) and the
	// record that follows it are atomic.
	posting map[string]*sync.Mutex
	// quorum is what was told about each check of several locations.
	quorum map[string]*quorumTrack
}

func (a *agentTracker) lock(location string) func() {
	a.mu.Lock()
	if a.posting == nil {
		a.posting = map[string]*sync.Mutex{}
	}
	mu := a.posting[location]
	if mu == nil {
		mu = &sync.Mutex{}
		a.posting[location] = mu
	}
	a.mu.Unlock()
	mu.Lock()
	return mu.Unlock
}

// AgentReport says what became of a batch of results from an agent.
type AgentReport = status.AgentReport

// maxClockSkew is how far in the future an agent's result may be stamped
// before it is ignored: a wrong clock must not hide later results.
const maxClockSkew = time.Minute

// AgentChecks returns the checks assigned to location, in config order,
// without heartbeat checks (jobs call the server, not agents). The server's
// own location is refused: an agent must not run checks the server runs.
func (m *Monitor) AgentChecks(location string) ([]status.Check, error) {
	if err := m.agentLocation(location); err != nil {
		return nil, err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	var out []status.Check
	for _, c := range m.plan.Checks {
		if r := m.checks[c.ID]; r != nil && r.check.Kind != status.KindHeartbeat && r.check.RunsAt(location) {
			out = append(out, r.check)
		}
	}
	return out, nil
}

func (m *Monitor) agentLocation(location string) error {
	if location == "" || location == m.opts.Location {
		return safetynet.Errorf(safetynet.EINVALID, "location %q is not an agent location (the server itself probes %q)", location, m.opts.Location)
	}
	return nil
}

// AgentResults records the results an agent at location reports, in the
// order given. The location comes from the caller (the authenticated
// request), never from the results. A result not newer than the last one
// recorded for its check at location is a duplicate and is skipped, so a
// batch retried after a lost answer, or replayed from the agent's buffer,
// is not counted twice.
func (m *Monitor) AgentResults(ctx context.Context, location string, results []status.Result) (AgentReport, error) {
	var rep AgentReport
	if err := m.agentLocation(location); err != nil {
		return rep, err
	}
	unlock := m.agents.lock(location)
	defer unlock()
	now := m.now()
	for _, res := range results {
		r := m.checkRun(res.CheckID)
		if r == nil || r.check.Kind == status.KindHeartbeat || !r.check.RunsAt(location) || res.At.After(now.Add(maxClockSkew)) || res.At.IsZero() {
			rep.Ignored++
			continue
		}
		res.Location = location
		tr := m.track(stateKey{res.CheckID, location})
		tr.mu.Lock()
		last := tr.state.LastResult
		tr.mu.Unlock()
		if last != nil && !res.At.After(last.At) {
			rep.Duplicates++
			continue
		}
		m.metrics.observe(r.check.Kind, res)
		m.record(ctx, r, res)
		rep.Accepted++
	}
	if rep.Accepted > 0 || rep.Duplicates > 0 {
		m.agentSeen(ctx, location, now)
	}
	return rep, nil
}

// agentSeen notes that location reported, and ends its silence if it was
// silent.
func (m *Monitor) agentSeen(ctx context.Context, location string, now time.Time) {
	a := &m.agents
	a.mu.Lock()
	if a.seen == nil {
		a.seen = map[string]time.Time{}
	}
	a.seen[location] = now
	if a.direct == nil {
		a.direct = map[string]time.Time{}
	}
	a.direct[location] = now
	since, wasSilent := a.silent[location]
	delete(a.silent, location)
	a.mu.Unlock()
	if !wasSilent {
		return
	}
	m.log.Info("monitor: agent reports again", "location", location, "silent_for", now.Sub(since))
	comp := m.agentComponent(location)
	if err := m.resolveAlerts(ctx, status.AlertAgent, comp, agentSubject(location), now); err != nil {
		m.log.Error("monitor: resolve agent alert", "location", location, "err", err)
	}
	m.notify(ctx, comp, status.EventUp, fmt.Sprintf("agent/%s/up/%d", location, since.UnixMilli()), status.Message{
		Event: status.EventUp, Component: comp, Team: m.component(comp).Owner, At: now, Status: status.Operational,
		Title: fmt.Sprintf("agent %s reports again", location),
		Text:  fmt.Sprintf("silent for %s; its results count again", roundDuration(now.Sub(since))),
		// Fields: the location, as check notifications name theirs.
		Fields: map[string]string{"location": location}, URL: m.policy().BaseURL,
	})
}

func agentSubject(location string) string { return "agent/" + location }

// agentLocations returns each agent location of the plan with the
// shortest interval of its checks.
func (m *Monitor) agentLocations() map[string]time.Duration {
	m.mu.Lock()
	defer m.mu.Unlock()
	out := map[string]time.Duration{}
	for _, r := range m.checks {
		if r.check.Kind == status.KindHeartbeat {
			continue
		}
		for _, loc := range r.check.Sites() {
			if loc == m.opts.Location {
				continue
			}
			if d, ok := out[loc]; !ok || r.check.Interval < d {
				out[loc] = r.check.Interval
			}
		}
	}
	return out
}

// agentComponent is the component an agent alert is filed under: the
// first, by ID, with a check at the location, so it shows on the
// dashboard beside the checks it affects. (Alerts are unique per kind and
// subject, so one component carries it.)
func (m *Monitor) agentComponent(location string) string {
	m.mu.Lock()
	defer m.mu.Unlock()
	var comps []string
	for _, r := range m.checks {
		if r.check.RunsAt(location) {
			comps = append(comps, r.check.Component)
		}
	}
	if len(comps) == 0 {
		return ""
	}
	return slices.Min(comps)
}

// checkAgents declares silent every agent location that has not reported
// for status.AgentSilentAfter of its shortest interval: its check states
// become unknown (they stop counting toward quorums), the check alerts of
// that location are resolved (nobody there can tell any more) and an
// agent alert is opened and sent. A location never heard from is measured
// from when the monitor first had a plan.
func (m *Monitor) checkAgents(ctx context.Context, now time.Time) {
	locs := m.agentLocations()
	a := &m.agents
	a.mu.Lock()
	if a.since.IsZero() {
		a.since = now
	}
	quiet := map[string]time.Time{}
	for loc, every := range locs {
		if _, ok := a.silent[loc]; ok {
			continue
		}
		last, ok := a.seen[loc]
		if !ok {
			last = a.since
		}
		if now.Sub(last) > status.AgentSilentAfter*every {
			quiet[loc] = last
		}
	}
	a.mu.Unlock()
	var newly []string
	for loc, last := range quiet {
		// The agent may report to another server of the fleet: what it
		// stored counts as heard from.
		if rs, err := m.store.Results(ctx, status.ResultFilter{Location: loc, Since: now.Add(-status.AgentSilentAfter * locs[loc]), Limit: 1}); err != nil {
			m.log.Error("monitor: read an agent's latest result", "location", loc, "err", err)
			continue
		} else if len(rs) > 0 {
			a.mu.Lock()
			if a.seen == nil {
				a.seen = map[string]time.Time{}
			}
			a.seen[loc] = rs[0].At
			a.mu.Unlock()
			continue
		}
		a.mu.Lock()
		if a.silent == nil {
			a.silent = map[string]time.Time{}
		}
		a.silent[loc] = last
		a.mu.Unlock()
		newly = append(newly, loc)
	}
	sort.Strings(newly)
	var affected []string
	for _, loc := range newly {
		affected = append(affected, m.silence(ctx, loc, now)...)
	}
	affected = append(affected, m.syncElsewhere(ctx, locs, now)...)
	m.resolveUnassigned(ctx, locs, now)
	m.remindAll(ctx)
	if len(affected) > 0 {
		m.decideAll(ctx, slices.Compact(slices.Sorted(slices.Values(affected))))
	}
}

// silence makes a silent location's states unknown and raises its alert.
// It returns the components whose checks it touched.
func (m *Monitor) silence(ctx context.Context, location string, now time.Time) []string {
	m.agents.mu.Lock()
	since := m.agents.silent[location]
	m.agents.mu.Unlock()
	m.mu.Lock()
	var runs []*checkRun
	for _, r := range m.checks {
		if r.check.RunsAt(location) {
			runs = append(runs, r)
		}
	}
	m.mu.Unlock()
	var comps, ids []string
	for _, r := range runs {
		c := &r.check
		tr := m.track(stateKey{c.ID, location})
		tr.mu.Lock()
		wasDown := tr.state.State == status.StateDown
		tr.state.State, tr.state.Since = status.StateUnknown, now
		tr.state.Failures, tr.state.Successes = 0, 0
		tr.alertID = 0
		tr.mu.Unlock()
		if wasDown {
			if err := m.resolveAlerts(ctx, status.AlertCheck, c.Component, alertSubject(c, location), now); err != nil {
				m.log.Error("monitor: resolve check alert of silent location", "check", c.ID, "location", location, "err", err)
			}
		}
		comps = append(comps, c.Component)
		ids = append(ids, c.ID)
		m.notifyQuorum(ctx, r)
	}
	sort.Strings(ids)
	comp := m.agentComponent(location)
	summary := fmt.Sprintf("agent %s silent: no results since %s; its %d check(s) no longer count toward quorums", location, since.UTC().Format(time.RFC3339), len(ids))
	m.log.Warn("monitor: agent silent", "location", location, "since", since, "checks", ids)
	a := status.Alert{Kind: status.AlertAgent, Component: comp, Subject: agentSubject(location), Summary: summary, Started: now}
	if _, _, err := m.store.OpenAlert(ctx, a); err != nil {
		m.log.Error("monitor: open agent alert", "location", location, "err", err)
	}
	m.notify(ctx, comp, status.EventDown, fmt.Sprintf("agent/%s/down/%d", location, since.UnixMilli()), status.Message{
		Event: status.EventDown, Component: comp, Team: m.component(comp).Owner, At: now, Status: status.Degraded,
		Title: fmt.Sprintf("agent %s silent", location), Text: summary,
		Fields: map[string]string{"location": location}, URL: m.policy().BaseURL,
	})
	return comps
}

// quorums returns the quorum of each check of a component, for
// status.Decide.
func (m *Monitor) quorums(component string) map[string]int {
	m.mu.Lock()
	defer m.mu.Unlock()
	out := map[string]int{}
	for _, id := range m.compChecks[component] {
		if r := m.checks[id]; r != nil && r.check.Quorum > 0 {
			out[id] = r.check.Quorum
		}
	}
	return out
}

// quorumTrack is what the team was last told about a check of several
// locations as a whole.
type quorumTrack struct {
	mu       sync.Mutex
	notified status.State
	since    time.Time // when the told-about quorum was reached
	reminded int       // the last reminder sent for the down period
}

// notifyQuorum tells the team when a check of several locations goes down
// by its quorum or comes back: such checks send no notification per
// location (notifyCheck leaves them to this), since one location's broken
// network path is not news for anybody's pager. The dashboard and the
// per-location check alerts still show each location. The key names the
// moment the quorum was reached, computed from the stored states, so a
// restarted server or a second one enqueues nothing twice.
func (m *Monitor) notifyQuorum(ctx context.Context, r *checkRun) {
	c := &r.check
	if len(c.Sites()) < 2 {
		return
	}
	m.agents.mu.Lock()
	if m.agents.quorum == nil {
		m.agents.quorum = map[string]*quorumTrack{}
	}
	qt := m.agents.quorum[c.ID]
	if qt == nil {
		qt = &quorumTrack{}
		m.agents.quorum[c.ID] = qt
	}
	m.agents.mu.Unlock()
	qt.mu.Lock()
	defer qt.mu.Unlock()

	states := m.stateCopies([]string{c.ID})[c.ID]
	var downSince []time.Time
	var last *status.Result
	known := 0
	for _, st := range states {
		switch st.State {
		case status.StateDown:
			downSince = append(downSince, st.Since)
			known++
		case status.StateUp, status.StateDegraded:
			known++
		default:
			continue
		}
		if st.LastResult != nil && (last == nil || st.LastResult.At.After(last.At)) {
			last = st.LastResult
		}
	}
	if known == 0 || last == nil {
		return
	}
	need := status.QuorumOf(c.Quorum, known)
	cls, since := status.StateUp, time.Time{}
	if len(downSince) >= need {
		slices.SortFunc(downSince, func(a, b time.Time) int { return a.Compare(b) })
		cls, since = status.StateDown, downSince[need-1]
	}
	if qt.notified == "" && cls == status.StateUp {
		qt.notified = cls
		return
	}
	if cls == qt.notified {
		m.remindQuorum(ctx, c, qt, len(downSince), known)
		return
	}
	now := last.At
	if cls == status.StateDown && m.inMaintenance(ctx, c.Component, now) {
		return // told after the window if still down
	}
	comp := m.component(c.Component)
	msg := status.Message{
		Component: c.Component, Team: comp.Owner, At: now, URL: m.policy().BaseURL,
		Fields: map[string]string{"check": c.ID, "locations": fmt.Sprintf("%d of %d down", len(downSince), known)},
	}
	ev := status.EventDown
	if cls == status.StateDown {
		msg.Event, msg.Status = ev, status.MajorOutage
		msg.Title = fmt.Sprintf("%s: %s is down from %d of %d locations", comp.Name, checkName(c), len(downSince), known)
		msg.Text = last.Error
		for _, st := range states {
			if st.State == status.StateDown && st.LastResult != nil {
				msg.Text = st.LastResult.Error
				msg.Fields["error"] = st.LastResult.Error
			}
		}
	} else {
		ev = status.EventUp
		msg.Event, msg.Status = ev, status.Operational
		msg.Title = fmt.Sprintf("%s: %s is back up", comp.Name, checkName(c))
		msg.Text = fmt.Sprintf("down from fewer locations than the quorum (%d of %d)", len(downSince), known)
		since = qt.since
	}
	m.notify(ctx, c.Component, ev, fmt.Sprintf("check/%s/quorum/%s/%d", c.ID, ev, since.UnixMilli()), msg)
	qt.notified, qt.since, qt.reminded = cls, since, 0
	if cls == status.StateDown {
		if p := m.policy(); p.RemindEvery > 0 {
			qt.reminded = int(m.now().Sub(since) / p.RemindEvery)
		}
	}
}

// remindQuorum reminds the team of a check still down by its quorum, every
// RemindEvery of the down period. The key names the period and the
// reminder, so servers of a fleet send each once between them.
func (m *Monitor) remindQuorum(ctx context.Context, c *status.Check, qt *quorumTrack, down, known int) {
	p := m.policy()
	if qt.notified != status.StateDown || p.RemindEvery <= 0 {
		return
	}
	now := m.now()
	n := int(now.Sub(qt.since) / p.RemindEvery)
	if n <= qt.reminded || m.inMaintenance(ctx, c.Component, now) {
		return
	}
	qt.reminded = n
	comp := m.component(c.Component)
	m.notify(ctx, c.Component, status.EventReminder, fmt.Sprintf("check/%s/quorum/reminder/%d/%d", c.ID, qt.since.UnixMilli(), n), status.Message{
		Event: status.EventReminder, Component: c.Component, Team: comp.Owner, At: now, URL: p.BaseURL, Status: status.MajorOutage,
		Title:  fmt.Sprintf("%s: %s is still down from %d of %d locations (%s)", comp.Name, checkName(c), down, known, roundDuration(now.Sub(qt.since))),
		Fields: map[string]string{"check": c.ID, "locations": fmt.Sprintf("%d of %d down", down, known)},
	})
}

// remindAll runs the quorum notifications of every check of several
// locations: reminders come due with time, not with results.
func (m *Monitor) remindAll(ctx context.Context) {
	m.mu.Lock()
	var runs []*checkRun
	for _, r := range m.checks {
		if len(r.check.Sites()) > 1 {
			runs = append(runs, r)
		}
	}
	m.mu.Unlock()
	for _, r := range runs {
		m.notifyQuorum(ctx, r)
	}
}

// syncElsewhere copies from the store the states of agent locations that
// report to another server of the fleet, so that every server decides a
// component from the same states (the server the agent posts to stores
// each change). It returns the components whose states it changed.
func (m *Monitor) syncElsewhere(ctx context.Context, locs map[string]time.Duration, now time.Time) []string {
	a := &m.agents
	a.mu.Lock()
	want := map[string]bool{}
	for loc, every := range locs {
		_, silent := a.silent[loc]
		if !silent && now.Sub(a.direct[loc]) > status.AgentSilentAfter*every && now.Sub(a.seen[loc]) <= status.AgentSilentAfter*every {
			want[loc] = true
		}
	}
	a.mu.Unlock()
	if len(want) == 0 {
		return nil
	}
	stored, err := m.store.CheckStates(ctx)
	if err != nil {
		m.log.Error("monitor: read the states of agents reporting elsewhere", "err", err)
		return nil
	}
	var comps []string
	for _, st := range stored {
		if !want[st.Location] {
			continue
		}
		r := m.checkRun(st.CheckID)
		if r == nil || !r.check.RunsAt(st.Location) {
			continue
		}
		tr := m.track(stateKey{st.CheckID, st.Location})
		tr.mu.Lock()
		if tr.state.State != st.State || !tr.state.Since.Equal(st.Since) {
			last := tr.state.LastResult
			tr.state = st
			if last != nil && (st.LastResult == nil || last.At.After(st.LastResult.At)) {
				tr.state.LastResult = last
			}
			comps = append(comps, r.check.Component)
		}
		tr.mu.Unlock()
	}
	return comps
}

// resolveUnassigned resolves the check alerts of locations a check no
// longer runs at, and the agent alerts of locations no check names any
// more: after a reload nothing there can recover them.
func (m *Monitor) resolveUnassigned(ctx context.Context, locs map[string]time.Duration, now time.Time) {
	open, err := m.store.Alerts(ctx, status.AlertFilter{OpenOnly: true})
	if err != nil {
		m.log.Error("monitor: read open alerts", "err", err)
		return
	}
	for _, al := range open {
		stale := false
		switch al.Kind {
		case status.AlertCheck:
			id, loc, ok := strings.Cut(al.Subject, "@")
			if !ok {
				continue // a check of the server: SetPlan resolves those
			}
			r := m.checkRun(id)
			stale = r == nil || !r.check.RunsAt(loc)
		case status.AlertAgent:
			loc := strings.TrimPrefix(al.Subject, "agent/")
			if _, ok := locs[loc]; !ok {
				stale = true
				m.agents.mu.Lock()
				delete(m.agents.silent, loc)
				m.agents.mu.Unlock()
			}
		}
		if stale {
			if err := m.store.ResolveAlert(ctx, al.ID, now); err != nil {
				m.log.Error("monitor: resolve alert of a location no longer assigned", "subject", al.Subject, "err", err)
			}
		}
	}
}
