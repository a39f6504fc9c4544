package status

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"time"
)

// Impact is how bad an incident is for customers, in the Statuspage
// vocabulary.
type Impact string

// The impacts, from least to most severe.
const (
	ImpactNone     Impact = "none"
	ImpactMinor    Impact = "minor"
	ImpactMajor    Impact = "major"
	ImpactCritical Impact = "critical"
)

// Rank orders impacts: none 0 to critical 3.
func (i Impact) Rank() int {
	switch i {
	case ImpactMinor:
		return 1
	case ImpactMajor:
		return 2
	case ImpactCritical:
		return 3
	}
	return 0
}

// ImpactOf is the impact a component status implies: a degraded component
// is a minor incident, a partial outage major, a major outage critical.
func ImpactOf(s Status) Impact {
	switch s {
	case Degraded:
		return ImpactMinor
	case PartialOutage:
		return ImpactMajor
	case MajorOutage:
		return ImpactCritical
	}
	return ImpactNone
}

// IncidentStatus is a step of an incident's lifecycle.
type IncidentStatus string

// The lifecycle: investigating → identified → monitoring → resolved.
const (
	Investigating IncidentStatus = "investigating"
	Identified    IncidentStatus = "identified"
	Monitoring    IncidentStatus = "monitoring"
	Resolved      IncidentStatus = "resolved"
)

// Valid reports whether s is a lifecycle step.
func (s IncidentStatus) Valid() bool {
	switch s {
	case Investigating, Identified, Monitoring, Resolved:
		return true
	}
	return false
}

// Incident is a problem customers notice, told on the page with updates.
type Incident struct {
	ID     int64          `json:"id"`
	Title  string         `json:"title"`
	Status IncidentStatus `json:"status"`
	Impact Impact         `json:"impact"`
	// Automatic is set for incidents the server opened by itself.
	Automatic bool `json:"automatic"`
	// Public is set once the incident is posted on the page and
	// subscribers are told; automatic incidents become public only after
	// they have lasted the minimum time, so blips stay internal.
	Public     bool                `json:"public"`
	Components []AffectedComponent `json:"components"`
	Customers  []string            `json:"customers,omitempty"`
	StartedAt  time.Time           `json:"started_at"` // when the problem began (first failure)
	CreatedAt  time.Time           `json:"created_at"`
	UpdatedAt  time.Time           `json:"updated_at"`
	ResolvedAt *time.Time          `json:"resolved_at,omitempty"`
	// AckedAt and AckedBy record who took it on; time to acknowledge is
	// measured from StartedAt.
	AckedAt *time.Time `json:"acked_at,omitempty"`
	AckedBy string     `json:"acked_by,omitempty"`
	// MergedInto is set when people merged this incident into another.
	MergedInto int64            `json:"merged_into,omitempty"`
	Updates    []IncidentUpdate `json:"updates,omitempty"`
}

// AffectedComponent is a component an incident touches and the status it
// had.
type AffectedComponent struct {
	Component string `json:"component"`
	Status    Status `json:"status"`
}

// IncidentUpdate is one step of an incident: a status and a text.
type IncidentUpdate struct {
	ID         int64          `json:"id"`
	IncidentID int64          `json:"incident_id"`
	Status     IncidentStatus `json:"status"`
	// Body is Markdown; the web layer renders it sanitised.
	Body string `json:"body"`
	// Author is a person's name, or "safetynet" for drafted updates.
	Author string `json:"author"`
	// Human is set for updates a person wrote, which count as an
	// explanation (see NeedsExplanation).
	Human bool      `json:"human"`
	At    time.Time `json:"at"`
	// Components records status changes announced with the update.
	Components []ComponentChange `json:"components,omitempty"`
}

// ComponentChange is a component's status before and after an update.
type ComponentChange struct {
	Component string `json:"component"`
	Old       Status `json:"old_status"`
	New       Status `json:"new_status"`
}

// Validate checks an incident before it is stored.
func (i *Incident) Validate() error {
	if strings.TrimSpace(i.Title) == "" {
		return invalidf("incident needs a title")
	}
	if len(i.Title) > 200 {
		return invalidf("incident title is longer than 200 characters")
	}
	if !i.Status.Valid() {
		return invalidf("incident status %q is not one of investigating, identified, monitoring, resolved", i.Status)
	}
	switch i.Impact {
	case ImpactNone, ImpactMinor, ImpactMajor, ImpactCritical:
	default:
		return invalidf("incident impact %q is not one of none, minor, major, critical", i.Impact)
	}
	return nil
}

