// Package incident opens, posts, updates and resolves automatic incidents,
// and escalates a red component nobody has explained. It applies the team's
// rule — a problem that affects more than one customer is an incident — to
// what the monitor has recorded: component statuses, open alerts tagged with
// customers, and customer reports.
package incident

import (
	"context"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/safetynet-dev/safetynet/status"
)

// Store is what the engine reads and writes.
type Store interface {
	status.IncidentStore
	status.StateStore
	status.AlertStore
	status.Outbox
}

// Author is the name on updates the engine drafts.
const Author = "safetynet"

// Engine runs the incident rules. Call Tick periodically (the server does
// every few seconds); everything it decides is stored, so a restart picks
// up where it left off.
type Engine struct {
	Store  Store
	Policy status.IncidentPolicy
	Now    func() time.Time
	Logger *slog.Logger
	// Plan returns the current components and teams.
	Plan func() status.Plan
	// Poke wakes the notifier after something was enqueued.
	Poke func()
	// ReportWindow is how far back customer reports count (default 1h).
	ReportWindow time.Duration
	// Subscribers, if set, tells subscribers about public incidents.
	Subscribers *Announcer
	// BaseURL is the server's public address, for links in messages to
	// teams; empty means the Subscribers' PageURL.
	BaseURL string

	mu  sync.Mutex            // guards Policy against SetPolicy during a reload
	pol status.IncidentPolicy // the policy of the Tick in progress

	backlogMu sync.Mutex   // one look at the audit trail at a time
	backlog   backlogState // action item changes already sent (backlog.go)
}

// SetPolicy replaces the policy from the next Tick on (config reloads).
func (e *Engine) SetPolicy(p status.IncidentPolicy) {
	e.mu.Lock()
	e.Policy = p
	e.mu.Unlock()
}

func (e *Engine) now() time.Time {
	if e.Now == nil {
		return time.Now().UTC()
	}
	return e.Now().UTC()
}

func (e *Engine) log() *slog.Logger {
	if e.Logger == nil {
		return slog.Default()
	}
	return e.Logger
}

// Tick applies the rules once to every component.
func (e *Engine) Tick(ctx context.Context) error {
	e.mu.Lock()
	e.pol = e.Policy
	e.mu.Unlock()
	now := e.now()
	plan := e.Plan()
	statuses, err := e.Store.CurrentStatuses(ctx)
	if err != nil {
		return fmt.Errorf("incident: statuses: %w", err)
	}
	alerts, err := e.Store.Alerts(ctx, status.AlertFilter{OpenOnly: true})
	if err != nil {
		return fmt.Errorf("incident: alerts: %w", err)
	}
	open, err := e.Store.Incidents(ctx, status.IncidentFilter{OpenOnly: true})
	if err != nil {
		return fmt.Errorf("incident: incidents: %w", err)
	}
	window := e.ReportWindow
	if window <= 0 {
		window = time.Hour
	}
	enqueued := false
	for _, c := range plan.Components {
		a := status.Affected{Component: c, Status: statuses[c.ID]}
		if a.Status == "" {
			a.Status = status.Operational
		}
		since, cause, err := e.since(ctx, c.ID)
		if err != nil {
			return err
		}
		a.Since, a.Cause = since, cause
		for _, al := range alerts {
			if al.Component == c.ID && al.Customer != "" && !al.Silenced {
				a.Customers = append(a.Customers, al.Customer)
			}
		}
		reports, err := e.Store.Reports(ctx, c.ID, now.Add(-window))
		if err != nil {
			return fmt.Errorf("incident: reports: %w", err)
		}
		for _, r := range reports {
			a.Customers = append(a.Customers, r.Customer)
		}
		n := false
		incs := incidentsFor(open, c.ID)
		if len(incs) == 0 {
			incs = []*status.Incident{nil}
		}
		for _, inc := range incs {
			sent, err := e.apply(ctx, now, a, reports, inc, plan)
			if err != nil {
				return fmt.Errorf("incident: component %s: %w", c.ID, err)
			}
			n = n || sent
		}
		told, err := e.componentUpdate(ctx, now, c, a.Status, since)
		if err != nil {
			return fmt.Errorf("incident: component %s: %w", c.ID, err)
		}
		enqueued = enqueued || n || told
	}
	if err := e.DraftPostmortems(ctx); err != nil {
		return err
	}
	sent, err := e.SendActionItems(ctx, now, plan)
	if err != nil {
		return err
	}
	enqueued = enqueued || sent
	if enqueued && e.Poke != nil {
		e.Poke()
	}
	return nil
}

