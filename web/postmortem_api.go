package web

// # Postmortems in the admin API
//
// Under the same bearer tokens and scopes as the rest of the admin API
// (read for GET, write for the rest; see admin.go):
//
//	GET  /api/v1/incidents/{id}/postmortem           the postmortem with its timeline and action items
//	PUT  /api/v1/incidents/{id}/postmortem           any of {"apology", "summary", "published"} → 200;
//	                                                 creates the postmortem when the incident has none;
//	                                                 the drafted timeline and measured times are kept
//	POST /api/v1/incidents/{id}/postmortem/actions   {"title", "kind", "team", "due", "status"} → 201
//	PUT  /api/v1/incidents/{id}/postmortem/actions/{item}  the same body: replaces the item → 200
//	GET  /api/v1/action-items                        ?format=json (default) or csv; ?incident=ID for one
//	                                                 postmortem's items, else every item not yet done
//
// Action item kinds are process, platform, monitoring and tests; there is
// no field for a person, and none is accepted. Due is a date (2026-12-01)
// or an RFC 3339 time. Publishing or unpublishing a postmortem clears the
// public page's cache. The export is what incident.WriteActionItemsJSON and
// WriteActionItemsCSV write, so a team's backlog importer sees the same
// fields as the webhook. An item created, or changed in status or team,
// here or anywhere else, is also sent to the owning team's notifiers by the
// incident engine (incident/backlog.go): a webhook notifier posts it as
// signed JSON (event "action_item"), so it lands in the team's backlog.

import (
	"bytes"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/safetynet-dev/safetynet"
	"github.com/safetynet-dev/safetynet/incident"
	"github.com/safetynet-dev/safetynet/status"
)

func init() {
	extraRoutes = append(extraRoutes, func(s *Server, mux *http.ServeMux) {
		a := &adminAPI{s: s}
		a.tokens, _ = s.store.(status.TokenStore)
		p := &postmortemAPI{a: a}
		p.store, _ = s.store.(status.PostmortemStore)
		mux.HandleFunc("GET /api/v1/incidents/{id}/postmortem", a.auth(status.ScopeRead, p.get))
		mux.HandleFunc("PUT /api/v1/incidents/{id}/postmortem", a.auth(status.ScopeWrite, p.put))
		mux.HandleFunc("POST /api/v1/incidents/{id}/postmortem/actions", a.auth(status.ScopeWrite, p.addAction))
		mux.HandleFunc("PUT /api/v1/incidents/{id}/postmortem/actions/{item}", a.auth(status.ScopeWrite, p.addAction))
		mux.HandleFunc("GET /api/v1/action-items", a.auth(status.ScopeRead, p.export))
	})
}

// postmortemAPI serves the postmortem routes; store is nil when the
// server's store keeps no postmortems (the routes then answer 503).
type postmortemAPI struct {
	a     *adminAPI
	store status.PostmortemStore
}

func (p *postmortemAPI) ready(w http.ResponseWriter) bool {
	if p.store == nil {
		unavailable(w, "postmortems")
		return false
	}
	return true
}

func (p *postmortemAPI) get(w http.ResponseWriter, r *http.Request, _ status.Token) {
	if !p.ready(w) {
		return
	}
	id, err := pathID(r)
	if err != nil {
		p.a.s.writeError(w, r, err)
		return
	}
	pm, err := p.store.Postmortem(r.Context(), id)
	if err != nil {
		p.a.s.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, pm)
}

// postmortemEdit is the body of PUT: absent fields keep their values.
type postmortemEdit struct {
	Apology   *string `json:"apology"`
	Summary   *string `json:"summary"`
	Published *bool   `json:"published"`
}

func (p *postmortemAPI) put(w http.ResponseWriter, r *http.Request, tok status.Token) {
	if !p.ready(w) {
		return
	}
	ctx := r.Context()
	id, err := pathID(r)
	if err != nil {
		p.a.s.writeError(w, r, err)
		return
	}
	var e postmortemEdit
	if err := decodeBody(r, &e); err != nil {
		p.a.s.writeError(w, r, err)
		return
	}
	pm, err := p.store.Postmortem(ctx, id)
	switch {
	case safetynet.ErrorCode(err) == safetynet.ENOTFOUND:
		pm = status.PostmortemRecord{Postmortem: status.Postmortem{IncidentID: id}}
	case err != nil:
		p.a.s.writeError(w, r, err)
		return
	}
	wasPublished := pm.Published
	if e.Apology != nil {
		pm.Apology = *e.Apology
	}
	if e.Summary != nil {
		pm.Summary = *e.Summary
	}
	if e.Published != nil {
		pm.Published = *e.Published
		if !pm.Published {
			pm.PublishedAt = nil
		}
	}
	if err := pm.Validate(); err != nil {
		p.a.s.writeError(w, r, err)
		return
	}
	if _, err := p.store.SavePostmortem(ctx, pm, tok.Name); err != nil {
		p.a.s.writeError(w, r, err)
		return
	}
	if wasPublished || pm.Published {
		p.a.publicChanged()
	}
	// Read back, with the action items SavePostmortem leaves alone.
	saved, err := p.store.Postmortem(ctx, id)
	if err != nil {
		p.a.s.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, saved)
}

