package web

// # The admin API
//
// Routes under /api/v1/ for people and tools that run the status page:
// incidents, maintenance windows and known issues. Every request carries an
// API token made with `safetynet token create`:
//
//	Authorization: Bearer snt_...
//
// The server keeps only each token's SHA-256 digest; the digest of the
// presented token is looked up and compared with the stored one in constant
// time. A request without a token, or with an unknown or revoked one, gets
// 401 (code "unauthorized"); a token without the route's scope gets 403
// (code "forbidden"). Scopes: read for GET, write for everything else here
// (write includes read); deploy and ingest are for the release and ingest
// routes. Config ingest tokens are not admin tokens: they keep working for
// /api/v1/metrics, /api/v1/reports and the read routes they served before,
// and get 401 here.
//
//	GET   /api/v1/incidents                 ?open=true ?public=true ?limit=50 (at most 200) ?offset=0; newest first
//	GET   /api/v1/incidents/{id}            one incident with its updates and its audit trail
//	POST  /api/v1/incidents                 {"title", "impact", "status", "components": [{"component", "status"}],
//	                                         "public", "body", "started_at"} → 201, the first update written by the token
//	POST  /api/v1/incidents/{id}/updates    {"status", "body"} → 201; status defaults to the incident's
//	PATCH /api/v1/incidents/{id}            any of {"title", "impact", "components", "public", "merged_into"} → 200
//	POST  /api/v1/incidents/{id}/ack        acknowledge (the first acknowledgement is kept) → 200
//	POST  /api/v1/incidents/{id}/split      {"title", "components": [id], "customers": [name]} → 201
//	                                        {"original", "incident"}: the named components and customers move
//	                                        to a new incident with the original's start, status, impact and
//	                                        visibility; with no components it covers the same ones
//	GET   /api/v1/maintenance               ?from=&to= (RFC 3339; default now to 90 days ahead)
//	POST  /api/v1/maintenance               {"title", "components", "start", "end"} → 201
//	GET   /api/v1/known-issues              ?resolved=true to include resolved ones
//	POST  /api/v1/known-issues              {"title", "description", "workaround", "severity", "components",
//	                                         "public", "fixed_in", "resolved_at"} → 201
//
// Updates and incidents written through the API are human (they count as an
// explanation) and carry the token's name as author; the audit trail names
// the token as actor. Bodies are JSON, at most the server's body limit
// (Options.MaxBodyBytes, 413 "too_large" beyond), and unknown fields are
// refused (400 "invalid"), so a typo never stores a default. Errors are
// {"error": {"code", "message"}} like every other route. Times are RFC 3339.
// Components named in a body must exist when the store knows the
// components. Writes clear the public page's cache, so the change shows at
// once.

import (
	"bytes"
	"context"
	"crypto/subtle"
	"encoding/hex"
	"encoding/json"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/safetynet-dev/safetynet"
	"github.com/safetynet-dev/safetynet/status"
)

// touchEvery is how often a token's last use is written: at most once a
// minute per token, so a busy client does not turn every read into a write.
const touchEvery = time.Minute

// The list limits of GET /api/v1/incidents.
const (
	defaultIncidentLimit = 50
	maxIncidentLimit     = 200
)

// maintenanceHorizon is how far ahead GET /api/v1/maintenance looks by
// default.
const maintenanceHorizon = 90 * 24 * time.Hour

