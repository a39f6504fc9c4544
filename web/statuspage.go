package web

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/safetynet-dev/safetynet/status"
)

// PublicSource supplies what the public API shows: public components with
// their statuses, public incidents and maintenance windows.
type PublicSource interface {
	Public(ctx context.Context) (PublicState, error)
}

// PublicState is the public view of the page at one moment.
type PublicState struct {
	Page       PageInfo
	Components []PublicComponent
	// Incidents are the public incidents, newest first: every unresolved
	// one and the most recent resolved ones.
	Incidents    []status.Incident
	Maintenances []status.Maintenance
	KnownIssues  []status.KnownIssue
}

// PageInfo describes the page itself.
type PageInfo struct {
	ID        string
	Name      string
	URL       string
	TimeZone  string // "Etc/UTC" unless configured
	UpdatedAt time.Time
}

// PublicComponent is a public component with its current status.
type PublicComponent struct {
	status.Component
	Status    status.Status
	CreatedAt time.Time
	UpdatedAt time.Time
	// Days are the cells of the 90-day uptime bar, oldest first, and
	// Uptime the share of that time the component was up.
	Days   []status.UptimeDay
	Uptime float64
	// Latency is the chart of the component's checks, oldest first.
	Latency []LatencyPoint
	// Deploys are the times of production deployments of the component,
	// marked on the latency chart. Only times: who deployed stays internal.
	Deploys []time.Time
	// Locations counts the places probing the component when there are
	// several; nil otherwise.
	Locations *status.LocationCount
}

// The Statuspage v2 shapes. Field names and vocabularies follow Atlassian
// Statuspage's public API so that existing widgets, bots and clients work
// unchanged; differences are documented in doc.go.
type (
	spPage struct {
		ID        string    `json:"id"`
		Name      string    `json:"name"`
		URL       string    `json:"url"`
		TimeZone  string    `json:"time_zone"`
		UpdatedAt time.Time `json:"updated_at"`
	}
	spStatus struct {
		Indicator   string `json:"indicator"`
		Description string `json:"description"`
	}
	spComponent struct {
		ID                 string    `json:"id"`
		Name               string    `json:"name"`
		Status             string    `json:"status"`
		CreatedAt          time.Time `json:"created_at"`
		UpdatedAt          time.Time `json:"updated_at"`
		Position           int       `json:"position"`
		Description        *string   `json:"description"`
		Showcase           bool      `json:"showcase"`
		StartDate          *string   `json:"start_date"`
		GroupID            *string   `json:"group_id"`
		PageID             string    `json:"page_id"`
		Group              bool      `json:"group"`
		OnlyShowIfDegraded bool      `json:"only_show_if_degraded"`
		Components         []string  `json:"components,omitempty"`
	}
	spAffected struct {
		Code      string `json:"code"`
		Name      string `json:"name"`
		OldStatus string `json:"old_status"`
		NewStatus string `json:"new_status"`
	}
	spUpdate struct {
		ID                   string        `json:"id"`
		Status               string        `json:"status"`
		Body                 string        `json:"body"`
		IncidentID           string        `json:"incident_id"`
		CreatedAt            time.Time     `json:"created_at"`
		UpdatedAt            time.Time     `json:"updated_at"`
		DisplayAt            time.Time     `json:"display_at"`
		AffectedComponents   *[]spAffected `json:"affected_components"`
		DeliverNotifications bool          `json:"deliver_notifications"`
		CustomTweet          *string       `json:"custom_tweet"`
		TweetID              *string       `json:"tweet_id"`
	}
	spIncident struct {
		ID              string        `json:"id"`
		Name            string        `json:"name"`
		Status          string        `json:"status"`
		CreatedAt       time.Time     `json:"created_at"`
		UpdatedAt       time.Time     `json:"updated_at"`
		MonitoringAt    *time.Time    `json:"monitoring_at"`
		ResolvedAt      *time.Time    `json:"resolved_at"`
		Impact          string        `json:"impact"`
		Shortlink       string        `json:"shortlink"`
		StartedAt       time.Time     `json:"started_at"`
		PageID          string        `json:"page_id"`
		IncidentUpdates []spUpdate    `json:"incident_updates"`
		Components      []spComponent `json:"components"`
		ScheduledFor    *time.Time    `json:"scheduled_for,omitempty"`
		ScheduledUntil  *time.Time    `json:"scheduled_until,omitempty"`
	}
)

// statuspage builds the JSON bodies of the v2 API from one PublicState.
type statuspage struct {
	st    PublicState
	now   time.Time
	comps map[string]spComponent
	page  spPage
}

