package web

// # The agent API
//
// Routes of `safetynet agent` (docs/agents.md). Both need a token with the
// agent scope; a token named "agent.<location>" may act for that location
// alone, any other agent token for every agent location:
//
//	GET  /api/v1/agent/checks?location=eu-west   → 200 {"location", "checks": [check, ...]}
//	POST /api/v1/agent/results                   {"id", "location", "results": [result, ...]}
//	                                             → 200 {"accepted", "duplicates", "ignored", "replayed"}
//
// Checks carry what their probe needs (kind, target, timings, the kind's
// settings, which may hold header secrets: hence a scope of its own) and
// nothing else. A batch's id is its idempotency key: a batch posted again
// gets the first answer and changes nothing. Within the server's memory
// of recent ids that is exact; beyond it (after a restart) each result
// not newer than the last one recorded for its check and location is
// skipped as a duplicate.

import (
	"context"
	"net/http"
	"regexp"
	"strings"
	"sync"

	"github.com/safetynet-dev/safetynet"
	"github.com/safetynet-dev/safetynet/status"
)

// Agents runs the checks of agent locations (monitor.Monitor).
type Agents interface {
	AgentChecks(location string) ([]status.Check, error)
	AgentResults(ctx context.Context, location string, results []status.Result) (status.AgentReport, error)
}

// The limits of a result batch.
const (
	maxAgentResults   = 1000
	maxAgentErrorText = 2000
	maxAgentValues    = 64
	// agentBatchMemory is how many batch ids the server remembers.
	agentBatchMemory = 4096
)

var (
	agentLocationRE = regexp.MustCompile(`^[a-z0-9][a-z0-9_-]{0,62}$`)
	agentBatchIDRE  = regexp.MustCompile(`^[A-Za-z0-9_-]{8,64}$`)
)

// agentTokenPrefix starts the name of a token bound to one location.
const agentTokenPrefix = "agent."

func init() {
	extraRoutes = append(extraRoutes, func(s *Server, mux *http.ServeMux) {
		a := &adminAPI{s: s}
		a.tokens, _ = s.store.(status.TokenStore)
		api := &agentAPI{a: a, seen: map[string]status.AgentReport{}}
		if ag, ok := s.heartbeats.(Agents); ok {
			api.agents = ag
		} else if ag, ok := s.store.(Agents); ok {
			api.agents = ag
		}
		mux.HandleFunc("GET /api/v1/agent/checks", a.auth(status.ScopeAgent, api.checks))
		mux.HandleFunc("POST /api/v1/agent/results", a.auth(status.ScopeAgent, api.results))
	})
}

type agentAPI struct {
	a      *adminAPI
	agents Agents

	mu    sync.Mutex
	seen  map[string]status.AgentReport // by location and batch id
	order []string                      // keys of seen, oldest first
}

// location checks a location name and that the token may act for it.
func agentLocation(loc string, tok status.Token) error {
	if !agentLocationRE.MatchString(loc) {
		return safetynet.Errorf(safetynet.EINVALID, "location %q must be lower-case letters, digits, '-' and '_'", loc)
	}
	if bound, ok := strings.CutPrefix(tok.Name, agentTokenPrefix); ok && bound != loc {
		return safetynet.Errorf(safetynet.EFORBIDDEN, "token %q may act for location %s only, not %s", tok.Name, bound, loc)
	}
	return nil
}

func (api *agentAPI) checks(w http.ResponseWriter, r *http.Request, tok status.Token) {
	if api.agents == nil {
		unavailable(w, "the agent API")
		return
	}
	loc := r.URL.Query().Get("location")
	if err := agentLocation(loc, tok); err != nil {
		api.a.s.writeError(w, r, err)
		return
	}
	checks, err := api.agents.AgentChecks(loc)
	if err != nil {
		api.a.s.writeError(w, r, err)
		return
	}
	out := status.AgentChecks{Location: loc, Checks: make([]status.Check, 0, len(checks))}
	for _, c := range checks {
		out.Checks = append(out.Checks, c.ForAgent())
	}
	w.Header().Set("Cache-Control", "no-store")
	writeJSON(w, http.StatusOK, out)
}

func (api *agentAPI) results(w http.ResponseWriter, r *http.Request, tok status.Token) {
	if api.agents == nil {
		unavailable(w, "the agent API")
		return
	}
	var b status.AgentBatch
	if err := decodeBody(r, &b); err != nil {
		api.a.s.writeError(w, r, err)
		return
	}
	if err := agentLocation(b.Location, tok); err != nil {
		api.a.s.writeError(w, r, err)
		return
	}
	if err := validBatch(&b); err != nil {
		api.a.s.writeError(w, r, err)
		return
	}
	key := b.Location + "/" + b.ID
	// Holding the lock over the recording makes a batch sent twice at once
	// (a retry racing a slow first attempt) count once.
	api.mu.Lock()
	defer api.mu.Unlock()
	if rep, ok := api.seen[key]; ok {
		rep.Replayed = true
		writeJSON(w, http.StatusOK, rep)
		return
	}
	rep, err := api.agents.AgentResults(r.Context(), b.Location, b.Results)
	if err != nil {
		api.a.s.writeError(w, r, err)
		return
	}
	api.seen[key] = rep
	api.order = append(api.order, key)
	if len(api.order) > agentBatchMemory {
		delete(api.seen, api.order[0])
		api.order = api.order[1:]
	}
	api.a.s.log.DebugContext(r.Context(), "agent results", "location", b.Location, "batch", b.ID,
		"accepted", rep.Accepted, "duplicates", rep.Duplicates, "ignored", rep.Ignored)
	writeJSON(w, http.StatusOK, rep)
}

// validBatch checks a batch's shape and bounds what one result may carry.
func validBatch(b *status.AgentBatch) error {
	if !agentBatchIDRE.MatchString(b.ID) {
		return safetynet.Errorf(safetynet.EINVALID, "batch id %q must be 8 to 64 letters, digits, '-' or '_'", b.ID)
	}
	if len(b.Results) > maxAgentResults {
		return safetynet.Errorf(safetynet.EINVALID, "a batch holds at most %d results, not %d", maxAgentResults, len(b.Results))
	}
	for i := range b.Results {
		res := &b.Results[i]
		if res.CheckID == "" || res.At.IsZero() {
			return safetynet.Errorf(safetynet.EINVALID, "result %d needs a check and a time", i)
		}
		if len(res.Values) > maxAgentValues || len(res.Conditions) > maxAgentValues {
			return safetynet.Errorf(safetynet.EINVALID, "result %d of %s carries more than %d values or conditions", i, res.CheckID, maxAgentValues)
		}
		if res.Location != "" && res.Location != b.Location {
			return safetynet.Errorf(safetynet.EINVALID, "result %d of %s is from %q, not the batch's location %s", i, res.CheckID, res.Location, b.Location)
		}
		res.Error = clipText(res.Error, maxAgentErrorText)
		res.Warning = clipText(res.Warning, maxAgentErrorText)
	}
	return nil
}

// clipText shortens s to at most n bytes without splitting a character.
func clipText(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && n < len(s) && s[n]&0xC0 == 0x80 {
		n--
	}
	return s[:n] + "…"
}