// Validate checks an update before it is stored.
func (u *IncidentUpdate) Validate() error {
	if !u.Status.Valid() {
		return invalidf("update status %q is not one of investigating, identified, monitoring, resolved", u.Status)
	}
	if strings.TrimSpace(u.Body) == "" {
		return invalidf("an update needs a text")
	}
	if len(u.Body) > 20000 {
		return invalidf("update text is longer than 20,000 characters")
	}
	return nil
}

// Explained reports whether a person has written about the incident: an
// update by a human. Automatic incidents that resolve without one wait in
// the "needs explanation" list.
func (i *Incident) Explained() bool {
	for _, u := range i.Updates {
		if u.Human {
			return true
		}
	}
	return false
}

// Indicator is the page's overall state in the Statuspage vocabulary, with
// its usual description.
type Indicator struct {
	Indicator   Impact `json:"indicator"`
	Description string `json:"description"`
}

// PageIndicator sums up the page: the worst of the public unresolved
// incidents' impacts and of the components' statuses. Maintenance with
// nothing broken shows as "Service Under Maintenance" with indicator none.
func PageIndicator(components map[string]Status, open []Incident) Indicator {
	worst := ImpactNone
	maint := false
	for _, s := range components {
		if s == UnderMaintenance {
			maint = true
		}
		if i := ImpactOf(s); i.Rank() > worst.Rank() {
			worst = i
		}
	}
	for _, inc := range open {
		if inc.Status != Resolved && inc.Public && inc.Impact.Rank() > worst.Rank() {
			worst = inc.Impact
		}
	}
	switch worst {
	case ImpactCritical:
		return Indicator{ImpactCritical, "Major Service Outage"}
	case ImpactMajor:
		return Indicator{ImpactMajor, "Partial System Outage"}
	case ImpactMinor:
		return Indicator{ImpactMinor, "Minor Service Outage"}
	}
	if maint {
		return Indicator{ImpactNone, "Service Under Maintenance"}
	}
	return Indicator{ImpactNone, "All Systems Operational"}
}

// Affected is what is known about one component's problem, for deciding
// whether it is an incident.
type Affected struct {
	Component Component
	Status    Status
	Since     time.Time
	// Customers are the distinct customers known to be affected: tags of
	// failing checks, of firing metric alerts, and customer reports.
	Customers []string
	Cause     string
}

// IncidentPolicy holds the settings of automatic incidents.
type IncidentPolicy struct {
	// MinDuration is how long a problem must last before its incident is
	// posted publicly and subscribers are told (default 3m).
	MinDuration time.Duration
	// QuietPeriod is how long a recovered incident stays in monitoring
	// before it resolves by itself (default 10m); zero with WaitForHuman
	// leaves resolution to a person.
	QuietPeriod  time.Duration
	WaitForHuman bool
	// ExplainAfter raises an escalation when a component has been red this
	// long with no human-written update (default 10m).
	ExplainAfter time.Duration
}

// DefaultIncidentPolicy is the policy when the configuration says nothing.
var DefaultIncidentPolicy = IncidentPolicy{MinDuration: 3 * time.Minute, QuietPeriod: 10 * time.Minute, ExplainAfter: 10 * time.Minute}

// NeedsIncident reports whether a problem affects more than one customer,
// which is when the team's rule says it is an incident: two or more
// distinct customers through failing tagged checks, metric alerts or
// reports, or a component in partial or major outage that serves several
// customers. It returns the customers affected, sorted.
func NeedsIncident(a Affected) (bool, []string) {
	seen := map[string]bool{}
	for _, c := range a.Customers {
		if c != "" {
			seen[c] = true
		}
	}
	if (a.Status == PartialOutage || a.Status == MajorOutage) && len(a.Component.Customers) > 1 {
		for _, c := range a.Component.Customers {
			seen[c] = true
		}
	}
	out := make([]string, 0, len(seen))
	for c := range seen {
		out = append(out, c)
	}
	sort.Strings(out)
	return len(out) > 1, out
}

// DraftFirstUpdate writes the first update of an automatic incident from the
// facts, in the plain words a status page uses.
func DraftFirstUpdate(a Affected) string {
	what := "degraded performance"
	switch a.Status {
	case PartialOutage:
		what = "partial failures"
	case MajorOutage:
		what = "failures"
	}
	s := fmt.Sprintf("We are investigating %s of %s since %s UTC.", what, a.Component.Name, a.Since.UTC().Format("15:04"))
	if a.Cause != "" {
		s += " Our monitoring reports: " + a.Cause + "."
	}
	return s
}

