package web

// # The release API
//
// Routes of the release gate (docs/releases.md). Writes need a token with
// the deploy scope, reads the read scope:
//
//	POST /api/v1/deployments           {"service", "version", "environment", "components", "commit", "pipeline_url",
//	                                    "fixes": [{"title", "severity", "known_issue"}],
//	                                    "introduces": [{"title", "severity", "description", "workaround", "public"}],
//	                                    "deployed_at"} → 201 the deployment, recorded by the token
//	GET  /api/v1/deployments           ?service= ?environment= ?version= ?limit=50 (at most 200); newest first
//	POST /api/v1/gate                  {"service", "version", "to"} → 200 {"outcome": ship|hold|undecided, "reason", "inputs", ...}
//	POST /api/v1/gate/override         {"service", "version", "to", "reason"} → 201 a ship decision by the token,
//	                                   with the written reason; later gates of that release to that environment ship
//	GET  /api/v1/gate/decisions        ?service= (required) ?version= ?limit=50; newest first
//
// Every gate answer is stored with its inputs. The release service comes
// from Options.Store: serve passes the store with the service beside it.

import (
	"context"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/safetynet-dev/safetynet"
	"github.com/safetynet-dev/safetynet/release"
	"github.com/safetynet-dev/safetynet/status"
)

// Releases is the release gate and AWS event handling (release.Service).
type Releases interface {
	Record(ctx context.Context, d status.Deployment) (status.Deployment, error)
	Gate(ctx context.Context, service, version, to, by string) (status.GateDecision, error)
	Override(ctx context.Context, service, version, to, reason, by string) (status.GateDecision, error)
	HandleAWS(ctx context.Context, body []byte, by string) (release.Handled, error)
}

// The list limits of the release routes.
const (
	defaultReleaseLimit = 50
	maxReleaseLimit     = 200
)

func init() {
	extraRoutes = append(extraRoutes, func(s *Server, mux *http.ServeMux) {
		a := &adminAPI{s: s}
		a.tokens, _ = s.store.(status.TokenStore)
		d := &deploymentsAPI{a: a}
		d.releases, _ = s.store.(Releases)
		d.store, _ = s.store.(status.ReleaseStore)
		mux.HandleFunc("POST /api/v1/deployments", a.auth(status.ScopeDeploy, d.record))
		mux.HandleFunc("GET /api/v1/deployments", a.auth(status.ScopeRead, d.list))
		mux.HandleFunc("POST /api/v1/gate", a.auth(status.ScopeDeploy, d.gate))
		mux.HandleFunc("POST /api/v1/gate/override", a.auth(status.ScopeDeploy, d.override))
		mux.HandleFunc("GET /api/v1/gate/decisions", a.auth(status.ScopeRead, d.decisions))
	})
}

type deploymentsAPI struct {
	a        *adminAPI
	releases Releases
	store    status.ReleaseStore
}

// newDeployment is the body of POST /api/v1/deployments.
type newDeployment struct {
	Service     string         `json:"service"`
	Version     string         `json:"version"`
	Environment string         `json:"environment"`
	Components  []string       `json:"components"`
	Commit      string         `json:"commit"`
	PipelineURL string         `json:"pipeline_url"`
	Fixes       []status.Issue `json:"fixes"`
	Introduces  []status.Issue `json:"introduces"`
	DeployedAt  *time.Time     `json:"deployed_at"`
}

func (d *deploymentsAPI) record(w http.ResponseWriter, r *http.Request, tok status.Token) {
	if d.releases == nil {
		unavailable(w, "the release gate")
		return
	}
	var in newDeployment
	if err := decodeBody(r, &in); err != nil {
		d.a.s.writeError(w, r, err)
		return
	}
	dep := status.Deployment{Service: strings.TrimSpace(in.Service), Version: strings.TrimSpace(in.Version), Environment: strings.TrimSpace(in.Environment),
		Components: in.Components, Commit: in.Commit, PipelineURL: in.PipelineURL, Fixes: in.Fixes, Introduces: in.Introduces, Source: "api", By: tok.Name}
	if in.DeployedAt != nil {
		// A deployment recorded late keeps its real time, but not one in
		// the future: that would make a soak look longer than it was.
		if in.DeployedAt.After(d.a.now().Add(time.Minute)) {
			d.a.s.writeError(w, r, safetynet.Errorf(safetynet.EINVALID, "deployed_at %s is in the future", in.DeployedAt.Format(time.RFC3339)))
			return
		}
		dep.At = in.DeployedAt.UTC()
	}
	saved, err := d.releases.Record(r.Context(), dep)
	if err != nil {
		d.a.s.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, saved)
}

