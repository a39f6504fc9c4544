// Package demo is a small service to point checks at: health routes, a
// user-count metric, switches that make it fail, slow down or "lose users",
// and a webhook sink that keeps what notifiers send it. The example config
// runs against it with no setup (`safetynet demo-target`), and the server's
// end-to-end tests start it in-process.
package demo

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math"
	"math/rand/v2"
	"net"
	"net/http"
	"strconv"
	"sync"
	"time"
)

// Options tune the demo target; the zero value is the documented demo.
type Options struct {
	// Users is the usual user count; default 1000.
	Users int
	// Noise is the relative jitter of the user count, e.g. 0.01 for ±1%;
	// default 0.01. Negative means none.
	Noise float64
	// LostShare is the share of users left after /admin/lose-users;
	// default 0.05.
	LostShare float64
	// SlowDelay is the latency /admin/slow adds; default 1.5s.
	SlowDelay time.Duration
	// Seed makes the noise repeatable; 0 picks a random seed.
	Seed uint64
	// Logger gets a line per switch and per webhook; nil discards.
	Logger *slog.Logger
	// Now is the clock for webhook receipts; nil means time.Now.
	Now func() time.Time
	// Sleep waits d or until ctx ends; nil waits for real. Tests replace
	// it so "slow" needs no real waiting.
	Sleep func(ctx context.Context, d time.Duration) error
}

// MaxWebhooks is how many webhooks the sink keeps; older ones are dropped.
const MaxWebhooks = 100

// State is the target's switches and current user count.
type State struct {
	Failing   bool   `json:"failing"`
	Slow      bool   `json:"slow"`
	UsersLost bool   `json:"users_lost"`
	Users     int    `json:"users"`
	SlowDelay string `json:"slow_delay"`
}

// Webhook is one request received by the sink.
type Webhook struct {
	ID         int               `json:"id"`
	ReceivedAt time.Time         `json:"received_at"`
	Path       string            `json:"path"`
	Headers    map[string]string `json:"headers"`
	// Body is the JSON sent, or, when the body is not JSON, BodyText holds
	// it as text.
	Body     json.RawMessage `json:"body,omitempty"`
	BodyText string          `json:"body_text,omitempty"`
}

// Target is the demo service. Its methods are safe for concurrent use.
type Target struct {
	opts Options
	log  *slog.Logger

	mu        sync.Mutex
	rng       *rand.Rand
	failing   bool
	slow      bool
	usersLost bool
	hooks     []Webhook // oldest first, at most MaxWebhooks
	nextHook  int
}

// New returns a target with every switch off.
func New(opts Options) *Target {
	if opts.Users <= 0 {
		opts.Users = 1000
	}
	if opts.Noise == 0 {
		opts.Noise = 0.01
	}
	if opts.Noise < 0 {
		opts.Noise = 0
	}
	if opts.LostShare <= 0 || opts.LostShare > 1 {
		opts.LostShare = 0.05
	}
	if opts.SlowDelay <= 0 {
		opts.SlowDelay = 1500 * time.Millisecond
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.Sleep == nil {
		opts.Sleep = sleep
	}
	seed := opts.Seed
	if seed == 0 {
		seed = rand.Uint64()
	}
	log := opts.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Target{opts: opts, log: log, rng: rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15)), nextHook: 1}
}

func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// Users returns the current user count: the usual count (or its lost
// share) with a little noise, as a real gauge would wobble.
func (t *Target) Users() int {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.usersLocked()
}

func (t *Target) usersLocked() int {
	base := float64(t.opts.Users)
	if t.usersLost {
		base *= t.opts.LostShare
	}
	jitter := 1 + t.opts.Noise*(2*t.rng.Float64()-1)
	return int(math.Round(base * jitter))
}

// State returns the switches and a fresh user count.
func (t *Target) State() State {
	t.mu.Lock()
	defer t.mu.Unlock()
	return State{Failing: t.failing, Slow: t.slow, UsersLost: t.usersLost, Users: t.usersLocked(), SlowDelay: t.opts.SlowDelay.String()}
}

// SetFailing makes the public routes answer 503 (or serve again).
func (t *Target) SetFailing(on bool) { t.set(&t.failing, "failing", on) }

// SetSlow adds SlowDelay to every public route (or stops).
func (t *Target) SetSlow(on bool) { t.set(&t.slow, "slow", on) }

// SetUsersLost drops the user count to LostShare of its usual level while
// health stays green: the outage a health check cannot see.
func (t *Target) SetUsersLost(on bool) { t.set(&t.usersLost, "users_lost", on) }

// Reset turns every switch off. The webhook sink is kept: it is a record
// of what was sent, not a switch.
func (t *Target) Reset() {
	t.mu.Lock()
	t.failing, t.slow, t.usersLost = false, false, false
	t.mu.Unlock()
	t.log.Info("demo target: reset, all switches off")
}

func (t *Target) set(sw *bool, name string, on bool) {
	t.mu.Lock()
	*sw = on
	t.mu.Unlock()
	t.log.Info("demo target: switch", "switch", name, "on", on)
}

// Webhooks returns the kept webhooks, newest first.
func (t *Target) Webhooks() []Webhook {
	t.mu.Lock()
	defer t.mu.Unlock()
	out := make([]Webhook, len(t.hooks))
	for i, h := range t.hooks {
		out[len(out)-1-i] = h
	}
	return out
}

