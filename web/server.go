package web

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/netip"
	"strings"
	"sync/atomic"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/safetynet-dev/safetynet"
	"github.com/safetynet-dev/safetynet/status"
)

// Ingester stores pushed metric samples. The samples it gets are valid and
// carry a time.
type Ingester interface {
	Ingest(ctx context.Context, samples []status.Sample) error
}

// Heartbeats records that the job holding token called in. It returns a
// *safetynet.Error with code ENOTFOUND for a token no heartbeat check has.
type Heartbeats interface {
	Heartbeat(ctx context.Context, token string, at time.Time) error
}

// Dashboard gives the current view of components, checks and alerts.
type Dashboard interface {
	Snapshot(ctx context.Context) (Snapshot, error)
}

// Pinger reports whether the store answers (status.Store has it).
type Pinger interface {
	Ping(ctx context.Context) error
}

// Options are what the server needs from the rest of the program. Any of
// the interfaces may be nil: its routes then answer 503, so a partly wired
// server (or a test) still serves the rest.
type Options struct {
	Ingester   Ingester
	Heartbeats Heartbeats
	Dashboard  Dashboard
	Pinger     Pinger
	// Ready reports a reason not to take traffic besides the store (the
	// config is not loaded yet); nil means ready. Nil func: always ready.
	Ready func(ctx context.Context) error
	// Registry receives the HTTP metrics and is served on /metrics. Nil
	// makes a private registry.
	Registry *prometheus.Registry
	Logger   *slog.Logger
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// IngestTokens maps the SHA-256 hex digest of each ingest token (see
	// status.HashToken) to the token's name, which logs show instead of the token.
	IngestTokens map[string]string
	// OpenRead makes the read routes (dashboard, components, checks) open
	// to anyone who reaches the listener; set it for loopback listeners.
	OpenRead bool
	// MaxBodyBytes limits request bodies; 0 means 1 MiB.
	MaxBodyBytes int64
	// Public feeds the Statuspage-compatible API under /api/v2/.
	Public PublicSource
	// Reporter records customer reports.
	Reporter Reporter
	// IncidentChanged is told after a person creates, updates or edits an
	// incident through the API, so subscribers hear about public ones.
	IncidentChanged func(ctx context.Context, id int64)
	// Store is the server's store (store.DB in serve). Feature files ask it
	// for the small interface they need with a type assertion, so a feature
	// whose methods the store lacks answers 503 rather than failing to build.
	Store any
	// PublicCacheTTL is how long public answers are reused (default 2s).
	PublicCacheTTL time.Duration
	// TrustedProxies are the reverse proxies whose X-Forwarded-For and
	// X-Forwarded-Proto are believed (see ParseTrustedProxies). Without
	// them the client is RemoteAddr and HTTPS means a TLS connection.
	TrustedProxies []netip.Prefix
	// RateLimit bounds requests per client address on the public routes;
	// the zero value is a generous default (see RateLimit).
	RateLimit RateLimit
}

// incidentChanged calls the IncidentChanged hook; its failures are logged,
// since the change itself is stored and subscribers are a best effort
// that the outbox retries.
func (s *Server) incidentChanged(ctx context.Context, id int64) {
	if s.onIncident != nil {
		s.onIncident(ctx, id)
	}
}

// extraRoutes lets each feature file of this package register its own
// routes from an init function, so features are added without editing the
// route table here.
var extraRoutes []func(s *Server, mux *http.ServeMux)

// Server is the HTTP adapter. Build it with New; serve Handler.
type Server struct {
	ingester   Ingester
	heartbeats Heartbeats
	dashboard  Dashboard
	pinger     Pinger
	ready      func(context.Context) error
	registry   *prometheus.Registry
	log        *slog.Logger
	now        func() time.Time
	openRead   bool
	maxBody    int64

	public      PublicSource
	publicCache *publicCache
	reporter    Reporter
	store       any
	onIncident  func(ctx context.Context, id int64)

	proxies       []netip.Prefix
	limiter       *ipLimiter
	authFails     *ipLimiter
	limitLoopback bool

	tokens atomic.Pointer[tokenSet]
	m      *httpMetrics
	h      http.Handler
}

