package web

import (
	"context"
	"net/http"
	"net/netip"
	"runtime/debug"
	"strconv"
	"strings"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/safetynet-dev/safetynet"
)

// The security headers of every answer, as header-map values built once
// (the middleware runs on every request, so it sets the map entries
// directly rather than through Header.Set).
//
// The CSP allows only our own files: no page has inline script or style,
// event handler attributes or anything loaded from elsewhere (a test checks
// every HTML route), so a script that got into incident text could neither
// run nor call out, and an image in Markdown from another host is not
// fetched (no tracking pixels). no-referrer because heartbeat, ack and
// unsubscribe URLs carry their token.
var securityHeaders = [...]struct {
	key string
	val []string
}{
	{"Content-Security-Policy", []string{"default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; " +
		"object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"}},
	{"X-Content-Type-Options", []string{"nosniff"}},
	{"Referrer-Policy", []string{"no-referrer"}},
	{"X-Frame-Options", []string{"DENY"}},
	{"Permissions-Policy", []string{"accelerometer=(), camera=(), geolocation=(), gyroscope=(), microphone=(), payment=(), usb=()"}},
	{"Cross-Origin-Opener-Policy", []string{"same-origin"}},
}

// hsts is sent only on answers that went out over HTTPS (directly or from
// a trusted proxy): over plain HTTP a browser ignores it, and a server
// reached by IP over HTTP must not pin anything. No includeSubDomains: the
// status page must not decide for the rest of the domain.
var hsts = []string{"max-age=31536000"}

// maxFormBytes limits form posts (the admin UI, subscribe, ack): the
// largest field is an incident update of at most 20,000 bytes, which
// percent-encoding can triple.
const maxFormBytes = 128 << 10

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

// statusRecorder remembers the status code for metrics and logs. On a
// request that came over HTTPS it marks every cookie Secure just before the
// headers go out, so no handler can forget to.
type statusRecorder struct {
	http.ResponseWriter
	code   int
	secure bool
}