func newStatuspage(st PublicState, now time.Time) *statuspage {
	sp := &statuspage{st: st, now: now, comps: map[string]spComponent{}}
	sp.page = spPage{ID: st.Page.ID, Name: st.Page.Name, URL: st.Page.URL, TimeZone: st.Page.TimeZone, UpdatedAt: st.Page.UpdatedAt.UTC()}
	if sp.page.TimeZone == "" {
		sp.page.TimeZone = "Etc/UTC"
	}
	return sp
}

// components returns the components in page order, with a group component
// for each named group before its members, as Statuspage lists them.
func (sp *statuspage) components() []spComponent {
	var out []spComponent
	groups := map[string]int{}
	pos := 0
	for _, c := range sp.st.Components {
		var groupID *string
		if c.Group != "" {
			gid := status.GroupID(c.Group)
			groupID = &gid
			i, ok := groups[c.Group]
			if !ok {
				pos++
				out = append(out, spComponent{ID: gid, Name: c.Group, Status: string(status.Operational), CreatedAt: c.CreatedAt.UTC(), UpdatedAt: c.UpdatedAt.UTC(),
					Position: pos, Showcase: false, PageID: sp.page.ID, Group: true, Components: []string{}})
				i = len(out) - 1
				groups[c.Group] = i
			}
			g := &out[i]
			g.Components = append(g.Components, c.ID)
			if status.Status(g.Status).Rank() < c.Status.Rank() {
				g.Status = string(c.Status)
			}
			if c.UpdatedAt.After(g.UpdatedAt) {
				g.UpdatedAt = c.UpdatedAt.UTC()
			}
		}
		pos++
		var desc *string
		if c.Description != "" {
			d := c.Description
			desc = &d
		}
		st := c.Status
		if st == "" {
			st = status.Operational
		}
		sc := spComponent{ID: c.ID, Name: c.Name, Status: string(st), CreatedAt: c.CreatedAt.UTC(), UpdatedAt: c.UpdatedAt.UTC(),
			Position: pos, Description: desc, Showcase: true, GroupID: groupID, PageID: sp.page.ID}
		sp.comps[c.ID] = sc
		out = append(out, sc)
	}
	return out
}

func (sp *statuspage) statusObj() spStatus {
	statuses := map[string]status.Status{}
	for _, c := range sp.st.Components {
		statuses[c.ID] = c.Status
	}
	ind := status.PageIndicator(statuses, sp.st.Incidents)
	return spStatus{Indicator: string(ind.Indicator), Description: ind.Description}
}

func (sp *statuspage) incident(inc status.Incident) spIncident {
	id := strconv.FormatInt(inc.ID, 10)
	out := spIncident{ID: id, Name: inc.Title, Status: string(inc.Status), CreatedAt: inc.CreatedAt.UTC(), UpdatedAt: inc.UpdatedAt.UTC(),
		ResolvedAt: utcPtr(inc.ResolvedAt), Impact: string(inc.Impact), Shortlink: strings.TrimSuffix(sp.page.URL, "/") + "/incidents/" + id,
		StartedAt: inc.StartedAt.UTC(), PageID: sp.page.ID, IncidentUpdates: []spUpdate{}, Components: []spComponent{}}
	for _, a := range inc.Components {
		if c, ok := sp.comps[a.Component]; ok {
			out.Components = append(out.Components, c)
		}
	}
	// Statuspage lists updates newest first.
	for i := len(inc.Updates) - 1; i >= 0; i-- {
		u := inc.Updates[i]
		if u.Status == status.Monitoring && (out.MonitoringAt == nil || u.At.Before(*out.MonitoringAt)) {
			t := u.At.UTC()
			out.MonitoringAt = &t
		}
		su := spUpdate{ID: strconv.FormatInt(u.ID, 10), Status: string(u.Status), Body: u.Body, IncidentID: id,
			CreatedAt: u.At.UTC(), UpdatedAt: u.At.UTC(), DisplayAt: u.At.UTC(), DeliverNotifications: inc.Public}
		if len(u.Components) > 0 {
			aff := []spAffected{}
			for _, c := range u.Components {
				name := c.Component
				if pc, ok := sp.comps[c.Component]; ok {
					name = pc.Name
				}
				aff = append(aff, spAffected{Code: c.Component, Name: name, OldStatus: string(c.Old), NewStatus: string(c.New)})
			}
			su.AffectedComponents = &aff
		}
		out.IncidentUpdates = append(out.IncidentUpdates, su)
	}
	return out
}

// maintenanceStatus is the Statuspage state of a window at now.
func maintenanceStatus(m status.Maintenance, now time.Time) string {
	switch {
	case now.Before(m.Start):
		return "scheduled"
	case now.Before(m.End):
		return "in_progress"
	}
	return "completed"
}

