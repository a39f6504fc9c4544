package incident

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/safetynet-dev/safetynet"
	"github.com/safetynet-dev/safetynet/status"
)

// PostmortemSource is what drafting a postmortem reads: the incident, the
// status changes of its components and the alerts raised meanwhile. When
// it also lists components (status.ComponentStore), the draft uses their
// names.
type PostmortemSource interface {
	Incident(ctx context.Context, id int64) (status.Incident, error)
	Changes(ctx context.Context, f status.ChangeFilter) ([]status.Change, error)
	Alerts(ctx context.Context, f status.AlertFilter) ([]status.Alert, error)
}

// deploymentSource is the part of a store that records deployments.
type deploymentSource interface {
	Deployments(context.Context, status.DeploymentFilter) ([]status.Deployment, error)
}

// DraftPostmortem builds the blameless postmortem draft of a resolved
// incident from the system's own records: an apology written from the
// impact and duration, what happened (a timeline of the components' status
// changes, the alerts, acknowledgements and updates, with the times to
// detect, acknowledge and resolve, and the affected components and number
// of customers) and an empty remediation plan for people to fill. The
// draft is internal; it is not stored (see Engine.DraftPostmortems).
func DraftPostmortem(ctx context.Context, s PostmortemSource, incidentID int64, now time.Time) (status.PostmortemRecord, error) {
	inc, err := s.Incident(ctx, incidentID)
	if err != nil {
		return status.PostmortemRecord{}, fmt.Errorf("incident: draft postmortem: %w", err)
	}
	if inc.Status != status.Resolved || inc.ResolvedAt == nil {
		return status.PostmortemRecord{}, fmt.Errorf("incident: draft postmortem: %w",
			safetynet.Errorf(safetynet.EINVALID, "incident %d is not resolved yet: postmortems are written after resolution", incidentID))
	}
	start, end := inc.StartedAt, *inc.ResolvedAt
	if start.IsZero() || start.After(end) {
		start = inc.CreatedAt
	}
	var changes []status.Change
	var alerts []status.Alert
	seen := map[int64]bool{}
	for _, ac := range inc.Components {
		cs, err := s.Changes(ctx, status.ChangeFilter{Component: ac.Component, Since: start, Until: end.Add(time.Microsecond)})
		if err != nil {
			return status.PostmortemRecord{}, fmt.Errorf("incident: draft postmortem %d: changes of %s: %w", incidentID, ac.Component, err)
		}
		changes = append(changes, cs...)
		as, err := s.Alerts(ctx, status.AlertFilter{Component: ac.Component, Since: start})
		if err != nil {
			return status.PostmortemRecord{}, fmt.Errorf("incident: draft postmortem %d: alerts of %s: %w", incidentID, ac.Component, err)
		}
		for _, a := range as {
			// Alerts raised in the window; silenced ones were expected
			// (maintenance) and are not part of the story.
			if !seen[a.ID] && !a.Silenced && !a.Started.Before(start) && !a.Started.After(end) {
				seen[a.ID] = true
				alerts = append(alerts, a)
			}
		}
	}
	sort.SliceStable(alerts, func(i, j int) bool { return alerts[i].Started.Before(alerts[j].Started) })

	entries, detect, ack, resolve := status.Timeline(inc, changes, alerts)
	for i := range entries {
		entries[i].Text = strings.TrimSuffix(entries[i].Text, ": ") // a change with no recorded cause
	}
	// Deployments in the window (and shortly before the first failure),
	// when the store records them: "deployed 14:01, errors from 14:03" is
	// often the whole story.
	if ds, ok := s.(deploymentSource); ok {
		deps, err := ds.Deployments(ctx, status.DeploymentFilter{Limit: 500})
		if err != nil {
			return status.PostmortemRecord{}, fmt.Errorf("incident: draft postmortem %d: deployments: %w", incidentID, err)
		}
		var comps []string
		for _, ac := range inc.Components {
			comps = append(comps, ac.Component)
		}
		entries = append(entries, status.DeploymentMarkers(deps, comps, start.Add(-status.DeploymentLookback), end)...)
		sort.SliceStable(entries, func(i, j int) bool { return entries[i].At.Before(entries[j].At) })
	}
	// Time to acknowledge counts from whichever came first: someone taking
	// on the incident or one of its alerts.
	first := firstFailure(inc, changes)
	for _, a := range alerts {
		if a.AckedAt != nil && (ack == 0 || a.AckedAt.Sub(first) < ack) {
			ack = a.AckedAt.Sub(first)
		}
	}
	times := status.Durations{Detect: max(detect, 0), Ack: max(ack, 0), Resolve: max(resolve, 0)}

	names := componentNames(ctx, s)
	pm := status.PostmortemRecord{
		Postmortem: status.Postmortem{
			IncidentID: inc.ID,
			Apology:    draftApology(inc, names, first, end),
			Summary:    draftSummary(inc, names, alerts, first, end, times),
			Timeline:   entries,
		},
		Times:     times,
		CreatedAt: now.UTC(),
	}
	if pm.Timeline == nil {
		pm.Timeline = []status.TimelineEntry{}
	}
	return pm, nil
}