func (w *statusRecorder) WriteHeader(code int) {
	if w.code == 0 {
		w.code = code
		w.beforeHeaders()
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusRecorder) Write(b []byte) (int, error) {
	if w.code == 0 {
		w.code = http.StatusOK
		w.beforeHeaders()
	}
	return w.ResponseWriter.Write(b)
}

func (w *statusRecorder) beforeHeaders() {
	if !w.secure {
		return
	}
	cs := w.ResponseWriter.Header()["Set-Cookie"]
	for i, c := range cs {
		if !hasCookieAttr(c, "secure") {
			cs[i] = c + "; Secure"
		}
	}
}

// hasCookieAttr reports whether a Set-Cookie value carries the attribute.
func hasCookieAttr(cookie, attr string) bool {
	for _, part := range strings.Split(cookie, ";")[1:] {
		name, _, _ := strings.Cut(strings.TrimSpace(part), "=")
		if strings.EqualFold(name, attr) {
			return true
		}
	}
	return false
}

// Unwrap lets http.ResponseController reach the real writer (flush,
// deadlines).
func (w *statusRecorder) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// ParseTrustedProxies reads the addresses of trusted reverse proxies, each a
// CIDR prefix ("10.0.0.0/8") or a single address ("192.0.2.7"), for
// Options.TrustedProxies. The error names the entry that is wrong.
func ParseTrustedProxies(entries []string) ([]netip.Prefix, error) {
	out := make([]netip.Prefix, 0, len(entries))
	for i, e := range entries {
		e = strings.TrimSpace(e)
		if p, err := netip.ParsePrefix(e); err == nil {
			out = append(out, p.Masked())
			continue
		}
		a, err := netip.ParseAddr(e)
		if err != nil {
			return nil, safetynet.Errorf(safetynet.EINVALID, "trusted proxy %d (%q): want an IP address or a CIDR prefix such as 10.0.0.0/8", i+1, e)
		}
		a = a.Unmap()
		out = append(out, netip.PrefixFrom(a, a.BitLen()))
	}
	return out, nil
}

// trusted reports whether ip is one of Options.TrustedProxies.
func (s *Server) trusted(ip netip.Addr) bool {
	ip = ip.Unmap()
	for _, p := range s.proxies {
		if p.Contains(ip) {
			return true
		}
	}
	return false
}

// client returns the address of the request's client and whether the
// client's connection is HTTPS. The peer's word is taken only when the peer
// is a trusted proxy: then the client is the right-most address of
// X-Forwarded-For that is not itself a trusted proxy (each proxy appends
// the address it saw, so the entries left of the last untrusted one could
// have been made up by the client), and X-Forwarded-Proto says the scheme.
// Anyone else gets RemoteAddr and r.TLS: a header cannot make a request
// look as if it came from somewhere else or over HTTPS.
func (s *Server) client(r *http.Request) (netip.Addr, bool) {
	ap, err := netip.ParseAddrPort(r.RemoteAddr)
	if err != nil {
		return netip.Addr{}, r.TLS != nil
	}
	peer, secure := ap.Addr().Unmap(), r.TLS != nil
	if len(s.proxies) == 0 || !s.trusted(peer) {
		return peer, secure
	}
	ip := peer
	hops := r.Header.Values("X-Forwarded-For")
	for i := len(hops) - 1; i >= 0; i-- {
		parts := strings.Split(hops[i], ",")
		for j := len(parts) - 1; j >= 0; j-- {
			a, ok := parseHop(parts[j])
			if !ok {
				// A hop we cannot read ends the walk at the last good one.
				return ip, forwardedProto(r, secure)
			}
			ip = a
			if !s.trusted(a) {
				return ip, forwardedProto(r, secure)
			}
		}
	}
	return ip, forwardedProto(r, secure)
}

// parseHop reads one X-Forwarded-For entry: an address, or an address with
// a port as some proxies write it.
func parseHop(s string) (netip.Addr, bool) {
	s = strings.TrimSpace(s)
	if a, err := netip.ParseAddr(s); err == nil {
		return a.Unmap(), true
	}
	if ap, err := netip.ParseAddrPort(s); err == nil {
		return ap.Addr().Unmap(), true
	}
	return netip.Addr{}, false
}

// forwardedProto is the scheme the nearest trusted proxy reports (the last
// X-Forwarded-Proto entry), or the connection's own without one.
func forwardedProto(r *http.Request, secure bool) bool {
	vs := r.Header.Values("X-Forwarded-Proto")
	if len(vs) == 0 {
		return secure
	}
	last := vs[len(vs)-1]
	if i := strings.LastIndexByte(last, ','); i >= 0 {
		last = last[i+1:]
	}
	return strings.EqualFold(strings.TrimSpace(last), "https")
}

// tooLarge answers a request whose declared body is over its limit before
// any handler reads it, so every POST, PUT and PATCH route refuses the
// same way whatever it does with its body.
func tooLarge(w http.ResponseWriter, r *http.Request, limit int64) {
	w.Header().Set("Connection", "close")
	if strings.HasPrefix(r.URL.Path, "/api/") {
		writeJSON(w, http.StatusRequestEntityTooLarge, errorBody{errorDetail{codeTooLarge, "request body is larger than " + byteSize(limit)}})
		return
	}
	http.Error(w, "The request is too large (at most "+byteSize(limit)+").", http.StatusRequestEntityTooLarge)
}

// bodyLimit is the body limit of a request: the server's limit, and less
// for forms, which people type.
func (s *Server) bodyLimit(r *http.Request) int64 {
	ct := r.Header.Get("Content-Type")
	if len(ct) >= 19 && (strings.EqualFold(ct[:19], "multipart/form-data") ||
		len(ct) >= 33 && strings.EqualFold(ct[:33], "application/x-www-form-urlencoded")) {
		return min(s.maxBody, maxFormBytes)
	}
	return s.maxBody
}

// middleware wraps the mux: client address, headers, rate and body
// limits, panic recovery, metrics and one log line per request. Logs and
// metrics name the route pattern, never the path, so heartbeat tokens in
// paths stay out of both and the label set stays bounded.
//
// Behind a trusted proxy the request's RemoteAddr is replaced by the
// client's address, so every handler that limits or logs by address (the
// login and signup limits) sees the client and not the proxy.
func (s *Server) middleware(mux http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		ip, secure := s.client(r)
		if ip.IsValid() && len(s.proxies) > 0 {
			if ap, err := netip.ParseAddrPort(r.RemoteAddr); err == nil && ap.Addr().Unmap() != ip {
				r.RemoteAddr = netip.AddrPortFrom(ip, ap.Port()).String()
			}
		}
		h := w.Header()
		for _, sh := range securityHeaders {
			h[sh.key] = sh.val
		}
		if secure {
			h["Strict-Transport-Security"] = hsts
		}
		ri := &reqInfo{}
		r = r.WithContext(context.WithValue(r.Context(), reqInfoKey{}, ri))
		rec := &statusRecorder{ResponseWriter: w, secure: secure}
		route := ""
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
			if route == "" {
				route = r.Pattern
			}
			if route == "" {
				route = "unmatched"
			}
			d := time.Since(start)
			s.m.requests.With(prometheus.Labels{"route": route, "code": strconv.Itoa(code)}).Inc()
			s.m.duration.With(prometheus.Labels{"route": route}).Observe(d.Seconds())
			attrs := []any{"method", r.Method, "route", route, "status", code, "duration", d, "client", ip}
			if ri.token != "" {
				attrs = append(attrs, "token", ri.token)
			}
			if code >= 500 {
				s.log.WarnContext(r.Context(), "http request", attrs...)
			} else {
				s.log.DebugContext(r.Context(), "http request", attrs...)
			}
		}()
		limitable := ip.IsValid() && (s.limitLoopback || !ip.IsLoopback())
		public := rateLimited(r.URL.Path)
		if s.limiter != nil && limitable && public {
			if ok, wait := s.limiter.allow(ip); !ok {
				route = "rate_limited"
				tooManyRequests(rec, r, wait)
				return
			}
		}
		if s.authFails != nil && limitable && !public {
			if ok, wait := s.authFails.peek(ip); !ok {
				route = "rate_limited"
				tooManyRequests(rec, r, wait)
				return
			}
			defer func() {
				if rec.code == http.StatusUnauthorized {
					s.authFails.allow(ip)
				}
			}()
		}
		if r.Body != nil && r.Body != http.NoBody {
			limit := s.bodyLimit(r)
			if r.ContentLength > limit {
				route = "too_large"
				tooLarge(rec, r, limit)
				return
			}
			r.Body = http.MaxBytesReader(w, r.Body, limit)
		}
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