// actionBody is the body of POST .../postmortem/actions and PUT
// .../actions/{item}. Due is a string
// so a plain date is accepted.
type actionBody struct {
	Title  string            `json:"title"`
	Kind   status.ActionKind `json:"kind"`
	Team   string            `json:"team"`
	Due    string            `json:"due"`
	Status string            `json:"status"`
}

// parseDue reads a due date: a date alone (midnight UTC) or an RFC 3339
// time.
func parseDue(s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return time.Time{}, safetynet.Errorf(safetynet.EINVALID, "an action item needs a due date (2006-01-02)")
	}
	if t, err := time.Parse(time.DateOnly, s); err == nil {
		return t, nil
	}
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		return time.Time{}, safetynet.Errorf(safetynet.EINVALID, "due %q is not a date (2006-01-02) or an RFC 3339 time", s)
	}
	return t.UTC().Truncate(time.Microsecond), nil
}

// addAction adds an action item (POST) or replaces one (PUT with {item}).
func (p *postmortemAPI) addAction(w http.ResponseWriter, r *http.Request, tok status.Token) {
	if !p.ready(w) {
		return
	}
	id, err := pathID(r)
	if err != nil {
		p.a.s.writeError(w, r, err)
		return
	}
	var b actionBody
	if err := decodeBody(r, &b); err != nil {
		p.a.s.writeError(w, r, err)
		return
	}
	due, err := parseDue(b.Due)
	if err != nil {
		p.a.s.writeError(w, r, err)
		return
	}
	item := status.ActionItem{Title: strings.TrimSpace(b.Title), Kind: b.Kind, Team: strings.TrimSpace(b.Team), Due: due, Status: b.Status}
	code := http.StatusCreated
	if v := r.PathValue("item"); v != "" {
		// PUT .../actions/{item}: replace that item.
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil || n <= 0 {
			p.a.s.writeError(w, r, safetynet.Errorf(safetynet.EINVALID, "action item id %q is not a positive number", v))
			return
		}
		item.ID, code = n, http.StatusOK
	}
	if err := item.Validate(); err != nil {
		p.a.s.writeError(w, r, err)
		return
	}
	saved, err := p.store.SaveActionItem(r.Context(), id, item, tok.Name)
	if err != nil {
		p.a.s.writeError(w, r, err)
		return
	}
	p.a.publicChanged() // a published postmortem shows its plan
	writeJSON(w, code, saved)
}

// export answers GET /api/v1/action-items as JSON or CSV.
func (p *postmortemAPI) export(w http.ResponseWriter, r *http.Request, _ status.Token) {
	if !p.ready(w) {
		return
	}
	q := r.URL.Query()
	var incidentID int64
	if v := q.Get("incident"); v != "" {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil || n <= 0 {
			p.a.s.writeError(w, r, safetynet.Errorf(safetynet.EINVALID, "incident=%s is not a positive number", v))
			return
		}
		incidentID = n
	}
	format := q.Get("format")
	if format != "" && format != "json" && format != "csv" {
		p.a.s.writeError(w, r, safetynet.Errorf(safetynet.EINVALID, "format=%s: use json or csv", format))
		return
	}
	items, err := p.store.ActionItems(r.Context(), incidentID)
	if err != nil {
		p.a.s.writeError(w, r, err)
		return
	}
	var buf bytes.Buffer
	ctype := "application/json; charset=utf-8"
	if format == "csv" {
		ctype = "text/csv; charset=utf-8"
		err = incident.WriteActionItemsCSV(&buf, items)
		w.Header().Set("Content-Disposition", `attachment; filename="action-items.csv"`)
	} else {
		err = incident.WriteActionItemsJSON(&buf, items)
	}
	if err != nil {
		p.a.s.writeError(w, r, err)
		return
	}
	w.Header().Set("Content-Type", ctype)
	w.Header().Set("Cache-Control", "no-store")
	_, _ = w.Write(buf.Bytes())
}