// firstFailure is when the problem began: the incident's start, or an
// earlier failing status change in the window (as status.Timeline counts).
func firstFailure(inc status.Incident, changes []status.Change) time.Time {
	start := inc.StartedAt
	for _, c := range changes {
		if c.To != status.Operational && c.To != status.UnderMaintenance && (start.IsZero() || c.At.Before(start)) {
			start = c.At
		}
	}
	return start
}

// componentNames maps component IDs to their names when the source knows
// them; drafting goes on with IDs otherwise.
func componentNames(ctx context.Context, s PostmortemSource) map[string]string {
	names := map[string]string{}
	cs, ok := s.(interface {
		Components(ctx context.Context) ([]status.Component, error)
	})
	if !ok {
		return names
	}
	list, err := cs.Components(ctx)
	if err != nil {
		return names
	}
	for _, c := range list {
		if c.Name != "" {
			names[c.ID] = c.Name
		}
	}
	return names
}

func affectedNames(inc status.Incident, names map[string]string) []string {
	var out []string
	for _, ac := range inc.Components {
		n := names[ac.Component]
		if n == "" {
			n = ac.Component
		}
		out = append(out, n)
	}
	if len(out) == 0 {
		out = append(out, "our service")
	}
	return out
}

// draftApology says sorry in plain words: what did not work, for whom and
// for how long.
func draftApology(inc status.Incident, names map[string]string, start, end time.Time) string {
	comps := affectedNames(inc, names)
	what, verb := joinAnd(comps), "was"
	if len(comps) > 1 {
		verb = "were"
	}
	state := "did not work as it should"
	switch inc.Impact {
	case status.ImpactCritical:
		state = verb + " unavailable"
	case status.ImpactMajor:
		state = verb + " partly unavailable"
	case status.ImpactMinor:
		state = verb + " slower or less reliable than usual"
	}
	if len(comps) > 1 && inc.Impact == status.ImpactNone {
		state = "did not work as they should"
	}
	who := "some of our customers"
	if n := len(inc.Customers); n == 1 {
		who = "one of our customers"
	} else if n > 1 {
		who = strconv.Itoa(n) + " of our customers"
	}
	return fmt.Sprintf("We are sorry. For %s, %s, %s %s for %s. You rely on us, and we let you down. "+
		"This postmortem explains what happened and what we are changing so that it does not happen again.",
		status.SpokenDuration(end.Sub(start)), span(start, end), what, state, who)
}

