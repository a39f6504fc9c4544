package web

import (
	"net/http"
	"net/url"
	"time"

	"github.com/safetynet-dev/safetynet/status"
)

// Snapshot is the current view of everything the server watches: what the
// dashboard renders and the read API returns. The Dashboard implementation
// builds it from the store and the monitor's live state.
type Snapshot struct {
	At         time.Time       `json:"at"`
	Components []ComponentView `json:"components"`
	Checks     []CheckView     `json:"checks"`
	// Alerts are the open alerts, newest first.
	Alerts []status.Alert `json:"alerts"`
	// Notifiers are the notifiers with deliveries failing or pending.
	Notifiers []NotifierView `json:"notifiers"`
	// Outbox counts undelivered notifications.
	Outbox OutboxView `json:"outbox"`
}

// ComponentView is a component with its current status and why.
type ComponentView struct {
	status.Component
	Status status.Status `json:"status"`
	Cause  string        `json:"cause"`
	// Since is when the component entered Status; zero when unknown.
	Since time.Time `json:"since,omitzero"`
}

// CheckView is one check at one location with its debounced state and the
// latest result. A check not yet run has State unknown and no LastResult.
type CheckView struct {
	ID        string      `json:"id"`
	Name      string      `json:"name"`
	Component string      `json:"component"`
	Kind      status.Kind `json:"kind"`
	// Target is what the check reaches. The web layer strips credentials
	// from URL targets before showing them.
	Target     string         `json:"target"`
	Location   string         `json:"location"`
	State      status.State   `json:"state"`
	Since      time.Time      `json:"since,omitzero"`
	LastResult *status.Result `json:"last_result,omitempty"`
}

// NotifierView is a notifier's delivery health: failures are never
// dropped, so they show here until delivered.
type NotifierView struct {
	Name        string    `json:"name"`
	Pending     int       `json:"pending"`
	Failing     int       `json:"failing"`
	LastError   string    `json:"last_error,omitempty"`
	LastAttempt time.Time `json:"last_attempt,omitzero"`
}

// OutboxView counts notifications not yet delivered.
type OutboxView struct {
	Pending int `json:"pending"`
	Failing int `json:"failing"`
}

// redactTarget drops the user information (user:password@) of a URL
// target; other targets (host:port, names) pass through.
func redactTarget(t string) string {
	u, err := url.Parse(t)
	if err != nil || u.User == nil || u.Host == "" {
		return t
	}
	u.User = nil
	return u.String()
}

// snapshot fetches the dashboard view with targets redacted and nil
// slices made empty, so JSON clients always see arrays.
func (s *Server) snapshot(r *http.Request) (Snapshot, error) {
	snap, err := s.dashboard.Snapshot(r.Context())
	if err != nil {
		return Snapshot{}, err
	}
	if snap.At.IsZero() {
		snap.At = s.now()
	}
	checks := make([]CheckView, len(snap.Checks))
	for i, c := range snap.Checks {
		c.Target = redactTarget(c.Target)
		if c.State == "" {
			c.State = status.StateUnknown
		}
		checks[i] = c
	}
	snap.Checks = checks
	if snap.Components == nil {
		snap.Components = []ComponentView{}
	}
	if snap.Alerts == nil {
		snap.Alerts = []status.Alert{}
	}
	if snap.Notifiers == nil {
		snap.Notifiers = []NotifierView{}
	}
	return snap, nil
}

func (s *Server) handleSnapshot(w http.ResponseWriter, r *http.Request) {
	s.serveSnapshot(w, r, func(snap Snapshot) any { return snap })
}

// ComponentsResponse is the answer of GET /api/v1/components.
type ComponentsResponse struct {
	At         time.Time       `json:"at"`
	Components []ComponentView `json:"components"`
}

func (s *Server) handleComponents(w http.ResponseWriter, r *http.Request) {
	s.serveSnapshot(w, r, func(snap Snapshot) any { return ComponentsResponse{snap.At, snap.Components} })
}

// ChecksResponse is the answer of GET /api/v1/checks.
type ChecksResponse struct {
	At     time.Time   `json:"at"`
	Checks []CheckView `json:"checks"`
}

func (s *Server) handleChecks(w http.ResponseWriter, r *http.Request) {
	s.serveSnapshot(w, r, func(snap Snapshot) any { return ChecksResponse{snap.At, snap.Checks} })
}

func (s *Server) serveSnapshot(w http.ResponseWriter, r *http.Request, pick func(Snapshot) any) {
	if s.dashboard == nil {
		unavailable(w, "the dashboard")
		return
	}
	snap, err := s.snapshot(r)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	w.Header().Set("Cache-Control", "no-store")
	writeJSON(w, http.StatusOK, pick(snap))
}

// PublicChanged drops the cached public answers (page, v2 API, feeds,
// badges), so the next reader sees data another server wrote. Several
// servers on one database call it on each change notice
// (store.DB.WatchChanges); a server's own API writes already do.
func (s *Server) PublicChanged() { s.publicCache.invalidate() }
