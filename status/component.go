package status

import (
	"fmt"
	"sort"
	"strings"
	"time"
)

// Status is a component's state in the Statuspage vocabulary, so that the
// public API and existing clients need no translation.
type Status string

// The component statuses, from best to worst (maintenance aside).
const (
	Operational      Status = "operational"
	Degraded         Status = "degraded_performance"
	PartialOutage    Status = "partial_outage"
	MajorOutage      Status = "major_outage"
	UnderMaintenance Status = "under_maintenance"
)

// Rank orders statuses by how bad they are for a visitor: operational 0,
// maintenance 1, degraded 2, partial 3, major 4. Unknown values rank 0.
func (s Status) Rank() int {
	switch s {
	case UnderMaintenance:
		return 1
	case Degraded:
		return 2
	case PartialOutage:
		return 3
	case MajorOutage:
		return 4
	}
	return 0
}

// Valid reports whether s is one of the five statuses.
func (s Status) Valid() bool {
	switch s {
	case Operational, Degraded, PartialOutage, MajorOutage, UnderMaintenance:
		return true
	}
	return false
}

// Worst returns the worse of two statuses.
func Worst(a, b Status) Status {
	if b.Rank() > a.Rank() {
		return b
	}
	return a
}

// Component is something customers use and the page shows: a service, an API,
// a region of a product.
type Component struct {
	ID          string   `json:"id"` // stable slug, from config
	Name        string   `json:"name"`
	Group       string   `json:"group,omitempty"`
	Description string   `json:"description,omitempty"`
	Owner       string   `json:"owner,omitempty"`     // owning team, for routing alerts
	Customers   []string `json:"customers,omitempty"` // tenants it serves
	Public      bool     `json:"public"`              // shown on the public page
	Position    int      `json:"position"`
}

// Validate checks a component's fields.
func (c *Component) Validate() error {
	if c.ID == "" || !isSlug(c.ID) {
		return invalidf("component id %q must be lower-case letters, digits, '-' and '_'", c.ID)
	}
	if strings.TrimSpace(c.Name) == "" {
		return invalidf("component %s has no name", c.ID)
	}
	return nil
}

// Inputs are everything that decides a component's status at one moment.
type Inputs struct {
	// Checks are the current states of the component's checks, one per
	// check and location.
	Checks []CheckState
	// Alerts are the metric and outlier alerts open on the component.
	Alerts []Alert
	// Maintenance is set while a maintenance window covers the component.
	Maintenance bool
	// Override is a status set by a person, which wins over everything.
	Override Status
	// Alarm is the worst status driven by an external alarm (CloudWatch),
	// empty when none.
	Alarm Status
	// Quorums are the checks' Check.Quorum by check ID; a check not in it
	// needs a majority of its reporting locations.
	Quorums map[string]int
}

// Decision is a computed status and the reason for it, in words a person
// reads on the page and in the timeline.
type Decision struct {
	Status Status
	Cause  string
}

// Decide maps a component's inputs to its status. The precedence:
//
//  1. A manual override wins: a person decided.
//  2. Otherwise the worst of the signals below.
//  3. Checks: every check down is a major outage; some down is a partial
//     outage; any degraded (slow) is degraded performance. Checks of several
//     locations count once per check: a check is down when a quorum of its
//     reporting locations say so (Inputs.Quorums; by default more than
//     half), degraded when any location sees it slow. Fewer locations down
//     than the quorum count for nothing: that is one network path failing,
//     which the dashboard shows per location.
//  4. Open alerts: a metric or outlier alert degrades the component, or sets
//     the status the alert carries.
//  5. An external alarm sets its status.
//  6. Maintenance: with no other signal the component is under maintenance;
//     a failing check during maintenance still shows, since maintenance that
//     breaks things is still broken for customers.
//
// Checks with no result yet count as neither up nor down.
func Decide(in Inputs) Decision {
	if in.Override != "" {
		return Decision{in.Override, "set by hand"}
	}
	d := Decision{Status: Operational, Cause: "all checks passing"}
	worse := func(s Status, cause string) {
		if s.Rank() > d.Status.Rank() {
			d = Decision{s, cause}
		}
	}

	type agg struct{ down, degraded, total int }
	byCheck := map[string]*agg{}
	var order []string
	for _, st := range in.Checks {
		a := byCheck[st.CheckID]
		if a == nil {
			a = &agg{}
			byCheck[st.CheckID] = a
			order = append(order, st.CheckID)
		}
		switch st.State {
		case StateDown:
			a.down++
			a.total++
		case StateDegraded:
			a.degraded++
			a.total++
		case StateUp:
			a.total++
		}
	}
	sort.Strings(order)
	var down, degraded []string
	known := 0
	for _, id := range order {
		a := byCheck[id]
		if a.total == 0 {
			continue
		}
		known++
		switch {
		case quorumDown(a.down, a.total, in.Quorums[id]):
			down = append(down, id)
		case a.degraded > 0:
			degraded = append(degraded, id)
		}
	}
	switch {
	case len(down) > 0 && len(down) == known:
		worse(MajorOutage, fmt.Sprintf("all checks failing (%s)", strings.Join(down, ", ")))
	case len(down) > 0:
		worse(PartialOutage, fmt.Sprintf("%d of %d checks failing (%s)", len(down), known, strings.Join(down, ", ")))
	}
	if len(degraded) > 0 {
		worse(Degraded, fmt.Sprintf("slow or partly failing: %s", strings.Join(degraded, ", ")))
	}
	for _, a := range in.Alerts {
		s := a.Status
		if s == "" {
			s = Degraded
		}
		cause := a.Summary
		if cause == "" {
			cause = string(a.Kind) + " alert on " + a.Subject
		}
		worse(s, cause)
	}
	if in.Alarm != "" {
		worse(in.Alarm, "external alarm")
	}
	if in.Maintenance && d.Status == Operational {
		d = Decision{UnderMaintenance, "scheduled maintenance"}
	}
	return d
}

// Change is a component's move from one status to another: an event kept
// forever, since postmortem timelines and uptime bars are built from them.
type Change struct {
	ID        int64     `json:"id"`
	Component string    `json:"component"`
	From      Status    `json:"from"`
	To        Status    `json:"to"`
	At        time.Time `json:"at"`
	Cause     string    `json:"cause"`
}

// Slug makes a name usable as an ID: lower-case letters and digits with
// single dashes between words (page IDs, component group IDs). The
// Statuspage API and subscriber payloads must agree on these, so there is
// one function.
func Slug(s string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(s) {
		switch {
		case r >= 'a' && r <= 'z' || r >= '0' && r <= '9':
			b.WriteRune(r)
			dash = false
		case !dash && b.Len() > 0:
			b.WriteByte('-')
			dash = true
		}
	}
	return strings.TrimSuffix(b.String(), "-")
}

// GroupID is the ID a component group has in the public API.
func GroupID(group string) string { return "group-" + Slug(group) }