func (sp *statuspage) maintenance(m status.Maintenance) spIncident {
	id := "maintenance-" + strconv.FormatInt(m.ID, 10)
	start, end := m.Start.UTC(), m.End.UTC()
	out := spIncident{ID: id, Name: m.Title, Status: maintenanceStatus(m, sp.now), CreatedAt: start, UpdatedAt: start,
		Impact: "maintenance", Shortlink: strings.TrimSuffix(sp.page.URL, "/") + "/maintenance/" + strconv.FormatInt(m.ID, 10),
		StartedAt: start, PageID: sp.page.ID, IncidentUpdates: []spUpdate{}, Components: []spComponent{},
		ScheduledFor: &start, ScheduledUntil: &end}
	if out.Status == "completed" {
		out.ResolvedAt = &end
	}
	for _, c := range m.Components {
		if pc, ok := sp.comps[c]; ok {
			out.Components = append(out.Components, pc)
		}
	}
	return out
}

// incidents returns the public incidents (unresolved only, or the 50 most
// recent).
func (sp *statuspage) incidents(unresolvedOnly bool) []spIncident {
	out := []spIncident{}
	for _, inc := range sp.st.Incidents {
		if !inc.Public || inc.MergedInto != 0 {
			continue
		}
		if unresolvedOnly && inc.Status == status.Resolved {
			continue
		}
		out = append(out, sp.incident(inc))
		if len(out) == 50 {
			break
		}
	}
	return out
}

// maintenances returns windows filtered by state: "" for the 50 most
// recent, "upcoming", "active", or "summary" (upcoming and active).
func (sp *statuspage) maintenances(which string) []spIncident {
	ms := append([]status.Maintenance(nil), sp.st.Maintenances...)
	sort.SliceStable(ms, func(i, j int) bool { return ms[i].Start.After(ms[j].Start) })
	out := []spIncident{}
	for _, m := range ms {
		st := maintenanceStatus(m, sp.now)
		switch which {
		case "upcoming":
			if st != "scheduled" {
				continue
			}
		case "active":
			if st != "in_progress" {
				continue
			}
		case "summary":
			if st == "completed" {
				continue
			}
		}
		out = append(out, sp.maintenance(m))
		if len(out) == 50 {
			break
		}
	}
	return out
}

// body builds the JSON object of one v2 endpoint.
func (sp *statuspage) body(endpoint string) any {
	comps := sp.components()
	switch endpoint {
	case "summary.json":
		return map[string]any{"page": sp.page, "components": comps, "incidents": sp.incidents(true),
			"scheduled_maintenances": sp.maintenances("summary"), "status": sp.statusObj()}
	case "status.json":
		return map[string]any{"page": sp.page, "status": sp.statusObj()}
	case "components.json":
		return map[string]any{"page": sp.page, "components": comps}
	case "incidents.json":
		return map[string]any{"page": sp.page, "incidents": sp.incidents(false)}
	case "incidents/unresolved.json":
		return map[string]any{"page": sp.page, "incidents": sp.incidents(true)}
	case "scheduled-maintenances.json":
		return map[string]any{"page": sp.page, "scheduled_maintenances": sp.maintenances("")}
	case "scheduled-maintenances/upcoming.json":
		return map[string]any{"page": sp.page, "scheduled_maintenances": sp.maintenances("upcoming")}
	case "scheduled-maintenances/active.json":
		return map[string]any{"page": sp.page, "scheduled_maintenances": sp.maintenances("active")}
	}
	return nil
}

// publicEndpoints are the Statuspage v2 endpoints served under /api/v2/.
var publicEndpoints = []string{
	"summary.json", "status.json", "components.json", "incidents.json", "incidents/unresolved.json",
	"scheduled-maintenances.json", "scheduled-maintenances/upcoming.json", "scheduled-maintenances/active.json",
}

// handlePublic serves one Statuspage-compatible endpoint, open to all with
// CORS, from the cache when fresh.
func (s *Server) handlePublic(endpoint string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Access-Control-Allow-Origin", "*")
		if s.public == nil {
			unavailable(w, "the public API")
			return
		}
		now := s.now()
		b, err := s.publicCache.serve(now, endpoint, func() (map[string][]byte, error) {
			st, err := s.public.Public(r.Context())
			if err != nil {
				return nil, err
			}
			sp := newStatuspage(st, now)
			bodies := map[string][]byte{}
			for _, e := range publicEndpoints {
				var buf bytes.Buffer
				enc := json.NewEncoder(&buf)
				enc.SetIndent("", "  ")
				if err := enc.Encode(sp.body(e)); err != nil {
					return nil, fmt.Errorf("web: encode %s: %w", e, err)
				}
				bodies[e] = buf.Bytes()
			}
			return bodies, nil
		})
		if err != nil {
			s.writeError(w, r, err)
			return
		}
		b.write(w, r, "application/json; charset=utf-8", "public, max-age=5")
	}
}

func utcPtr(t *time.Time) *time.Time {
	if t == nil {
		return nil
	}
	u := t.UTC()
	return &u
}
