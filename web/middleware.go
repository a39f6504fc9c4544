package web

import (
	"context"
	"net/http"
	"runtime/debug"
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// securityHeaders are set on every answer. The CSP allows only our own
// files: the dashboard has no inline script or style and loads nothing from
// elsewhere. no-referrer because heartbeat URLs carry their token.
var securityHeaders = map[string]string{
	"Content-Security-Policy": "default-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
	"X-Content-Type-Options":  "nosniff",
	"Referrer-Policy":         "no-referrer",
	"X-Frame-Options":         "DENY",
}

// reqInfo carries what handlers learn about a request back to the
// middleware's log line.
type reqInfo struct {
	token string // the token's name, never the token
}

// tokenName returns the name of the token the request authenticated with.
func tokenName(r *http.Request) string {
	if ri, ok := r.Context().Value(reqInfoKey{}).(*reqInfo); ok {
		return ri.token
	}
	return ""
}

type reqInfoKey struct{}

func setTokenName(r *http.Request, name string) {
	if ri, ok := r.Context().Value(reqInfoKey{}).(*reqInfo); ok {
		ri.token = name
	}
}

// statusRecorder remembers the status code for metrics and logs.
type statusRecorder struct {
	http.ResponseWriter
	code int
}

func (w *statusRecorder) WriteHeader(code int) {
	if w.code == 0 {
		w.code = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusRecorder) Write(b []byte) (int, error) {
	if w.code == 0 {
		w.code = http.StatusOK
	}
	return w.ResponseWriter.Write(b)
}

// Unwrap lets http.ResponseController reach the real writer (flush,
// deadlines).
func (w *statusRecorder) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// middleware wraps the mux: headers, body limit, panic recovery, metrics
// and one log line per request. Logs and metrics name the route pattern,
// never the path, so heartbeat tokens in paths stay out of both and the
// label set stays bounded.
func (s *Server) middleware(mux http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		h := w.Header()
		for k, v := range securityHeaders {
			h.Set(k, v)
		}
		if r.Body != nil {
			r.Body = http.MaxBytesReader(w, r.Body, s.maxBody)
		}
		ri := &reqInfo{}
		r = r.WithContext(context.WithValue(r.Context(), reqInfoKey{}, ri))
		rec := &statusRecorder{ResponseWriter: w}
		defer func() {
			if p := recover(); p != nil {
				if p == http.ErrAbortHandler {
					panic(p)
				}
				s.log.ErrorContext(r.Context(), "panic serving request", "route", r.Pattern, "method", r.Method, "panic", p, "stack", string(debug.Stack()))
				if rec.code == 0 {
					writeJSON(rec, http.StatusInternalServerError, errorBody{errorDetail{"internal", "internal error"}})
				}
			}
			code := rec.code
			if code == 0 {
				code = http.StatusOK
			}
			route := r.Pattern
			if route == "" {
				route = "unmatched"
			}
			d := time.Since(start)
			s.m.requests.With(prometheus.Labels{"route": route, "code": strconv.Itoa(code)}).Inc()
			s.m.duration.With(prometheus.Labels{"route": route}).Observe(d.Seconds())
			attrs := []any{"method", r.Method, "route", route, "status", code, "duration", d}
			if ri.token != "" {
				attrs = append(attrs, "token", ri.token)
			}
			if code >= 500 {
				s.log.WarnContext(r.Context(), "http request", attrs...)
			} else {
				s.log.DebugContext(r.Context(), "http request", attrs...)
			}
		}()
		mux.ServeHTTP(rec, r)
	})
}

// httpMetrics are the request series, labelled by route pattern.
type httpMetrics struct {
	requests *prometheus.CounterVec
	duration *prometheus.HistogramVec
	// samples counts accepted pushed samples by token name (a bounded,
	// configured set), so a pipeline that stopped pushing shows.
	samples *prometheus.CounterVec
	// heartbeats counts heartbeats by result: ok, unknown (no such
	// token), error.
	heartbeats *prometheus.CounterVec
}

func newHTTPMetrics(reg *prometheus.Registry) *httpMetrics {
	m := &httpMetrics{
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "safetynet_http_requests_total",
			Help: "HTTP requests served, by route pattern and status code.",
		}, []string{"route", "code"}),
		duration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "safetynet_http_request_duration_seconds",
			Help:    "Time to serve HTTP requests, by route pattern.",
			Buckets: []float64{.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5},
		}, []string{"route"}),
		samples: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "safetynet_ingest_samples_total",
			Help: "Metric samples accepted through the API, by ingest token name.",
		}, []string{"token"}),
		heartbeats: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "safetynet_heartbeat_requests_total",
			Help: "Heartbeat calls, by result (ok, unknown, error).",
		}, []string{"result"}),
	}
	m.requests = register(reg, m.requests)
	m.duration = register(reg, m.duration)
	m.samples = register(reg, m.samples)
	m.heartbeats = register(reg, m.heartbeats)
	return m
}

// register adds c to reg, or returns the collector already there: a server
// rebuilt on reload with the same registry keeps counting the same series
// instead of panicking.
func register[C prometheus.Collector](reg *prometheus.Registry, c C) C {
	if err := reg.Register(c); err != nil {
		if are, ok := err.(prometheus.AlreadyRegisteredError); ok {
			if existing, ok := are.ExistingCollector.(C); ok {
				return existing
			}
		}
		panic("web: register metric: " + err.Error())
	}
	return c
}