// KnownIssue is a problem a team knows about and has chosen to live with for
// now, with a workaround; public ones are listed on the page.
type KnownIssue struct {
	ID          int64    `json:"id"`
	Title       string   `json:"title"`
	Description string   `json:"description"`
	Workaround  string   `json:"workaround,omitempty"`
	Severity    Impact   `json:"severity"`
	Components  []string `json:"components"`
	Public      bool     `json:"public"`
	FixedIn     string   `json:"fixed_in,omitempty"` // release that fixes it
	// IntroducedIn is the release ("api 1.4.2") that shipped knowing of
	// it, for issues the release gate published.
	IntroducedIn string     `json:"introduced_in,omitempty"`
	CreatedAt    time.Time  `json:"created_at"`
	ResolvedAt   *time.Time `json:"resolved_at,omitempty"`
}

// ActionKind says what a postmortem action item improves. There is
// deliberately no kind for a person: postmortems are blameless, and every
// action fixes a process or the platform.
type ActionKind string

// The action item kinds.
const (
	ActionProcess    ActionKind = "process"
	ActionPlatform   ActionKind = "platform"
	ActionMonitoring ActionKind = "monitoring"
	ActionTests      ActionKind = "tests"
)

// ActionItem is one remediation of a postmortem.
type ActionItem struct {
	ID     int64      `json:"id"`
	Title  string     `json:"title"`
	Kind   ActionKind `json:"kind"`
	Team   string     `json:"team"`
	Due    time.Time  `json:"due"`
	Status string     `json:"status"` // open, in_progress, done
}

// Postmortem is the blameless account of an incident in three parts: an
// apology, what happened (a timeline the system fills from its records),
// and the remediation plan. Internal until published one by one.
type Postmortem struct {
	IncidentID  int64           `json:"incident_id"`
	Apology     string          `json:"apology"`
	Summary     string          `json:"summary"`
	Timeline    []TimelineEntry `json:"timeline"`
	Actions     []ActionItem    `json:"actions"`
	Published   bool            `json:"published"`
	PublishedAt *time.Time      `json:"published_at,omitempty"`
}

// TimelineEntry is one fact of a postmortem timeline.
type TimelineEntry struct {
	At   time.Time `json:"at"`
	Kind string    `json:"kind"` // first_failure, detected, alerted, acknowledged, opened, update, deployed, recovered, resolved
	Text string    `json:"text"`
}

// Timeline orders the facts of an incident into the postmortem's account:
// status changes of its components, alerts, acknowledgement, updates and
// resolution, oldest first, with the times to detect, acknowledge and
// resolve measured from the first failure.
func Timeline(inc Incident, changes []Change, alerts []Alert) (entries []TimelineEntry, detect, ack, resolve time.Duration) {
	add := func(at time.Time, kind, text string) {
		entries = append(entries, TimelineEntry{At: at, Kind: kind, Text: text})
	}
	start := inc.StartedAt
	var firstAlert time.Time
	for _, c := range changes {
		if c.To != Operational && c.To != UnderMaintenance && (start.IsZero() || c.At.Before(start)) {
			start = c.At
		}
		add(c.At, "status", fmt.Sprintf("%s went from %s to %s: %s", c.Component, statusWord(c.From), statusWord(c.To), c.Cause))
	}
	for _, a := range alerts {
		if firstAlert.IsZero() || a.Started.Before(firstAlert) {
			firstAlert = a.Started
		}
		add(a.Started, "alerted", "alert: "+a.Summary)
		if a.AckedAt != nil {
			add(*a.AckedAt, "acknowledged", "alert acknowledged by "+a.AckedBy)
		}
	}
	add(inc.CreatedAt, "opened", "incident opened: "+inc.Title)
	if inc.AckedAt != nil {
		add(*inc.AckedAt, "acknowledged", "incident acknowledged by "+inc.AckedBy)
		ack = inc.AckedAt.Sub(start)
	}
	for _, u := range inc.Updates {
		add(u.At, "update", string(u.Status)+": "+firstLine(u.Body))
	}
	if inc.ResolvedAt != nil {
		add(*inc.ResolvedAt, "resolved", "incident resolved")
		resolve = inc.ResolvedAt.Sub(start)
	}
	if !firstAlert.IsZero() {
		detect = firstAlert.Sub(start)
	}
	sort.SliceStable(entries, func(i, j int) bool { return entries[i].At.Before(entries[j].At) })
	return entries, detect, ack, resolve
}

func statusWord(s Status) string {
	if s == "" {
		return "unknown"
	}
	return strings.ReplaceAll(string(s), "_", " ")
}

func firstLine(s string) string {
	s = strings.TrimSpace(s)
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i]
	}
	return s
}