// since returns when the component's current status began and why.
func (e *Engine) since(ctx context.Context, component string) (time.Time, string, error) {
	cs, err := e.Store.Changes(ctx, status.ChangeFilter{Component: component, Limit: 1})
	if err != nil {
		return time.Time{}, "", fmt.Errorf("incident: changes: %w", err)
	}
	if len(cs) == 0 {
		return e.now(), "", nil
	}
	return cs[0].At, cs[0].Cause, nil
}

// componentUpdateWindow is how long after a change has settled it may
// still be told (after a restart, say); older changes are not news.
const componentUpdateWindow = time.Hour

// componentUpdate tells subscribers of a public component that its status
// changed, once the new status has held for the policy's minimum time: a
// check that flaps, or a blip shorter than that, tells nobody. The old
// status is the last one that held that long, so a component that went
// red for a minute and back is not news at all.
func (e *Engine) componentUpdate(ctx context.Context, now time.Time, c status.Component, current status.Status, since time.Time) (bool, error) {
	if e.Subscribers == nil || !c.Public {
		return false, nil
	}
	hold := e.pol.MinDuration
	held := now.Sub(since)
	if held < hold || held > hold+componentUpdateWindow {
		return false, nil
	}
	cs, err := e.Store.Changes(ctx, status.ChangeFilter{Component: c.ID, Limit: 50})
	if err != nil {
		return false, fmt.Errorf("changes: %w", err)
	}
	// cs holds the latest changes, oldest first.
	last := len(cs) - 1
	if last < 0 || cs[last].To != current {
		return false, nil
	}
	old := cs[0].From
	for i := last - 1; i >= 0; i-- {
		if cs[i+1].At.Sub(cs[i].At) >= hold {
			old = cs[i].To
			break
		}
	}
	if old == "" || old == current {
		return false, nil // a new component, or back to what subscribers knew
	}
	n, err := e.Subscribers.ComponentUpdate(ctx, c, old, current, cs[last].At)
	return n > 0, err
}

// incidentsFor lists the open incidents touching a component, automatic
// ones first. Usually there is one; after people split an incident by
// customers both halves touch the component, and each is handled (posted,
// moved to monitoring, resolved) on its own, so neither is left open.
// Merged incidents are told through the one they were merged into.
func incidentsFor(open []status.Incident, component string) []*status.Incident {
	var auto, manual []*status.Incident
	for i := range open {
		if open[i].MergedInto != 0 {
			continue
		}
		for _, ac := range open[i].Components {
			if ac.Component == component {
				if open[i].Automatic {
					auto = append(auto, &open[i])
				} else {
					manual = append(manual, &open[i])
				}
				break
			}
		}
	}
	return append(auto, manual...)
}