// Handler returns the target's routes.
func (t *Target) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /health", t.public(t.handleHealth))
	mux.HandleFunc("GET /ready", t.public(t.handleReady))
	mux.HandleFunc("GET /api/users/count", t.public(t.handleUsers))
	mux.HandleFunc("POST /admin/fail", t.handleSwitch(t.SetFailing))
	mux.HandleFunc("POST /admin/slow", t.handleSwitch(t.SetSlow))
	mux.HandleFunc("POST /admin/lose-users", t.handleSwitch(t.SetUsersLost))
	mux.HandleFunc("POST /admin/reset", func(w http.ResponseWriter, r *http.Request) {
		t.Reset()
		writeJSON(w, http.StatusOK, t.State())
	})
	mux.HandleFunc("GET /admin/state", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusOK, t.State())
	})
	mux.HandleFunc("POST /admin/webhook-sink", t.handleSinkPost)
	mux.HandleFunc("POST /admin/webhook-sink/{name}", t.handleSinkPost)
	mux.HandleFunc("GET /admin/webhook-sink", func(w http.ResponseWriter, r *http.Request) {
		hooks := t.Webhooks()
		writeJSON(w, http.StatusOK, map[string]any{"count": len(hooks), "webhooks": hooks})
	})
	return mux
}

// public wraps a customer-facing route with the slow and fail switches.
func (t *Target) public(h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		t.mu.Lock()
		slow, failing := t.slow, t.failing
		t.mu.Unlock()
		if slow {
			if err := t.opts.Sleep(r.Context(), t.opts.SlowDelay); err != nil {
				return // the client gave up
			}
		}
		if failing {
			writeJSON(w, http.StatusServiceUnavailable, map[string]string{"status": "DOWN"})
			return
		}
		h(w, r)
	}
}

func (t *Target) handleHealth(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, map[string]any{"status": "UP", "users": t.Users()})
}

func (t *Target) handleReady(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, map[string]string{"status": "READY"})
}

func (t *Target) handleUsers(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, map[string]int{"users": t.Users()})
}

// handleSwitch turns a switch on, or off with ?on=false.
func (t *Target) handleSwitch(set func(bool)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		on := true
		if v := r.URL.Query().Get("on"); v != "" {
			b, err := strconv.ParseBool(v)
			if err != nil {
				writeJSON(w, http.StatusBadRequest, map[string]string{"error": fmt.Sprintf("on=%q is not a boolean", v)})
				return
			}
			on = b
		}
		set(on)
		writeJSON(w, http.StatusOK, t.State())
	}
}

// maxWebhookBody bounds what one webhook may make the sink keep.
const maxWebhookBody = 1 << 20

// handleSinkPost keeps a webhook and answers "ok", which is also what a
// Slack incoming webhook answers, so every notifier kind is satisfied.
func (t *Target) handleSinkPost(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxWebhookBody))
	if err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			http.Error(w, "body too large", http.StatusRequestEntityTooLarge)
			return
		}
		http.Error(w, "read body: "+err.Error(), http.StatusBadRequest)
		return
	}
	h := Webhook{ReceivedAt: t.opts.Now().UTC(), Path: r.URL.Path, Headers: map[string]string{}}
	for k, v := range r.Header {
		switch k {
		case "Authorization", "Cookie", "Proxy-Authorization":
			h.Headers[k] = "[redacted]"
		default:
			h.Headers[k] = v[0]
		}
	}
	if trimmed := bytes.TrimSpace(body); json.Valid(trimmed) && len(trimmed) > 0 {
		h.Body = json.RawMessage(trimmed)
	} else {
		h.BodyText = string(body)
	}
	t.mu.Lock()
	h.ID = t.nextHook
	t.nextHook++
	t.hooks = append(t.hooks, h)
	if len(t.hooks) > MaxWebhooks {
		t.hooks = append(t.hooks[:0:0], t.hooks[len(t.hooks)-MaxWebhooks:]...)
	}
	t.mu.Unlock()
	t.log.Info("demo target: webhook received", "id", h.ID, "path", h.Path, "bytes", len(body), "content_type", r.Header.Get("Content-Type"))
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	io.WriteString(w, "ok")
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

// Serve serves the target on ln until ctx ends, then shuts down, giving
// requests in flight a few seconds.
func (t *Target) Serve(ctx context.Context, ln net.Listener) error {
	srv := &http.Server{
		Handler:           t.Handler(),
		ReadHeaderTimeout: 5 * time.Second,
		IdleTimeout:       60 * time.Second,
		ErrorLog:          slog.NewLogLogger(t.log.Handler(), slog.LevelWarn),
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		<-ctx.Done()
		sctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
		defer cancel()
		_ = srv.Shutdown(sctx)
	}()
	err := srv.Serve(ln)
	if errors.Is(err, http.ErrServerClosed) {
		<-done
		return nil
	}
	return fmt.Errorf("demo: serve: %w", err)
}

// Start listens on addr ("127.0.0.1:0" for any free port) and serves in
// the background until ctx ends. It returns the bound address.
func (t *Target) Start(ctx context.Context, addr string) (string, error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return "", fmt.Errorf("demo: listen: %w", err)
	}
	go func() {
		if err := t.Serve(ctx, ln); err != nil {
			t.log.Error("demo target stopped", "err", err)
		}
	}()
	return ln.Addr().String(), nil
}

// Start runs a demo target with the default options on addr until ctx
// ends, and returns the bound address.
func Start(ctx context.Context, addr string) (string, error) {
	return New(Options{}).Start(ctx, addr)
}
