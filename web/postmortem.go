package web

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/safetynet-dev/safetynet"
	"github.com/safetynet-dev/safetynet/status"
)

// postmortemReader is what the public postmortem page needs of the store
// (store.DB has it: status.PostmortemStore and status.IncidentStore).
type postmortemReader interface {
	Postmortem(ctx context.Context, incidentID int64) (status.PostmortemRecord, error)
	Incident(ctx context.Context, id int64) (status.Incident, error)
}

func init() {
	extraRoutes = append(extraRoutes, func(s *Server, mux *http.ServeMux) {
		mux.HandleFunc("GET /incidents/{id}/postmortem", s.handlePostmortemPage)
	})
}

// postmortemPage is what public_postmortem.html renders. Everything that
// needs formatting beyond the public template functions is prepared here.
type postmortemPage struct {
	Page       PageInfo
	Incident   status.Incident
	Postmortem status.PostmortemRecord
	// IncidentPublic links the incident's own page, which exists only for
	// public incidents.
	IncidentPublic bool
	Times          []labelled
	Components     []labelled
	Actions        []actionView
}

type labelled struct{ Label, Value string }

type actionView struct {
	status.ActionItem
	KindText, StatusText, DueText string
}

// handlePostmortemPage serves a published postmortem at a stable URL. An
// internal one is answered exactly like a missing one, so its existence
// does not leak.
func (s *Server) handlePostmortemPage(w http.ResponseWriter, r *http.Request) {
	src, ok := s.store.(postmortemReader)
	if !ok {
		unavailable(w, "postmortems")
		return
	}
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		http.NotFound(w, r)
		return
	}
	pm, err := src.Postmortem(r.Context(), id)
	if safetynet.ErrorCode(err) == safetynet.ENOTFOUND || err == nil && !pm.Published {
		http.NotFound(w, r)
		return
	}
	if err != nil {
		s.writeError(w, r, fmt.Errorf("web: postmortem page: %w", err))
		return
	}
	inc, err := src.Incident(r.Context(), id)
	if err != nil {
		s.writeError(w, r, fmt.Errorf("web: postmortem page: %w", err))
		return
	}
	data := postmortemPage{Page: PageInfo{Name: "Status"}, Incident: inc, Postmortem: pm, IncidentPublic: inc.Public && inc.MergedInto == 0}
	names := map[string]string{}
	if s.public != nil {
		st, err := s.public.Public(r.Context())
		if err != nil {
			s.writeError(w, r, fmt.Errorf("web: postmortem page: %w", err))
			return
		}
		data.Page = st.Page
		for _, c := range st.Components {
			names[c.ID] = c.Name
		}
	}
	for _, ac := range inc.Components {
		// A component that is not on the public page keeps its ID; its
		// name may be internal.
		n := names[ac.Component]
		if n == "" {
			n = ac.Component
		}
		data.Components = append(data.Components, labelled{n, statusText(ac.Status)})
	}
	data.Times = []labelled{
		{"Time to detect", spoken(pm.Times.Detect)},
		{"Time to acknowledge", spoken(pm.Times.Ack)},
		{"Time to resolve", spoken(pm.Times.Resolve)},
	}
	for _, a := range pm.Actions {
		data.Actions = append(data.Actions, actionView{ActionItem: a, KindText: actionKindText(a.Kind),
			StatusText: strings.ReplaceAll(a.Status, "_", " "), DueText: a.Due.UTC().Format("Jan 2, 2006")})
	}
	var buf bytes.Buffer
	if err := publicTmpl.ExecuteTemplate(&buf, "public_postmortem.html", data); err != nil {
		s.writeError(w, r, fmt.Errorf("web: render postmortem page: %w", err))
		return
	}
	writeHTML(w, buf.Bytes(), "public, max-age=60")
}

// spoken writes a measured time; zero means it did not happen (no alert
// fired, nobody acknowledged).
func spoken(d time.Duration) string {
	if d <= 0 {
		return "not recorded"
	}
	return status.SpokenDuration(d)
}

func actionKindText(k status.ActionKind) string {
	switch k {
	case status.ActionProcess:
		return "Process"
	case status.ActionPlatform:
		return "Platform"
	case status.ActionMonitoring:
		return "Monitoring"
	case status.ActionTests:
		return "Tests"
	}
	return string(k)
}