func (e *Engine) apply(ctx context.Context, now time.Time, a status.Affected, reports []status.CustomerReport, inc *status.Incident, plan status.Plan) (enqueued bool, err error) {
	broken := a.Status != status.Operational && a.Status != status.UnderMaintenance
	need, customers := status.NeedsIncident(a)
	if !broken && len(reports) > 1 {
		// Customers report a problem the checks do not see: that is still
		// an incident when more than one of them says so.
		need = true
		if a.Cause == "" {
			a.Cause = fmt.Sprintf("%d customers reported problems", len(customers))
		}
	}

	switch {
	case inc == nil && need:
		impact := status.ImpactOf(a.Status)
		if impact == status.ImpactNone {
			impact = status.ImpactMinor
		}
		start := a.Since
		if !broken && len(reports) > 0 {
			start = reports[0].At
		}
		a.Since = start
		created, err := e.Store.CreateIncident(ctx, status.Incident{
			Title: a.Component.Name + ": " + titleFor(a.Status), Status: status.Investigating, Impact: impact, Automatic: true,
			Components: []status.AffectedComponent{{Component: a.Component.ID, Status: a.Status}}, Customers: customers,
			StartedAt: start, CreatedAt: now,
		}, status.IncidentUpdate{Status: status.Investigating, Body: status.DraftFirstUpdate(a), Author: Author, At: now}, Author)
		if err != nil {
			return false, err
		}
		e.log().Info("incident opened", "incident", created.ID, "component", a.Component.ID, "customers", customers)
		return e.maybePost(ctx, now, &created, broken || len(reports) > 1, plan)
	case inc == nil:
		return e.escalate(ctx, now, a, nil, plan)
	}

	// An incident is open for the component.
	if broken || len(reports) > 1 && now.Sub(reports[len(reports)-1].At) < e.pol.QuietPeriod {
		if inc.Status == status.Monitoring && inc.Automatic {
			// The problem came back while we were watching.
			if _, err := e.Store.AddUpdate(ctx, inc.ID, status.IncidentUpdate{Status: status.Investigating,
				Body: fmt.Sprintf("The problem is back since %s UTC; we are investigating.", a.Since.UTC().Format("15:04")), Author: Author, At: now}, Author); err != nil {
				return false, err
			}
			if _, err := e.Subscribers.IncidentByID(ctx, e.Store, inc.ID); err != nil {
				return false, err
			}
		}
		posted, err := e.maybePost(ctx, now, inc, true, plan)
		if err != nil {
			return false, err
		}
		esc, err := e.escalate(ctx, now, a, inc, plan)
		return posted || esc, err
	}
	if !inc.Automatic {
		return false, nil // people resolve the incidents they opened
	}
	switch inc.Status {
	case status.Investigating, status.Identified:
		_, err := e.Store.AddUpdate(ctx, inc.ID, status.IncidentUpdate{Status: status.Monitoring,
			Body: fmt.Sprintf("The problem cleared at %s UTC. We are monitoring to make sure it stays that way.", a.Since.UTC().Format("15:04")), Author: Author, At: now}, Author)
		if err != nil {
			return false, err
		}
		told, err := e.Subscribers.IncidentByID(ctx, e.Store, inc.ID)
		return told > 0, err
	case status.Monitoring:
		quiet := e.pol.QuietPeriod
		if e.pol.WaitForHuman || now.Sub(lastUpdate(inc)) < quiet {
			return false, nil
		}
		_, err := e.Store.AddUpdate(ctx, inc.ID, status.IncidentUpdate{Status: status.Resolved,
			Body: "This incident has been resolved.", Author: Author, At: now}, Author)
		if err != nil {
			return false, err
		}
		e.log().Info("incident resolved", "incident", inc.ID, "explained", inc.Explained())
		told, err := e.Subscribers.IncidentByID(ctx, e.Store, inc.ID)
		return told > 0, err
	}
	return false, nil
}

func lastUpdate(inc *status.Incident) time.Time {
	if len(inc.Updates) == 0 {
		return inc.UpdatedAt
	}
	return inc.Updates[len(inc.Updates)-1].At
}

func titleFor(s status.Status) string {
	switch s {
	case status.MajorOutage:
		return "outage"
	case status.PartialOutage:
		return "partial outage"
	case status.Degraded:
		return "degraded performance"
	}
	return "customers report problems"
}