// DefaultMaxBodyBytes is the request body limit unless Options say else.
const DefaultMaxBodyBytes = 1 << 20

// New returns a server for opts. A malformed token digest is logged and
// leaves the server with no ingest tokens (every push gets 401) rather than
// failing start: config validation is where that error belongs.
func New(opts Options) *Server {
	ttl := opts.PublicCacheTTL
	if ttl <= 0 {
		ttl = 2 * time.Second
	}
	s := &Server{
		public:      opts.Public,
		reporter:    opts.Reporter,
		store:       opts.Store,
		onIncident:  opts.IncidentChanged,
		publicCache: &publicCache{ttl: ttl},
		ingester:    opts.Ingester,
		heartbeats:  opts.Heartbeats,
		dashboard:   opts.Dashboard,
		pinger:      opts.Pinger,
		ready:       opts.Ready,
		registry:    opts.Registry,
		log:         opts.Logger,
		now:         opts.Now,
		openRead:    opts.OpenRead,
		maxBody:     opts.MaxBodyBytes,
	}
	if s.log == nil {
		s.log = slog.New(slog.DiscardHandler)
	}
	if s.now == nil {
		s.now = time.Now
	}
	// Reads of the public data are tracked so the page and /readyz can
	// say when what the cache serves is old (see stale.go).
	s.public = trackPublic(s.public, s.now)
	if s.registry == nil {
		s.registry = prometheus.NewRegistry()
	}
	if s.maxBody <= 0 {
		s.maxBody = DefaultMaxBodyBytes
	}
	if err := s.SetIngestTokens(opts.IngestTokens); err != nil {
		s.log.Error("ingest tokens", "err", err)
	}
	s.proxies = opts.TrustedProxies
	// The limiter keeps real time, not the injectable clock: it is about
	// load now, and a test's frozen clock would never refill a bucket.
	s.limiter = newIPLimiter(opts.RateLimit, nil)
	if !opts.RateLimit.Disabled {
		s.authFails = newIPLimiter(RateLimit{PerSecond: authFailsPerSecond, Burst: authFailsBurst}, nil)
	}
	s.limitLoopback = opts.RateLimit.LimitLoopback
	s.m = newHTTPMetrics(s.registry)
	s.h = s.routes()
	return s
}

// SetIngestTokens replaces the ingest tokens (on a config reload) without
// dropping requests in flight. On a malformed digest it keeps the old set.
func (s *Server) SetIngestTokens(hashed map[string]string) error {
	ts, err := newTokenSet(hashed)
	if err != nil {
		if s.tokens.Load() == nil {
			s.tokens.Store(&tokenSet{})
		}
		return fmt.Errorf("web: %w", err)
	}
	s.tokens.Store(&ts)
	return nil
}

// Handler returns the server's routes with the security headers, limits,
// metrics and logging around them.
func (s *Server) Handler() http.Handler { return s.h }

func (s *Server) routes() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /healthz", s.handleHealthz)
	mux.HandleFunc("GET /readyz", s.handleReadyz)
	mux.Handle("GET /metrics", promhttp.HandlerFor(s.registry, promhttp.HandlerOpts{
		ErrorLog:          slog.NewLogLogger(s.log.Handler(), slog.LevelError),
		EnableOpenMetrics: true,
	}))
	mux.HandleFunc("POST /api/v1/metrics", s.requireToken(s.handleIngest))
	// GET (and HEAD, which GET patterns match) as well as POST: a cron job
	// with only wget or a monitoring agent that can only fetch URLs can
	// still call in. The token in the path is the secret, so Referrer-Policy
	// keeps it out of Referer headers and the request log shows the route
	// pattern only.
	mux.HandleFunc("POST /api/v1/reports", s.requireToken(s.handleReport))
	mux.HandleFunc("POST /api/v1/heartbeat/{token}", s.handleHeartbeat)
	mux.HandleFunc("GET /api/v1/heartbeat/{token}", s.handleHeartbeat)
	mux.HandleFunc("GET /api/v1/components", s.requireRead(s.handleComponents, false))
	mux.HandleFunc("GET /api/v1/checks", s.requireRead(s.handleChecks, false))
	mux.HandleFunc("GET /api/v1/snapshot", s.requireRead(s.handleSnapshot, false))
	for _, e := range publicEndpoints {
		mux.HandleFunc("GET /api/v2/"+e, s.handlePublic(e))
	}
	for _, add := range extraRoutes {
		add(s, mux)
	}
	mux.HandleFunc("GET /static/{file}", s.handleStatic)
	mux.HandleFunc("GET /dashboard", s.requireRead(s.handleDashboard, true))
	mux.HandleFunc("GET /{$}", s.handlePublicPage)
	mux.HandleFunc("GET /incidents/{id}", s.handleIncidentPage)
	return s.middleware(jsonAPIErrors(mux))
}