// draftSummary is the "what happened" prose above the timeline.
func draftSummary(inc status.Incident, names map[string]string, alerts []status.Alert, start, end time.Time, t status.Durations) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s, %s.", capitalize(span(start, end)), strings.TrimSuffix(lowerFirst(inc.Title), "."))
	var parts []string
	for _, ac := range inc.Components {
		n := names[ac.Component]
		if n == "" {
			n = ac.Component
		}
		parts = append(parts, fmt.Sprintf("%s (%s)", n, strings.ReplaceAll(string(ac.Status), "_", " ")))
	}
	if len(parts) > 0 {
		fmt.Fprintf(&b, " Affected components: %s.", strings.Join(parts, ", "))
	}
	switch n := len(inc.Customers); n {
	case 0:
	case 1:
		b.WriteString(" It affected one customer.")
	default:
		fmt.Fprintf(&b, " It affected %d customers.", n)
	}
	if len(alerts) > 0 {
		fmt.Fprintf(&b, " We detected it after %s", status.SpokenDuration(t.Detect))
	} else {
		b.WriteString(" No alert fired for it")
	}
	if inc.AckedAt != nil || t.Ack > 0 {
		fmt.Fprintf(&b, ", acknowledged it after %s", status.SpokenDuration(t.Ack))
	} else {
		b.WriteString(", nobody acknowledged it")
	}
	fmt.Fprintf(&b, " and resolved it after %s.", status.SpokenDuration(t.Resolve))
	return b.String()
}

// span says when, in UTC: "on 26 November 2026 from 21:02 to 21:50 UTC".
func span(start, end time.Time) string {
	start, end = start.UTC(), end.UTC()
	if start.Format("2006-01-02") == end.Format("2006-01-02") {
		return fmt.Sprintf("on %s from %s to %s UTC", start.Format("2 January 2006"), start.Format("15:04"), end.Format("15:04"))
	}
	return fmt.Sprintf("from %s to %s UTC", start.Format("2 January 2006 15:04"), end.Format("2 January 2006 15:04"))
}

func joinAnd(s []string) string {
	if len(s) <= 1 {
		return strings.Join(s, "")
	}
	return strings.Join(s[:len(s)-1], ", ") + " and " + s[len(s)-1]
}

func capitalize(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

func lowerFirst(s string) string {
	if s == "" {
		return s
	}
	return strings.ToLower(s[:1]) + s[1:]
}

// PostmortemWindow is how far back the engine looks for resolved incidents
// without a postmortem.
const PostmortemWindow = 7 * 24 * time.Hour

// DraftPostmortems stores an internal postmortem draft for every incident
// resolved within PostmortemWindow that has none, whether the engine
// resolved it or a person did. A postmortem people have already written is
// never replaced. It does nothing when the store keeps no postmortems.
// Tick calls it after applying the rules.
func (e *Engine) DraftPostmortems(ctx context.Context) error {
	ps, ok := e.Store.(status.PostmortemStore)
	if !ok {
		return nil
	}
	now := e.now()
	incs, err := e.Store.Incidents(ctx, status.IncidentFilter{Since: now.Add(-PostmortemWindow)})
	if err != nil {
		return fmt.Errorf("incident: postmortems: %w", err)
	}
	for _, inc := range incs {
		if inc.Status != status.Resolved || inc.ResolvedAt == nil || inc.MergedInto != 0 || inc.ResolvedAt.Before(now.Add(-PostmortemWindow)) {
			continue
		}
		_, err := ps.Postmortem(ctx, inc.ID)
		if err == nil {
			continue
		}
		if safetynet.ErrorCode(err) != safetynet.ENOTFOUND {
			return fmt.Errorf("incident: postmortem of %d: %w", inc.ID, err)
		}
		pm, err := DraftPostmortem(ctx, e.Store, inc.ID, now)
		if err != nil {
			return err
		}
		if _, err := ps.CreatePostmortem(ctx, pm, Author); err != nil {
			if safetynet.ErrorCode(err) == safetynet.ECONFLICT {
				continue // another server drafted it first
			}
			return fmt.Errorf("incident: store postmortem of %d: %w", inc.ID, err)
		}
		e.log().Info("postmortem drafted", "incident", inc.ID)
	}
	return nil
}

// ExportItem is an action item as exported and sent to backlogs: flat,
// with the incident it comes from and its due date as a calendar date.
type ExportItem struct {
	IncidentID int64             `json:"incident_id"`
	ID         int64             `json:"id"`
	Title      string            `json:"title"`
	Kind       status.ActionKind `json:"kind"`
	Team       string            `json:"team"`
	Due        string            `json:"due"` // YYYY-MM-DD, UTC
	Status     string            `json:"status"`
}

// ExportItems converts action items to their exported form.
func ExportItems(items []status.Action) []ExportItem {
	out := make([]ExportItem, 0, len(items))
	for _, a := range items {
		out = append(out, ExportItem{IncidentID: a.IncidentID, ID: a.ID, Title: a.Title, Kind: a.Kind, Team: a.Team, Due: a.Due.UTC().Format(time.DateOnly), Status: a.Status})
	}
	return out
}

// WriteActionItemsJSON writes action items as a JSON array of ExportItem.
func WriteActionItemsJSON(w io.Writer, items []status.Action) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	if err := enc.Encode(ExportItems(items)); err != nil {
		return fmt.Errorf("incident: export action items: %w", err)
	}
	return nil
}