// maybePost makes an automatic incident public once it has lasted the
// minimum time, so blips stay internal, and tells the owning team.
func (e *Engine) maybePost(ctx context.Context, now time.Time, inc *status.Incident, ongoing bool, plan status.Plan) (bool, error) {
	if inc.Public || !inc.Automatic || !ongoing || now.Sub(inc.StartedAt) < e.pol.MinDuration {
		return false, nil
	}
	inc.Public = true
	if err := e.Store.EditIncident(ctx, *inc, Author); err != nil {
		return false, err
	}
	e.log().Info("incident posted", "incident", inc.ID)
	told, err := e.Subscribers.IncidentByID(ctx, e.Store, inc.ID)
	if err != nil {
		return false, err
	}
	msg := status.Message{Event: status.EventIncident, Title: "Incident posted: " + inc.Title,
		Text: "The status page now shows this incident. " + firstBody(inc), Status: status.MajorOutage, At: now,
		Fields: map[string]string{"incident": fmt.Sprint(inc.ID), "subject": fmt.Sprintf("incident/%d", inc.ID), FieldAck: AckRef(AckIncident, inc.ID)}}
	if len(inc.Components) > 0 {
		msg.Component = inc.Components[0].Component
	}
	sent, err := e.enqueue(ctx, fmt.Sprintf("incident/%d/posted", inc.ID), msg, plan)
	return sent || told > 0, err
}

func firstBody(inc *status.Incident) string {
	if len(inc.Updates) == 0 {
		return ""
	}
	return inc.Updates[0].Body
}

// escalate tells a component's team when the page has shown it red for
// ExplainAfter with no human-written update: nothing stays red without an
// explanation.
func (e *Engine) escalate(ctx context.Context, now time.Time, a status.Affected, inc *status.Incident, plan status.Plan) (bool, error) {
	broken := a.Status != status.Operational && a.Status != status.UnderMaintenance
	if !broken || e.pol.ExplainAfter <= 0 || now.Sub(a.Since) < e.pol.ExplainAfter {
		return false, nil
	}
	if inc != nil && inc.Explained() {
		return false, nil
	}
	msg := status.Message{Event: status.EventEscalate, Component: a.Component.ID, Team: a.Component.Owner, Status: a.Status, At: now,
		Title: fmt.Sprintf("%s has been red for %s with no explanation", a.Component.Name, now.Sub(a.Since).Round(time.Minute)),
		Text: fmt.Sprintf("The status page has shown %s as %s since %s UTC and nobody has written an update. Say what is happening, even if it healed itself.",
			a.Component.Name, a.Status, a.Since.UTC().Format("15:04")),
		Fields: map[string]string{"subject": "escalate/" + a.Component.ID}}
	if inc != nil {
		msg.Fields[FieldAck] = AckRef(AckIncident, inc.ID)
	}
	return e.enqueue(ctx, fmt.Sprintf("escalate/%s/%d", a.Component.ID, a.Since.UnixMilli()), msg, plan)
}

// enqueue queues msg for the owning team's notifiers; the key makes it
// once per event however often Tick runs.
func (e *Engine) enqueue(ctx context.Context, key string, msg status.Message, plan status.Plan) (bool, error) {
	var owner string
	for _, c := range plan.Components {
		if c.ID == msg.Component {
			owner = c.Owner
		}
	}
	msg.Team = owner
	msg.ID = key
	var ns []status.Notification
	for _, t := range plan.Teams {
		if t.Name != owner {
			continue
		}
		for _, n := range t.Notifiers {
			ns = append(ns, status.Notification{Key: key + "/" + n, Notifier: n, Message: msg, Created: msg.At, NextAttempt: msg.At})
		}
	}
	if len(ns) == 0 {
		return false, nil
	}
	added, err := e.Store.Enqueue(ctx, ns)
	return added > 0, err
}

// NeedsExplanation lists resolved incidents nobody has written about:
// problems that healed themselves still deserve a closing note.
func NeedsExplanation(ctx context.Context, s status.IncidentStore, since time.Time) ([]status.Incident, error) {
	incs, err := s.Incidents(ctx, status.IncidentFilter{Since: since})
	if err != nil {
		return nil, err
	}
	var out []status.Incident
	for _, inc := range incs {
		if inc.Status == status.Resolved && !inc.Explained() && inc.MergedInto == 0 {
			out = append(out, inc)
		}
	}
	return out, nil
}