// CustomerReport is a problem a customer told support about
// (POST /api/v1/reports); reports from two customers about one component
// make an incident.
type CustomerReport struct {
	ID        int64     `json:"id"`
	Customer  string    `json:"customer"`
	Component string    `json:"component"`
	Text      string    `json:"text"`
	At        time.Time `json:"at"`
}

// Validate checks a report before it is stored.
func (r *CustomerReport) Validate() error {
	if strings.TrimSpace(r.Customer) == "" || strings.TrimSpace(r.Component) == "" {
		return invalidf("a report needs a customer and a component")
	}
	if strings.TrimSpace(r.Text) == "" || len(r.Text) > 5000 {
		return invalidf("a report needs a text of at most 5,000 characters")
	}
	return nil
}

// AuditEntry records one change to an incident (or another edited object):
// who, when, and the state before and after, as JSON.
type AuditEntry struct {
	ID       int64     `json:"id"`
	Entity   string    `json:"entity"` // "incident"
	EntityID int64     `json:"entity_id"`
	Action   string    `json:"action"` // create, update, edit, ack, merge
	Actor    string    `json:"actor"`
	At       time.Time `json:"at"`
	Before   string    `json:"before,omitempty"`
	After    string    `json:"after,omitempty"`
}

// IncidentSplit moves part of an incident into a new one: people split an
// incident (often an automatic one) that turned out to be two problems.
// Components listed move to the new incident, and so do customers; with
// no components listed the new incident covers the same components, for
// customers whose problem is a different one.
type IncidentSplit struct {
	Title      string   `json:"title"`
	Components []string `json:"components"`
	Customers  []string `json:"customers"`
}

// Apply splits orig as s says at time at, returning what orig keeps and
// the new incident (without an ID or updates). The new incident starts
// when orig did, has its status, impact and visibility, and is automatic
// when orig was, so the engine goes on handling both.
func (s *IncidentSplit) Apply(orig Incident, at time.Time) (kept, split Incident, err error) {
	title := strings.TrimSpace(s.Title)
	if title == "" {
		return Incident{}, Incident{}, invalidf("the new incident needs a title")
	}
	if len(s.Components) == 0 && len(s.Customers) == 0 {
		return Incident{}, Incident{}, invalidf("name the components or customers that move to the new incident")
	}
	if orig.MergedInto != 0 {
		return Incident{}, Incident{}, invalidf("incident %d is merged into %d; split that one", orig.ID, orig.MergedInto)
	}
	if orig.Status == Resolved {
		return Incident{}, Incident{}, invalidf("incident %d is resolved; reopen it before splitting", orig.ID)
	}
	kept = orig
	split = Incident{Title: title, Status: orig.Status, Impact: orig.Impact, Automatic: orig.Automatic, Public: orig.Public,
		StartedAt: orig.StartedAt, CreatedAt: at, UpdatedAt: at, Components: []AffectedComponent{}, Customers: []string{}}
	if len(s.Components) == 0 {
		split.Components = append(split.Components, orig.Components...)
	} else {
		moving := map[string]bool{}
		for _, c := range s.Components {
			moving[c] = true
		}
		kept.Components = nil
		for _, ac := range orig.Components {
			if moving[ac.Component] {
				split.Components = append(split.Components, ac)
				delete(moving, ac.Component)
			} else {
				kept.Components = append(kept.Components, ac)
			}
		}
		for _, c := range s.Components {
			if moving[c] {
				return Incident{}, Incident{}, invalidf("component %q is not part of incident %d", c, orig.ID)
			}
		}
		if len(kept.Components) == 0 {
			return Incident{}, Incident{}, invalidf("a split must leave incident %d at least one component; edit it instead", orig.ID)
		}
	}
	if len(s.Customers) > 0 {
		moving := map[string]bool{}
		for _, c := range s.Customers {
			moving[c] = true
		}
		kept.Customers = nil
		for _, c := range orig.Customers {
			if moving[c] {
				split.Customers = append(split.Customers, c)
				delete(moving, c)
			} else {
				kept.Customers = append(kept.Customers, c)
			}
		}
		for _, c := range s.Customers {
			if moving[c] {
				return Incident{}, Incident{}, invalidf("customer %q is not part of incident %d", c, orig.ID)
			}
		}
	}
	kept.UpdatedAt = at
	if err := split.Validate(); err != nil {
		return Incident{}, Incident{}, err
	}
	return kept, split, nil
}

// IncidentSplitter is a store that can split an incident in one
// transaction, recording "split" in the audit trail of both.
type IncidentSplitter interface {
	SplitIncident(ctx context.Context, id int64, s IncidentSplit, actor string) (kept, split Incident, err error)
}