func init() {
	extraRoutes = append(extraRoutes, func(s *Server, mux *http.ServeMux) {
		a := &adminAPI{s: s}
		a.tokens, _ = s.store.(status.TokenStore)
		a.incidents, _ = s.store.(status.IncidentStore)
		a.maintenance, _ = s.store.(status.MaintenanceStore)
		a.components, _ = s.store.(status.ComponentStore)
		mux.HandleFunc("GET /api/v1/incidents", a.auth(status.ScopeRead, a.listIncidents))
		mux.HandleFunc("GET /api/v1/incidents/{id}", a.auth(status.ScopeRead, a.getIncident))
		mux.HandleFunc("POST /api/v1/incidents", a.auth(status.ScopeWrite, a.createIncident))
		mux.HandleFunc("POST /api/v1/incidents/{id}/updates", a.auth(status.ScopeWrite, a.addUpdate))
		mux.HandleFunc("PATCH /api/v1/incidents/{id}", a.auth(status.ScopeWrite, a.editIncident))
		mux.HandleFunc("POST /api/v1/incidents/{id}/ack", a.auth(status.ScopeWrite, a.ackIncident))
		mux.HandleFunc("POST /api/v1/incidents/{id}/split", a.auth(status.ScopeWrite, a.splitIncident))
		mux.HandleFunc("GET /api/v1/maintenance", a.auth(status.ScopeRead, a.listMaintenance))
		mux.HandleFunc("POST /api/v1/maintenance", a.auth(status.ScopeWrite, a.createMaintenance))
		mux.HandleFunc("GET /api/v1/known-issues", a.auth(status.ScopeRead, a.listKnownIssues))
		mux.HandleFunc("POST /api/v1/known-issues", a.auth(status.ScopeWrite, a.createKnownIssue))
	})
}

// adminAPI holds the stores the admin routes use, each nil when the
// server's store lacks it (those routes then answer 503).
type adminAPI struct {
	s           *Server
	tokens      status.TokenStore
	incidents   status.IncidentStore
	maintenance status.MaintenanceStore
	components  status.ComponentStore
}

// now is the server's clock in UTC at the stores' precision (microseconds),
// so an answer shows the same times a later read will.
func (a *adminAPI) now() time.Time { return a.s.now().UTC().Truncate(time.Microsecond) }

// adminHandler is an admin route's handler, given the token that passed.
type adminHandler func(w http.ResponseWriter, r *http.Request, tok status.Token)

// errRevokedToken answers a revoked token. Saying so tells nothing to
// anyone but the holder of the secret, who is helped by it.
var errRevokedToken = safetynet.Errorf(safetynet.EUNAUTHORIZED, "token revoked")

// auth wraps h so it runs only for a request with an active API token that
// grants scope.
func (a *adminAPI) auth(scope status.Scope, h adminHandler) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		secret := requestToken(r)
		if secret == "" {
			a.unauthorized(w, r, errNoToken)
			return
		}
		if a.tokens == nil {
			unavailable(w, "API tokens")
			return
		}
		tok, err := a.authenticate(r.Context(), secret)
		if err != nil {
			if safetynet.ErrorCode(err) == safetynet.EUNAUTHORIZED {
				a.unauthorized(w, r, err)
				return
			}
			a.s.writeError(w, r, err)
			return
		}
		setTokenName(r, tok.Name)
		if !tok.Has(scope) {
			a.s.writeError(w, r, safetynet.Errorf(safetynet.EFORBIDDEN, "token %q lacks the %s scope", tok.Name, scope))
			return
		}
		now := a.now()
		if tok.LastUsedAt == nil || now.Sub(*tok.LastUsedAt) >= touchEvery {
			// Recording the use is bookkeeping: a failure is logged and the
			// request goes on.
			if err := a.tokens.TouchToken(r.Context(), tok.ID, now); err != nil {
				a.s.log.WarnContext(r.Context(), "record token use", "token", tok.Name, "err", err)
			}
		}
		h(w, r, tok)
	}
}