// jsonAPIErrors makes the mux's own 404 and 405 answers under /api/ JSON
// like every other API error, keeping the mux's Allow header.
func jsonAPIErrors(mux *http.ServeMux) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if _, pattern := mux.Handler(r); pattern != "" || !strings.HasPrefix(r.URL.Path, "/api/") {
			mux.ServeHTTP(w, r)
			return
		}
		rec := &discardWriter{h: http.Header{}}
		mux.ServeHTTP(rec, r)
		switch allow := rec.h.Get("Allow"); rec.code {
		case http.StatusMethodNotAllowed:
			w.Header().Set("Allow", allow)
			writeJSON(w, rec.code, errorBody{errorDetail{"method_not_allowed", r.Method + " is not allowed here; use " + allow}})
		default:
			writeJSON(w, http.StatusNotFound, errorBody{errorDetail{safetynet.ENOTFOUND, "no such API route"}})
		}
	})
}

// discardWriter keeps the status and headers of the mux's plain-text
// error answers and drops their body.
type discardWriter struct {
	h    http.Header
	code int
}

func (d *discardWriter) Header() http.Header         { return d.h }
func (d *discardWriter) Write(b []byte) (int, error) { return len(b), nil }
func (d *discardWriter) WriteHeader(code int)        { d.code = code }

// unavailable answers a route whose backing service is not wired in.
func unavailable(w http.ResponseWriter, what string) {
	writeJSON(w, http.StatusServiceUnavailable, errorBody{errorDetail{"unavailable", what + " is not available on this server"}})
}

func (s *Server) handleHealthz(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	io.WriteString(w, "ok\n")
}

// readyTimeout bounds /readyz so a hung database makes it fail rather than
// hang the orchestrator's probe.
const readyTimeout = 2 * time.Second

func (s *Server) handleReadyz(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	ctx, cancel := context.WithTimeout(r.Context(), readyTimeout)
	defer cancel()
	if s.ready != nil {
		if err := s.ready(ctx); err != nil {
			w.WriteHeader(http.StatusServiceUnavailable)
			fmt.Fprintf(w, "not ready: %v\n", err)
			return
		}
	}
	if s.pinger == nil {
		w.WriteHeader(http.StatusServiceUnavailable)
		io.WriteString(w, "not ready: no store\n")
		return
	}
	if err := s.pinger.Ping(ctx); err != nil {
		// The reason goes to whoever probes readiness: an operator or an
		// orchestrator on the inside, so the store's error text is useful
		// there, and it is logged for the record.
		s.log.WarnContext(r.Context(), "not ready: store does not answer", "err", err)
		w.WriteHeader(http.StatusServiceUnavailable)
		if errors.Is(err, context.DeadlineExceeded) {
			fmt.Fprintf(w, "not ready: store did not answer within %s\n", readyTimeout)
		} else {
			fmt.Fprintf(w, "not ready: store: %v\n", err)
		}
		s.writeStale(w)
		return
	}
	io.WriteString(w, "ok\n")
	// Serving old public data is not a reason to take this server out of
	// rotation (every server reads the same database), but it is said.
	s.writeStale(w)
}

// writeStale adds the stale-data line to a /readyz answer.
func (s *Server) writeStale(w io.Writer) {
	if st, stale := s.stale(); stale {
		io.WriteString(w, staleLine(st, s.now()))
	}
}

// LoopbackOnly reports whether a listen address accepts connections from
// this machine alone (127.0.0.0/8, ::1 or localhost), which is when the
// serve command may set OpenRead. An empty host (":8080") listens on every
// interface and is not loopback.
func LoopbackOnly(addr string) bool {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return false
	}
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}
