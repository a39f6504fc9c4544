package web

// # AWS events
//
//	POST /api/v1/events/aws   one EventBridge event, as an API destination sends it → 202 {"kind", "state", "actions"}
//
// An EventBridge API destination authenticates through its connection. The
// connection's API key authorization sends a header of the name it is given
// with the key as its value: name it X-Api-Key and give it an API token with
// the ingest scope. "Authorization: Bearer <token>" works too (a connection
// with API key name Authorization and value "Bearer <token>"). The token's
// name is recorded with what the event causes.

import (
	"io"
	"net/http"
	"strings"

	"github.com/safetynet-dev/safetynet/status"
)

// apiKeyHeader is the header EventBridge connections are documented here
// to use for the token.
const apiKeyHeader = "X-Api-Key"

func init() {
	extraRoutes = append(extraRoutes, func(s *Server, mux *http.ServeMux) {
		a := &adminAPI{s: s}
		a.tokens, _ = s.store.(status.TokenStore)
		e := &eventsAPI{a: a}
		e.releases, _ = s.store.(Releases)
		mux.HandleFunc("POST /api/v1/events/aws", withAPIKey(a.auth(status.ScopeIngest, e.aws)))
	})
}

type eventsAPI struct {
	a        *adminAPI
	releases Releases
}

// withAPIKey lets a request carry its token in X-Api-Key, as an EventBridge
// connection sends it, by presenting it as a bearer token to the usual
// check. An Authorization header, when present, wins.
func withAPIKey(h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if key := strings.TrimSpace(r.Header.Get(apiKeyHeader)); key != "" && r.Header.Get("Authorization") == "" {
			r = r.Clone(r.Context())
			r.Header.Set("Authorization", "Bearer "+key)
			r.Header.Del(apiKeyHeader)
		}
		h(w, r)
	}
}

func (e *eventsAPI) aws(w http.ResponseWriter, r *http.Request, tok status.Token) {
	if e.releases == nil {
		unavailable(w, "AWS events")
		return
	}
	body, err := io.ReadAll(r.Body)
	if err != nil {
		e.a.s.writeError(w, r, err)
		return
	}
	h, err := e.releases.HandleAWS(r.Context(), body, tok.Name)
	if err != nil {
		e.a.s.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusAccepted, h)
}