// authenticate finds the active token whose secret is presented. The lookup
// is by the secret's SHA-256 digest, so its timing depends on the digest
// alone, which says nothing useful about the secret; the stored digest is
// then compared in constant time all the same.
func (a *adminAPI) authenticate(ctx context.Context, secret string) (status.Token, error) {
	hash := status.HashToken(secret)
	tok, err := a.tokens.TokenByHash(ctx, hash)
	if safetynet.ErrorCode(err) == safetynet.ENOTFOUND {
		return status.Token{}, errBadToken
	}
	if err != nil {
		return status.Token{}, err
	}
	want, _ := hex.DecodeString(tok.Hash)
	got, _ := hex.DecodeString(hash)
	if len(want) == 0 || subtle.ConstantTimeCompare(want, got) != 1 {
		return status.Token{}, errBadToken
	}
	if !tok.Active() {
		return status.Token{}, errRevokedToken
	}
	return tok, nil
}

func (a *adminAPI) unauthorized(w http.ResponseWriter, r *http.Request, err error) {
	w.Header().Set("WWW-Authenticate", `Bearer realm="safetynet"`)
	a.s.writeError(w, r, err)
}

// decodeBody reads one JSON value into v, refusing unknown fields, trailing
// data and an empty body. A body over the server's limit is a
// *http.MaxBytesError, which writeError answers with 413.
func decodeBody(r *http.Request, v any) error {
	raw, err := io.ReadAll(r.Body)
	if err != nil {
		return err
	}
	if len(bytes.TrimSpace(raw)) == 0 {
		return safetynet.Errorf(safetynet.EINVALID, "empty body: send a JSON object")
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return safetynet.Errorf(safetynet.EINVALID, "bad JSON: %s", jsonErrorText(err))
	}
	if dec.More() {
		return safetynet.Errorf(safetynet.EINVALID, "bad JSON: more than one value in the body")
	}
	return nil
}

// pathID reads the {id} of the route as a positive number.
func pathID(r *http.Request) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		return 0, safetynet.Errorf(safetynet.EINVALID, "incident id %q is not a positive number", r.PathValue("id"))
	}
	return id, nil
}

// queryFlag reads a filter flag that can only be switched on: absent means
// no filter, "true" or "1" filters, anything else is refused rather than
// read as a filter the store cannot apply.
func queryFlag(r *http.Request, name string) (bool, error) {
	switch v := r.URL.Query().Get(name); v {
	case "":
		return false, nil
	case "true", "1":
		return true, nil
	default:
		return false, safetynet.Errorf(safetynet.EINVALID, "%s=%s: use %s=true, or leave it out for no filter", name, v, name)
	}
}