// csvHeader names the CSV columns, the JSON field names of ExportItem.
var csvHeader = []string{"incident_id", "id", "title", "kind", "team", "due", "status"}

// WriteActionItemsCSV writes action items as CSV with a header row. A cell
// that a spreadsheet would run as a formula (starting with =, +, -, @, tab
// or carriage return) is prefixed with a quote, so an exported title cannot
// run code in whoever opens the file.
func WriteActionItemsCSV(w io.Writer, items []status.Action) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(csvHeader); err != nil {
		return fmt.Errorf("incident: export action items: %w", err)
	}
	for _, it := range ExportItems(items) {
		row := []string{strconv.FormatInt(it.IncidentID, 10), strconv.FormatInt(it.ID, 10), csvSafe(it.Title), csvSafe(string(it.Kind)), csvSafe(it.Team), it.Due, csvSafe(it.Status)}
		if err := cw.Write(row); err != nil {
			return fmt.Errorf("incident: export action items: %w", err)
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return fmt.Errorf("incident: export action items: %w", err)
	}
	return nil
}

func csvSafe(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}

// ActionItemsEvent is the webhook body that carries a postmortem's action
// items to a team's backlog (an issue tracker's incoming webhook or a small
// bridge): one event per postmortem, its items in full each time, so the
// receiver can create or update them by ID.
type ActionItemsEvent struct {
	Event      string           `json:"event"` // "postmortem.action_items"
	IncidentID int64            `json:"incident_id"`
	Incident   string           `json:"incident"` // the incident's title
	Impact     status.Impact    `json:"impact"`
	StartedAt  time.Time        `json:"started_at"`
	ResolvedAt *time.Time       `json:"resolved_at,omitempty"`
	Published  bool             `json:"published"`
	URL        string           `json:"url,omitempty"` // the public postmortem, once published
	Times      status.Durations `json:"times"`
	Items      []ExportItem     `json:"action_items"`
}

// NewActionItemsEvent builds the webhook body of a postmortem's action
// items. baseURL is the public page's address; the postmortem's URL is
// given only once it is published, so a link never leads to a 404.
func NewActionItemsEvent(inc status.Incident, pm status.PostmortemRecord, baseURL string) ActionItemsEvent {
	items := make([]status.Action, len(pm.Actions))
	for i, a := range pm.Actions {
		items[i] = status.Action{IncidentID: inc.ID, ActionItem: a}
	}
	ev := ActionItemsEvent{Event: "postmortem.action_items", IncidentID: inc.ID, Incident: inc.Title, Impact: inc.Impact,
		StartedAt: inc.StartedAt.UTC(), ResolvedAt: inc.ResolvedAt, Published: pm.Published, Times: pm.Times, Items: ExportItems(items)}
	if pm.Published && baseURL != "" {
		ev.URL = strings.TrimSuffix(baseURL, "/") + "/incidents/" + strconv.FormatInt(inc.ID, 10) + "/postmortem"
	}
	return ev
}