func (d *deploymentsAPI) list(w http.ResponseWriter, r *http.Request, _ status.Token) {
	if d.store == nil {
		unavailable(w, "deployments")
		return
	}
	limit, err := releaseLimit(r)
	if err != nil {
		d.a.s.writeError(w, r, err)
		return
	}
	q := r.URL.Query()
	ds, err := d.store.Deployments(r.Context(), status.DeploymentFilter{Service: q.Get("service"), Environment: q.Get("environment"), Version: q.Get("version"), Limit: limit})
	if err != nil {
		d.a.s.writeError(w, r, err)
		return
	}
	if ds == nil {
		ds = []status.Deployment{}
	}
	writeJSON(w, http.StatusOK, map[string][]status.Deployment{"deployments": ds})
}

// gateRequest is the body of POST /api/v1/gate and /api/v1/gate/override.
type gateRequest struct {
	Service string `json:"service"`
	Version string `json:"version"`
	To      string `json:"to"`
	Reason  string `json:"reason,omitempty"` // overrides only
}

func (d *deploymentsAPI) gate(w http.ResponseWriter, r *http.Request, tok status.Token) {
	if d.releases == nil {
		unavailable(w, "the release gate")
		return
	}
	var in gateRequest
	if err := decodeBody(r, &in); err != nil {
		d.a.s.writeError(w, r, err)
		return
	}
	if in.Reason != "" {
		d.a.s.writeError(w, r, safetynet.Errorf(safetynet.EINVALID, "a reason overrides the gate: send it to POST /api/v1/gate/override"))
		return
	}
	dec, err := d.releases.Gate(r.Context(), in.Service, in.Version, in.To, tok.Name)
	if err != nil {
		d.a.s.writeError(w, r, err)
		return
	}
	if dec.Outcome == status.Ship {
		// Shipping may have published known issues.
		d.a.s.publicCache.invalidate()
	}
	writeJSON(w, http.StatusOK, dec)
}

func (d *deploymentsAPI) override(w http.ResponseWriter, r *http.Request, tok status.Token) {
	if d.releases == nil {
		unavailable(w, "the release gate")
		return
	}
	var in gateRequest
	if err := decodeBody(r, &in); err != nil {
		d.a.s.writeError(w, r, err)
		return
	}
	dec, err := d.releases.Override(r.Context(), in.Service, in.Version, in.To, in.Reason, tok.Name)
	if err != nil {
		d.a.s.writeError(w, r, err)
		return
	}
	d.a.s.publicCache.invalidate()
	writeJSON(w, http.StatusCreated, dec)
}

func (d *deploymentsAPI) decisions(w http.ResponseWriter, r *http.Request, _ status.Token) {
	if d.store == nil {
		unavailable(w, "gate decisions")
		return
	}
	q := r.URL.Query()
	if q.Get("service") == "" {
		d.a.s.writeError(w, r, safetynet.Errorf(safetynet.EINVALID, "name the service: ?service=api"))
		return
	}
	limit, err := releaseLimit(r)
	if err != nil {
		d.a.s.writeError(w, r, err)
		return
	}
	ds, err := d.store.GateDecisions(r.Context(), q.Get("service"), q.Get("version"), limit)
	if err != nil {
		d.a.s.writeError(w, r, err)
		return
	}
	if ds == nil {
		ds = []status.GateDecision{}
	}
	writeJSON(w, http.StatusOK, map[string][]status.GateDecision{"decisions": ds})
}

func releaseLimit(r *http.Request) (int, error) {
	v := r.URL.Query().Get("limit")
	if v == "" {
		return defaultReleaseLimit, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 1 || n > maxReleaseLimit {
		return 0, safetynet.Errorf(safetynet.EINVALID, "limit must be a whole number from 1 to %d", maxReleaseLimit)
	}
	return n, nil
}