// queryInt reads a non-negative number from the query, def when absent.
func queryInt(r *http.Request, name string, def int) (int, error) {
	v := r.URL.Query().Get(name)
	if v == "" {
		return def, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 0 {
		return 0, safetynet.Errorf(safetynet.EINVALID, "%s=%s is not a non-negative number", name, v)
	}
	return n, nil
}

// queryTime reads an RFC 3339 time from the query, def when absent.
func queryTime(r *http.Request, name string, def time.Time) (time.Time, error) {
	v := r.URL.Query().Get(name)
	if v == "" {
		return def, nil
	}
	t, err := time.Parse(time.RFC3339Nano, v)
	if err != nil {
		return time.Time{}, safetynet.Errorf(safetynet.EINVALID, "%s=%s is not an RFC 3339 time (2006-01-02T15:04:05Z)", name, v)
	}
	return t, nil
}

// checkComponents refuses component IDs the store does not know, when it
// knows the components, so that a typo does not file an incident against
// nothing.
func (a *adminAPI) checkComponents(ctx context.Context, ids []string) error {
	if len(ids) == 0 || a.components == nil {
		return nil
	}
	cs, err := a.components.Components(ctx)
	if err != nil {
		return err
	}
	known := make(map[string]bool, len(cs))
	for _, c := range cs {
		known[c.ID] = true
	}
	for _, id := range ids {
		if !known[id] {
			return safetynet.Errorf(safetynet.EINVALID, "no component %q", id)
		}
	}
	return nil
}

// checkAffected validates the affected components of an incident.
func (a *adminAPI) checkAffected(ctx context.Context, cs []status.AffectedComponent) error {
	ids := make([]string, 0, len(cs))
	seen := map[string]bool{}
	for i, c := range cs {
		if c.Component == "" {
			return safetynet.Errorf(safetynet.EINVALID, "components[%d]: component is missing", i)
		}
		if !c.Status.Valid() {
			return safetynet.Errorf(safetynet.EINVALID, "components[%d]: status %q is not one of operational, degraded_performance, partial_outage, major_outage, under_maintenance", i, c.Status)
		}
		if seen[c.Component] {
			return safetynet.Errorf(safetynet.EINVALID, "components[%d]: %q is listed twice", i, c.Component)
		}
		seen[c.Component] = true
		ids = append(ids, c.Component)
	}
	return a.checkComponents(ctx, ids)
}

// publicChanged drops the public answers cached so far, so that a change
// made through the API shows on the page and the v2 API at once.
func (a *adminAPI) publicChanged() {
	a.s.publicCache.invalidate()
}

// incidentList is the answer of GET /api/v1/incidents.
type incidentList struct {
	Incidents []status.Incident `json:"incidents"`
	Limit     int               `json:"limit"`
	Offset    int               `json:"offset"`
}

func (a *adminAPI) listIncidents(w http.ResponseWriter, r *http.Request, _ status.Token) {
	if a.incidents == nil {
		unavailable(w, "incidents")
		return
	}
	var f status.IncidentFilter
	var err error
	if f.OpenOnly, err = queryFlag(r, "open"); err == nil {
		if f.PublicOnly, err = queryFlag(r, "public"); err == nil {
			if f.Limit, err = queryInt(r, "limit", defaultIncidentLimit); err == nil {
				f.Offset, err = queryInt(r, "offset", 0)
			}
		}
	}
	if err != nil {
		a.s.writeError(w, r, err)
		return
	}
	if f.Limit == 0 || f.Limit > maxIncidentLimit {
		a.s.writeError(w, r, safetynet.Errorf(safetynet.EINVALID, "limit must be 1 to %d", maxIncidentLimit))
		return
	}
	incs, err := a.incidents.Incidents(r.Context(), f)
	if err != nil {
		a.s.writeError(w, r, err)
		return
	}
	if incs == nil {
		incs = []status.Incident{}
	}
	writeJSON(w, http.StatusOK, incidentList{Incidents: incs, Limit: f.Limit, Offset: f.Offset})
}

// auditView is an audit entry with its before and after states as JSON
// objects rather than strings of JSON.
type auditView struct {
	ID     int64           `json:"id"`
	Action string          `json:"action"`
	Actor  string          `json:"actor"`
	At     time.Time       `json:"at"`
	Before json.RawMessage `json:"before,omitempty"`
	After  json.RawMessage `json:"after,omitempty"`
}

// rawJSON returns s as raw JSON when it is valid JSON, else as a JSON
// string, and nothing for an empty s.
func rawJSON(s string) json.RawMessage {
	if s == "" {
		return nil
	}
	if json.Valid([]byte(s)) {
		return json.RawMessage(s)
	}
	b, _ := json.Marshal(s)
	return b
}

// incidentDetail is the answer of GET /api/v1/incidents/{id}: the incident's
// fields and updates, and its audit trail.
type incidentDetail struct {
	status.Incident
	Audit []auditView `json:"audit"`
}

func (a *adminAPI) getIncident(w http.ResponseWriter, r *http.Request, _ status.Token) {
	if a.incidents == nil {
		unavailable(w, "incidents")
		return
	}
	id, err := pathID(r)
	if err != nil {
		a.s.writeError(w, r, err)
		return
	}
	inc, err := a.incidents.Incident(r.Context(), id)
	if err != nil {
		a.s.writeError(w, r, err)
		return
	}
	audit, err := a.incidents.Audit(r.Context(), "incident", id)
	if err != nil {
		a.s.writeError(w, r, err)
		return
	}
	d := incidentDetail{Incident: inc, Audit: make([]auditView, 0, len(audit))}
	for _, e := range audit {
		d.Audit = append(d.Audit, auditView{ID: e.ID, Action: e.Action, Actor: e.Actor, At: e.At, Before: rawJSON(e.Before), After: rawJSON(e.After)})
	}
	writeJSON(w, http.StatusOK, d)
}

// newIncident is the body of POST /api/v1/incidents.
type newIncident struct {
	Title      string                     `json:"title"`
	Impact     status.Impact              `json:"impact"`
	Status     status.IncidentStatus      `json:"status"`
	Components []status.AffectedComponent `json:"components"`
	Public     bool                       `json:"public"`
	// Body is the text of the first update.
	Body string `json:"body"`
	// StartedAt is when the problem began, when earlier than now.
	StartedAt *time.Time `json:"started_at"`
}

func (a *adminAPI) createIncident(w http.ResponseWriter, r *http.Request, tok status.Token) {
	if a.incidents == nil {
		unavailable(w, "incidents")
		return
	}
	var in newIncident
	if err := decodeBody(r, &in); err != nil {
		a.s.writeError(w, r, err)
		return
	}
	if in.Status == "" {
		in.Status = status.Investigating
	}
	if err := a.checkAffected(r.Context(), in.Components); err != nil {
		a.s.writeError(w, r, err)
		return
	}
	now := a.now()
	inc := status.Incident{Title: strings.TrimSpace(in.Title), Impact: in.Impact, Status: in.Status, Components: in.Components, Public: in.Public, CreatedAt: now}
	if in.StartedAt != nil {
		if in.StartedAt.After(now) {
			a.s.writeError(w, r, safetynet.Errorf(safetynet.EINVALID, "started_at is in the future"))
			return
		}
		inc.StartedAt = in.StartedAt.UTC()
	}
	first := status.IncidentUpdate{Status: in.Status, Body: in.Body, Author: tok.Name, Human: true, At: now}
	created, err := a.incidents.CreateIncident(r.Context(), inc, first, tok.Name)
	if err != nil {
		a.s.writeError(w, r, err)
		return
	}
	a.publicChanged()
	a.s.incidentChanged(r.Context(), created.ID)
	w.Header().Set("Location", "/api/v1/incidents/"+strconv.FormatInt(created.ID, 10))
	writeJSON(w, http.StatusCreated, created)
}

// newUpdate is the body of POST /api/v1/incidents/{id}/updates.
type newUpdate struct {
	// Status is the incident's next step; empty keeps its current one.
	Status status.IncidentStatus `json:"status"`
	Body   string                `json:"body"`
}

func (a *adminAPI) addUpdate(w http.ResponseWriter, r *http.Request, tok status.Token) {
	if a.incidents == nil {
		unavailable(w, "incidents")
		return
	}
	id, err := pathID(r)
	if err != nil {
		a.s.writeError(w, r, err)
		return
	}
	var in newUpdate
	if err := decodeBody(r, &in); err != nil {
		a.s.writeError(w, r, err)
		return
	}
	if in.Status == "" {
		inc, err := a.incidents.Incident(r.Context(), id)
		if err != nil {
			a.s.writeError(w, r, err)
			return
		}
		in.Status = inc.Status
	}
	u, err := a.incidents.AddUpdate(r.Context(), id, status.IncidentUpdate{Status: in.Status, Body: in.Body, Author: tok.Name, Human: true, At: a.now()}, tok.Name)
	if err != nil {
		a.s.writeError(w, r, err)
		return
	}
	a.publicChanged()
	a.s.incidentChanged(r.Context(), id)
	writeJSON(w, http.StatusCreated, u)
}

// incidentPatch is the body of PATCH /api/v1/incidents/{id}: the fields
// given are changed, the others kept.
type incidentPatch struct {
	Title      *string                     `json:"title"`
	Impact     *status.Impact              `json:"impact"`
	Components *[]status.AffectedComponent `json:"components"`
	Public     *bool                       `json:"public"`
	// MergedInto merges the incident into another; 0 undoes a merge.
	MergedInto *int64 `json:"merged_into"`
}

func (a *adminAPI) editIncident(w http.ResponseWriter, r *http.Request, tok status.Token) {
	if a.incidents == nil {
		unavailable(w, "incidents")
		return
	}
	id, err := pathID(r)
	if err != nil {
		a.s.writeError(w, r, err)
		return
	}
	var p incidentPatch
	if err := decodeBody(r, &p); err != nil {
		a.s.writeError(w, r, err)
		return
	}
	if p.Title == nil && p.Impact == nil && p.Components == nil && p.Public == nil && p.MergedInto == nil {
		a.s.writeError(w, r, safetynet.Errorf(safetynet.EINVALID, "nothing to change: give title, impact, components, public or merged_into"))
		return
	}
	ctx := r.Context()
	inc, err := a.incidents.Incident(ctx, id)
	if err != nil {
		a.s.writeError(w, r, err)
		return
	}
	if p.Title != nil {
		inc.Title = strings.TrimSpace(*p.Title)
	}
	if p.Impact != nil {
		inc.Impact = *p.Impact
	}
	if p.Components != nil {
		if err := a.checkAffected(ctx, *p.Components); err != nil {
			a.s.writeError(w, r, err)
			return
		}
		inc.Components = *p.Components
	}
	if p.Public != nil {
		inc.Public = *p.Public
	}
	if p.MergedInto != nil {
		if err := a.checkMergeTarget(ctx, id, *p.MergedInto); err != nil {
			a.s.writeError(w, r, err)
			return
		}
		inc.MergedInto = *p.MergedInto
	}
	if err := a.incidents.EditIncident(ctx, inc, tok.Name); err != nil {
		a.s.writeError(w, r, err)
		return
	}
	a.publicChanged()
	a.s.incidentChanged(ctx, id)
	edited, err := a.incidents.Incident(ctx, id)
	if err != nil {
		a.s.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, edited)
}

// checkMergeTarget refuses a merge into the incident itself, into one that
// does not exist, or into one that is itself merged (chains would hide
// where the story is told).
func (a *adminAPI) checkMergeTarget(ctx context.Context, id, into int64) error {
	switch {
	case into == 0:
		return nil
	case into < 0:
		return safetynet.Errorf(safetynet.EINVALID, "merged_into must be an incident id, or 0 to undo a merge")
	case into == id:
		return safetynet.Errorf(safetynet.EINVALID, "an incident cannot be merged into itself")
	}
	target, err := a.incidents.Incident(ctx, into)
	if safetynet.ErrorCode(err) == safetynet.ENOTFOUND {
		return safetynet.Errorf(safetynet.EINVALID, "merged_into: no incident %d", into)
	}
	if err != nil {
		return err
	}
	if target.MergedInto != 0 {
		return safetynet.Errorf(safetynet.EINVALID, "merged_into: incident %d is itself merged into %d; merge into that one", into, target.MergedInto)
	}
	return nil
}

// splitAnswer is the answer of POST /api/v1/incidents/{id}/split.
type splitAnswer struct {
	Original status.Incident `json:"original"`
	Incident status.Incident `json:"incident"`
}

func (a *adminAPI) splitIncident(w http.ResponseWriter, r *http.Request, tok status.Token) {
	sr := a.splitter()
	if sr == nil {
		unavailable(w, "splitting incidents")
		return
	}
	id, err := pathID(r)
	if err != nil {
		a.s.writeError(w, r, err)
		return
	}
	var sp status.IncidentSplit
	if err := decodeBody(r, &sp); err != nil {
		a.s.writeError(w, r, err)
		return
	}
	kept, split, err := a.split(r.Context(), sr, id, sp, tok.Name)
	if err != nil {
		a.s.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, splitAnswer{Original: kept, Incident: split})
}

// splitter is the store's way to split incidents, or nil.
func (a *adminAPI) splitter() status.IncidentSplitter {
	sr, _ := a.s.store.(status.IncidentSplitter)
	return sr
}

// split splits incident id for the API and the admin UI, then clears the
// public cache and tells subscribers of the new incident (the original's
// own updates say nothing new).
func (a *adminAPI) split(ctx context.Context, sr status.IncidentSplitter, id int64, sp status.IncidentSplit, actor string) (kept, split status.Incident, err error) {
	if len(sp.Components) > 1000 || len(sp.Customers) > 1000 {
		return kept, split, safetynet.Errorf(safetynet.EINVALID, "too many components or customers")
	}
	if kept, split, err = sr.SplitIncident(ctx, id, sp, actor); err != nil {
		return kept, split, err
	}
	a.s.log.InfoContext(ctx, "incident split", "incident", id, "into", split.ID, "by", actor)
	a.publicChanged()
	a.s.incidentChanged(ctx, split.ID)
	return kept, split, nil
}

func (a *adminAPI) ackIncident(w http.ResponseWriter, r *http.Request, tok status.Token) {
	if a.incidents == nil {
		unavailable(w, "incidents")
		return
	}
	id, err := pathID(r)
	if err != nil {
		a.s.writeError(w, r, err)
		return
	}
	// The body, if any, says nothing: drain it within the limit.
	if _, err := io.Copy(io.Discard, r.Body); err != nil {
		a.s.writeError(w, r, err)
		return
	}
	if err := a.incidents.AckIncident(r.Context(), id, tok.Name, a.now()); err != nil {
		a.s.writeError(w, r, err)
		return
	}
	inc, err := a.incidents.Incident(r.Context(), id)
	if err != nil {
		a.s.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, inc)
}

// maintenanceList is the answer of GET /api/v1/maintenance.
type maintenanceList struct {
	Maintenance []status.Maintenance `json:"maintenance"`
	From        time.Time            `json:"from"`
	To          time.Time            `json:"to"`
}

func (a *adminAPI) listMaintenance(w http.ResponseWriter, r *http.Request, _ status.Token) {
	if a.maintenance == nil {
		unavailable(w, "maintenance")
		return
	}
	now := a.now()
	from, err := queryTime(r, "from", now)
	if err != nil {
		a.s.writeError(w, r, err)
		return
	}
	to, err := queryTime(r, "to", from.Add(maintenanceHorizon))
	if err != nil {
		a.s.writeError(w, r, err)
		return
	}
	if !to.After(from) {
		a.s.writeError(w, r, safetynet.Errorf(safetynet.EINVALID, "to must be after from"))
		return
	}
	ms, err := a.maintenance.Maintenances(r.Context(), from, to)
	if err != nil {
		a.s.writeError(w, r, err)
		return
	}
	if ms == nil {
		ms = []status.Maintenance{}
	}
	writeJSON(w, http.StatusOK, maintenanceList{Maintenance: ms, From: from.UTC(), To: to.UTC()})
}

// newMaintenance is the body of POST /api/v1/maintenance.
type newMaintenance struct {
	Title      string    `json:"title"`
	Components []string  `json:"components"`
	Start      time.Time `json:"start"`
	End        time.Time `json:"end"`
}

func (a *adminAPI) createMaintenance(w http.ResponseWriter, r *http.Request, _ status.Token) {
	if a.maintenance == nil {
		unavailable(w, "maintenance")
		return
	}
	var in newMaintenance
	if err := decodeBody(r, &in); err != nil {
		a.s.writeError(w, r, err)
		return
	}
	m := status.Maintenance{Title: strings.TrimSpace(in.Title), Components: in.Components, Start: in.Start.UTC(), End: in.End.UTC()}
	if err := m.Validate(); err != nil {
		a.s.writeError(w, r, err)
		return
	}
	if err := a.checkComponents(r.Context(), m.Components); err != nil {
		a.s.writeError(w, r, err)
		return
	}
	created, err := a.maintenance.CreateMaintenance(r.Context(), m)
	if err != nil {
		a.s.writeError(w, r, err)
		return
	}
	a.publicChanged()
	writeJSON(w, http.StatusCreated, created)
}

func (a *adminAPI) listKnownIssues(w http.ResponseWriter, r *http.Request, _ status.Token) {
	if a.incidents == nil {
		unavailable(w, "known issues")
		return
	}
	resolved, err := queryFlag(r, "resolved")
	if err != nil {
		a.s.writeError(w, r, err)
		return
	}
	ks, err := a.incidents.KnownIssues(r.Context(), resolved)
	if err != nil {
		a.s.writeError(w, r, err)
		return
	}
	if ks == nil {
		ks = []status.KnownIssue{}
	}
	writeJSON(w, http.StatusOK, map[string][]status.KnownIssue{"known_issues": ks})
}

// newKnownIssue is the body of POST /api/v1/known-issues: the fields of
// status.KnownIssue a person sets.
type newKnownIssue struct {
	Title       string        `json:"title"`
	Description string        `json:"description"`
	Workaround  string        `json:"workaround"`
	Severity    status.Impact `json:"severity"`
	Components  []string      `json:"components"`
	Public      bool          `json:"public"`
	FixedIn     string        `json:"fixed_in"`
	ResolvedAt  *time.Time    `json:"resolved_at"`
}

// The text limits of a known issue.
const (
	maxKnownTitle = 200
	maxKnownText  = 20000
)

func (a *adminAPI) createKnownIssue(w http.ResponseWriter, r *http.Request, _ status.Token) {
	if a.incidents == nil {
		unavailable(w, "known issues")
		return
	}
	var in newKnownIssue
	if err := decodeBody(r, &in); err != nil {
		a.s.writeError(w, r, err)
		return
	}
	k := status.KnownIssue{Title: strings.TrimSpace(in.Title), Description: in.Description, Workaround: in.Workaround, Severity: in.Severity,
		Components: in.Components, Public: in.Public, FixedIn: strings.TrimSpace(in.FixedIn), CreatedAt: a.now()}
	if in.ResolvedAt != nil {
		t := in.ResolvedAt.UTC()
		k.ResolvedAt = &t
	}
	if err := validateKnownIssue(&k); err != nil {
		a.s.writeError(w, r, err)
		return
	}
	if err := a.checkComponents(r.Context(), k.Components); err != nil {
		a.s.writeError(w, r, err)
		return
	}
	saved, err := a.incidents.SaveKnownIssue(r.Context(), k)
	if err != nil {
		a.s.writeError(w, r, err)
		return
	}
	a.publicChanged()
	writeJSON(w, http.StatusCreated, saved)
}

// validateKnownIssue checks what the store does not: severity and sizes.
func validateKnownIssue(k *status.KnownIssue) error {
	switch {
	case k.Title == "":
		return safetynet.Errorf(safetynet.EINVALID, "a known issue needs a title")
	case len(k.Title) > maxKnownTitle:
		return safetynet.Errorf(safetynet.EINVALID, "title is longer than %d characters", maxKnownTitle)
	case len(k.Description) > maxKnownText || len(k.Workaround) > maxKnownText:
		return safetynet.Errorf(safetynet.EINVALID, "description and workaround are limited to %d characters each", maxKnownText)
	}
	switch k.Severity {
	case status.ImpactNone, status.ImpactMinor, status.ImpactMajor, status.ImpactCritical:
	default:
		return safetynet.Errorf(safetynet.EINVALID, "severity %q is not one of none, minor, major, critical", k.Severity)
	}
	if k.Components == nil {
		k.Components = []string{}
	}
	return nil
}
