package web_test

// The security tests of the whole HTTP surface. Routes are read from the
// package's source (every mux.HandleFunc and mux.Handle call), not listed
// here by hand, so a route added without authentication, CSRF protection or
// a body limit fails these tests the day it is added. Deliberate exceptions
// are listed with their reason.

import (
	"context"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"html"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	cdplog "github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
	"golang.org/x/crypto/bcrypt"

	"github.com/safetynet-dev/safetynet/status"
	"github.com/safetynet-dev/safetynet/web"
)

// route is one registered pattern, split into method and path.
type route struct {
	method, path string
	at           string // file:line, for messages
}

func (r route) String() string { return r.method + " " + r.path }

// registeredRoutes parses the package's non-test files and returns every
// pattern passed to HandleFunc or Handle. A pattern that is not a string
// literal is reported with its literal prefix and a trailing "*".
func registeredRoutes(t *testing.T) []route {
	t.Helper()
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	var out []route
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		file, err := parser.ParseFile(fset, f, nil, 0)
		if err != nil {
			t.Fatalf("parse %s: %v", f, err)
		}
		ast.Inspect(file, func(n ast.Node) bool {
			call, ok := n.(*ast.CallExpr)
			if !ok || len(call.Args) < 2 {
				return true
			}
			sel, ok := call.Fun.(*ast.SelectorExpr)
			if !ok || (sel.Sel.Name != "HandleFunc" && sel.Sel.Name != "Handle") {
				return true
			}
			pattern, ok := literal(call.Args[0])
			if !ok {
				return true
			}
			method, path, found := strings.Cut(pattern, " ")
			if !found {
				method, path = "", pattern
			}
			out = append(out, route{method: method, path: path, at: fset.Position(call.Pos()).String()})
			return true
		})
	}
	if len(out) < 30 {
		t.Fatalf("found only %d routes in the source; the route reader is broken", len(out))
	}
	return out
}

// literal returns a string literal, or the literal left part of a
// concatenation followed by "*".
func literal(e ast.Expr) (string, bool) {
	switch e := e.(type) {
	case *ast.BasicLit:
		if e.Kind != token.STRING {
			return "", false
		}
		s, err := strconv.Unquote(e.Value)
		return s, err == nil
	case *ast.BinaryExpr:
		if s, ok := literal(e.X); ok && e.Op == token.ADD {
			return strings.TrimSuffix(s, "*") + "*", true
		}
	}
	return "", false
}

var wildcardRE = regexp.MustCompile(`\{([\w$]*)(\.\.\.)?\}`)

// instantiate fills a pattern's wildcards with plausible values.
func instantiate(p string) string {
	return wildcardRE.ReplaceAllStringFunc(p, func(w string) string {
		switch strings.Trim(w, "{}.") {
		case "$":
			return ""
		case "token":
			return "not-a-real-token"
		case "file":
			return "style.css"
		}
		return "1"
	})
}

func routesWhere(t *testing.T, keep func(route) bool) []route {
	t.Helper()
	var out []route
	for _, r := range registeredRoutes(t) {
		if keep(r) {
			out = append(out, r)
		}
	}
	return out
}

// secEnv is the admin env with a user, for the UI tests.
func newSecEnv(t *testing.T, mod func(*web.Options)) *uiEnv {
	t.Helper()
	u := &uiEnv{adminEnv: newAdminEnv(t, mod)}
	hash, err := status.HashPasswordCost(testPassword, bcrypt.MinCost)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := u.db.CreateUser(t.Context(), status.User{Name: "alice", PasswordHash: hash}); err != nil {
		t.Fatal(err)
	}
	return u
}

func serve(h http.Handler, req *http.Request) *httptest.ResponseRecorder {
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec
}

// heartbeatExempt are the /api/v1 routes that take no API token: a
// heartbeat URL carries its own per-check token in the path, so a cron job
// with only wget can call it.
var heartbeatExempt = map[string]bool{
	"GET /api/v1/heartbeat/{token}":  true,
	"POST /api/v1/heartbeat/{token}": true,
}

func TestEveryAdminAPIRouteNeedsAValidToken(t *testing.T) {
	a := newAdminEnv(t, nil)
	// Each request from its own address, so the limit on failed
	// authentication (tested below) stays out of the way.
	n := 0
	do := func(req *http.Request) *httptest.ResponseRecorder {
		n++
		req.RemoteAddr = fmt.Sprintf("10.%d.%d.1:1000", n>>8, n&255)
		return serve(a.srv.Handler(), req)
	}
	routes := routesWhere(t, func(r route) bool { return strings.HasPrefix(r.path, "/api/v1/") })
	if !slices.ContainsFunc(routes, func(r route) bool { return r.String() == "POST /api/v1/incidents" }) {
		t.Fatalf("POST /api/v1/incidents not among the routes found: %v", routes)
	}
	for _, r := range routes {
		t.Run(r.String(), func(t *testing.T) {
			if strings.HasSuffix(r.path, "*") || r.method == "" {
				t.Fatalf("%s: an /api/v1 route must have a literal pattern with a method, so its authentication can be tested", r.at)
			}
			path := instantiate(r.path)
			body := ""
			if r.method != http.MethodGet && r.method != http.MethodHead {
				body = "{}"
			}
			if heartbeatExempt[r.String()] {
				// An unknown per-check token is simply not found; an API
				// token in the header changes nothing.
				for _, tok := range []string{"", a.secrets["writer"]} {
					req := httptest.NewRequest(r.method, path, strings.NewReader(body))
					if tok != "" {
						req.Header.Set("Authorization", "Bearer "+tok)
					}
					if rec := do(req); rec.Code != http.StatusNotFound {
						t.Fatalf("unknown heartbeat token = %d, want 404", rec.Code)
					}
				}
				return
			}
			for name, tok := range map[string]string{
				"no token":                       "",
				"revoked token":                  a.secrets["revoked"],
				"unknown token":                  "snt_" + strings.Repeat("A", 43),
				"basic auth garbage (no bearer)": "",
			} {
				req := httptest.NewRequest(r.method, path, strings.NewReader(body))
				if tok != "" {
					req.Header.Set("Authorization", "Bearer "+tok)
				}
				if strings.HasPrefix(name, "basic") {
					req.SetBasicAuth("admin", "admin")
				}
				rec := do(req)
				if rec.Code != http.StatusUnauthorized {
					t.Errorf("%s: %d, want 401 (%s)\n%s", name, rec.Code, r.at, rec.Body)
					continue
				}
				if e := mustAPIError(t, rec); e.Error.Code != "unauthorized" {
					t.Errorf("%s: error code %q, want unauthorized", name, e.Error.Code)
				}
			}
			if body != "" {
				// A read-only token never writes: 403 on the admin routes,
				// 401 on the ingest routes, which take config ingest tokens
				// and no admin token at all.
				req := httptest.NewRequest(r.method, path, strings.NewReader(body))
				req.Header.Set("Authorization", "Bearer "+a.secrets["reader"])
				rec := do(req)
				if rec.Code != http.StatusForbidden && rec.Code != http.StatusUnauthorized {
					t.Errorf("read-only token: %d, want 403 or 401 (%s)\n%s", rec.Code, r.at, rec.Body)
				}
			}
		})
	}
}

func TestFailedAuthenticationIsLimitedPerAddress(t *testing.T) {
	a := newAdminEnv(t, nil)
	get := func(remote, tok string) int {
		req := httptest.NewRequest("GET", "/api/v1/incidents", nil)
		req.RemoteAddr = remote
		if tok != "" {
			req.Header.Set("Authorization", "Bearer "+tok)
		}
		return serve(a.srv.Handler(), req).Code
	}
	// Working tokens are never counted.
	for range 100 {
		if code := get("198.51.100.30:1", a.secrets["reader"]); code != 200 {
			t.Fatalf("a working token: %d", code)
		}
	}
	n := 0
	for ; n < 1000; n++ {
		if get("198.51.100.31:1", "snt_guess"+strconv.Itoa(n)) == http.StatusTooManyRequests {
			break
		}
	}
	if n < 10 || n > 40 {
		t.Fatalf("guessing was stopped after %d failures, want a burst of about 30", n)
	}
	// Once stopped, the address is stopped whatever it sends; another
	// address, and loopback, are not.
	if code := get("198.51.100.31:1", a.secrets["reader"]); code != http.StatusTooManyRequests {
		t.Fatalf("the guessing address with a good token: %d, want 429", code)
	}
	if code := get("198.51.100.32:1", a.secrets["reader"]); code != 200 {
		t.Fatalf("another address: %d", code)
	}
	for range 50 {
		if code := get("127.0.0.1:1", "snt_bad"); code != http.StatusUnauthorized {
			t.Fatalf("loopback with a bad token: %d, want 401", code)
		}
	}
}

// formExempt are the form posts outside the admin UI that need no CSRF
// token, with why.
var formExempt = map[string]string{
	"POST /ack/{token}":       "the signed token in the path is the credential, and never leaves the link",
	"POST /unsubscribe":       "the token is the credential; RFC 8058 one-click unsubscribe posts without a form",
	"POST /subscribe/confirm": "the token, mailed to the address, is the credential; confirming is a POST only so that mail scanners opening the link confirm nothing",
	"POST /admin/login":       "checked below with its own login token",
}

func TestEveryFormNeedsCSRF(t *testing.T) {
	u := newSecEnv(t, nil)
	b := u.browser("192.0.2.60")
	wantSeeOther(t, b.login(t, "alice", testPassword), "/admin")
	other := u.browser("192.0.2.61")
	wantSeeOther(t, other.login(t, "alice", testPassword), "/admin")
	otherCSRF := other.csrf(t)
	loggedOut := u.browser("192.0.2.62")

	forms := routesWhere(t, func(r route) bool {
		return r.method == http.MethodPost && !strings.HasPrefix(r.path, "/api/")
	})
	admin := 0
	for _, r := range forms {
		t.Run(r.String(), func(t *testing.T) {
			if why := formExempt[r.String()]; why != "" {
				t.Skip(why)
			}
			path := instantiate(r.path)
			if !strings.HasPrefix(r.path, "/admin") {
				// A public form: without a token it is refused.
				rec := loggedOut.do(t, "POST", path, url.Values{"kind": {"email"}, "email": {"a@example.com"}})
				if rec.Code != http.StatusForbidden {
					t.Fatalf("without a CSRF token: %d, want 403 (%s)", rec.Code, r.at)
				}
				return
			}
			admin++
			for name, csrf := range map[string]string{"missing": "", "wrong": strings.Repeat("0", 64), "another session's": otherCSRF} {
				f := url.Values{"title": {"Forged"}, "body": {"forged"}, "into": {"0"}, "visibility": {"public"}, "status": {"resolved"}}
				if csrf != "" {
					f.Set("csrf", csrf)
				}
				if rec := b.do(t, "POST", path, f); rec.Code != http.StatusForbidden {
					t.Errorf("%s CSRF token: %d, want 403 (%s)\n%s", name, rec.Code, r.at, rec.Body)
				}
			}
			if rec := loggedOut.do(t, "POST", path, url.Values{}); rec.Code != http.StatusUnauthorized {
				t.Errorf("without a session: %d, want 401", rec.Code)
			}
		})
	}
	if admin < 5 {
		t.Fatalf("only %d admin forms found", admin)
	}
	// The login form: without its token, or with another, no session.
	fresh := u.browser("192.0.2.63")
	fresh.do(t, "GET", "/admin/login", nil)
	for name, tok := range map[string]string{"missing": "", "wrong": "AAAA"} {
		f := url.Values{"name": {"alice"}, "password": {testPassword}}
		if tok != "" {
			f.Set("login_token", tok)
		}
		if rec := fresh.do(t, "POST", "/admin/login", f); rec.Code != http.StatusForbidden || fresh.cookies["safetynet_session"] != nil {
			t.Fatalf("login with a %s login token = %d, want 403 and no session", name, rec.Code)
		}
	}
	incs, err := u.db.Incidents(t.Context(), status.IncidentFilter{Limit: 10})
	if err != nil || len(incs) != 0 {
		t.Fatalf("forged forms changed something: %v %+v", err, incs)
	}
}

// loginOver signs in with a request built by mk (to set TLS or proxy
// headers) and returns every cookie set on the way.
func loginOver(t *testing.T, h http.Handler, mk func(method, target string, body io.Reader) *http.Request) map[string]*http.Cookie {
	t.Helper()
	got := map[string]*http.Cookie{}
	page := serve(h, mk("GET", "/admin/login", nil))
	m := uiLoginTokenRE.FindStringSubmatch(page.Body.String())
	if m == nil {
		t.Fatalf("login page: %d %s", page.Code, page.Body)
	}
	for _, c := range page.Result().Cookies() {
		got[c.Name] = c
	}
	form := url.Values{"login_token": {m[1]}, "name": {"alice"}, "password": {testPassword}}
	req := mk("POST", "/admin/login", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.AddCookie(&http.Cookie{Name: "safetynet_login", Value: m[1]})
	rec := serve(h, req)
	if rec.Code != http.StatusSeeOther {
		t.Fatalf("login: %d %s", rec.Code, rec.Body)
	}
	for _, c := range rec.Result().Cookies() {
		if c.MaxAge >= 0 {
			got[c.Name] = c
		}
	}
	if got["safetynet_session"] == nil {
		t.Fatal("no session cookie")
	}
	return got
}

func TestCookiesAreHttpOnlySameSiteAndSecureOverHTTPS(t *testing.T) {
	proxies, err := web.ParseTrustedProxies([]string{"10.0.0.0/8", "192.0.2.200"})
	if err != nil {
		t.Fatal(err)
	}
	u := newSecEnv(t, func(o *web.Options) { o.TrustedProxies = proxies })
	h := u.srv.Handler()
	for _, tc := range []struct {
		name   string
		secure bool
		mk     func(method, target string, body io.Reader) *http.Request
	}{
		{"plain HTTP", false, func(m, p string, b io.Reader) *http.Request {
			return httptest.NewRequest(m, "http://status.example"+p, b)
		}},
		{"TLS", true, func(m, p string, b io.Reader) *http.Request {
			return httptest.NewRequest(m, "https://status.example"+p, b)
		}},
		{"trusted proxy saying https", true, func(m, p string, b io.Reader) *http.Request {
			r := httptest.NewRequest(m, "http://status.example"+p, b)
			r.RemoteAddr = "10.1.2.3:5555"
			r.Header.Set("X-Forwarded-Proto", "https")
			r.Header.Set("X-Forwarded-For", "198.51.100.70")
			return r
		}},
		{"untrusted client saying https", false, func(m, p string, b io.Reader) *http.Request {
			r := httptest.NewRequest(m, "http://status.example"+p, b)
			r.RemoteAddr = "198.51.100.71:5555"
			r.Header.Set("X-Forwarded-Proto", "https")
			return r
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cookies := loginOver(t, h, tc.mk)
			for name, c := range cookies {
				if !c.HttpOnly {
					t.Errorf("cookie %s is not HttpOnly", name)
				}
				if c.SameSite != http.SameSiteLaxMode && c.SameSite != http.SameSiteStrictMode {
					t.Errorf("cookie %s has SameSite %v, want Lax or Strict", name, c.SameSite)
				}
				if c.Secure != tc.secure {
					t.Errorf("cookie %s Secure = %v, want %v", name, c.Secure, tc.secure)
				}
			}
			rec := serve(h, tc.mk("GET", "/", nil))
			if got := rec.Header().Get("Strict-Transport-Security") != ""; got != tc.secure {
				t.Errorf("HSTS sent = %v, want %v", got, tc.secure)
			}
		})
	}
	// The subscribe form's cookie too.
	se := newSecEnv(t, func(o *web.Options) { o.Public = samplePublic() })
	rec := serve(se.srv.Handler(), httptest.NewRequest("GET", "https://status.example/subscribe", nil))
	cs := rec.Result().Cookies()
	if rec.Code != http.StatusOK || len(cs) == 0 {
		t.Fatalf("GET /subscribe over TLS: %d, cookies %v", rec.Code, cs)
	}
	for _, c := range cs {
		if !c.Secure || !c.HttpOnly || c.SameSite == http.SameSiteNoneMode || c.SameSite == 0 {
			t.Errorf("subscribe cookie %+v: want Secure, HttpOnly, SameSite", c)
		}
	}
}

func TestSessionsExpireAndAreSwept(t *testing.T) {
	u := newSecEnv(t, nil)
	b := u.browser("192.0.2.80")
	wantSeeOther(t, b.login(t, "alice", testPassword), "/admin")
	u.clock.add(web.SessionTTL)
	wantSeeOther(t, b.do(t, "GET", "/admin", nil), "/admin/login")
	if err := u.srv.SweepSessions(t.Context()); err != nil {
		t.Fatal(err)
	}
	if n, err := u.db.DeleteExpiredSessions(t.Context(), u.clock.now()); err != nil || n != 0 {
		t.Fatalf("after the sweep %d expired sessions were left (%v), want 0", n, err)
	}
	// A live session survives the sweep.
	wantSeeOther(t, b.login(t, "alice", testPassword), "/admin")
	if err := u.srv.SweepSessions(t.Context()); err != nil {
		t.Fatal(err)
	}
	if rec := b.do(t, "GET", "/admin", nil); rec.Code != http.StatusOK {
		t.Fatalf("a live session after the sweep: %d, want 200", rec.Code)
	}
	// Without a store that sweeps, sweeping is a no-op.
	if err := newEnv(t, nil).srv.SweepSessions(t.Context()); err != nil {
		t.Fatal(err)
	}
}

func TestTrustedProxiesDecideTheClientAddress(t *testing.T) {
	proxies, err := web.ParseTrustedProxies([]string{"10.0.0.0/8", "2001:db8:ffff::/48"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := web.ParseTrustedProxies([]string{"10.0.0.0/8", "not-an-address"}); err == nil || !strings.Contains(err.Error(), "trusted proxy 2") {
		t.Fatalf("bad entry: err = %v, want one naming entry 2", err)
	}
	e := newEnv(t, func(o *web.Options) {
		o.TrustedProxies = proxies
		o.Public = samplePublic()
		o.RateLimit = web.RateLimit{PerSecond: 0.001, Burst: 2}
	})
	get := func(remote string, xff ...string) int {
		req := httptest.NewRequest("GET", "/api/v2/status.json", nil)
		req.RemoteAddr = remote
		for _, x := range xff {
			req.Header.Add("X-Forwarded-For", x)
		}
		return serve(e.srv.Handler(), req).Code
	}
	// An untrusted client cannot escape its limit by naming other
	// addresses.
	for i := range 3 {
		code := get("198.51.100.90:1000", fmt.Sprintf("203.0.113.%d", i))
		if want := map[bool]int{true: 200, false: 429}[i < 2]; code != want {
			t.Fatalf("untrusted request %d with a made-up X-Forwarded-For = %d, want %d", i+1, code, want)
		}
	}
	// Behind a trusted proxy each client has its own limit: the client is
	// the right-most address that is not a trusted proxy, whatever the
	// client wrote to the left of it.
	for i := range 2 {
		if code := get("10.0.0.1:1000", "6.6.6.6, 198.51.100.91, 10.9.9.9"); code != 200 {
			t.Fatalf("proxied request %d of client .91 = %d, want 200", i+1, code)
		}
	}
	if code := get("10.0.0.2:1000", fmt.Sprintf("7.7.7.%d, 198.51.100.91", 7)); code != 429 {
		t.Fatalf("client .91's third request through another proxy, with a different made-up address = %d, want 429", code)
	}
	if code := get("[2001:db8:ffff::1]:1000", "198.51.100.92"); code != 200 {
		t.Fatalf("another client through an IPv6 proxy = %d, want 200", code)
	}
	// The log names the client, not the proxy.
	if !strings.Contains(e.logs.String(), "client=198.51.100.91") {
		t.Errorf("request log does not name the proxied client:\n%s", e.logs)
	}
}

func TestPublicRateLimit(t *testing.T) {
	e := newEnv(t, func(o *web.Options) {
		o.Public = samplePublic()
		o.RateLimit = web.RateLimit{PerSecond: 0.001, Burst: 3}
	})
	get := func(remote, path string) *httptest.ResponseRecorder {
		req := httptest.NewRequest("GET", path, nil)
		req.RemoteAddr = remote
		return serve(e.srv.Handler(), req)
	}
	for i := range 3 {
		if rec := get("198.51.100.5:1", "/api/v2/summary.json"); rec.Code != 200 {
			t.Fatalf("request %d within the burst = %d", i+1, rec.Code)
		}
	}
	rec := get("198.51.100.5:1", "/api/v2/summary.json")
	if rec.Code != http.StatusTooManyRequests {
		t.Fatalf("over the limit = %d, want 429", rec.Code)
	}
	if ra, err := strconv.Atoi(rec.Header().Get("Retry-After")); err != nil || ra < 1 {
		t.Fatalf("Retry-After = %q, want whole seconds", rec.Header().Get("Retry-After"))
	}
	if e := mustAPIError(t, rec); e.Error.Code != "rate_limited" {
		t.Fatalf("error code %q", e.Error.Code)
	}
	if rec := get("198.51.100.5:1", "/"); rec.Code != http.StatusTooManyRequests || rec.Header().Get("Content-Security-Policy") == "" {
		t.Fatalf("HTML route over the limit = %d (headers %v), want 429 with the security headers", rec.Code, rec.Header())
	}
	// The token-authenticated API and the operator's probes are not
	// limited per address.
	for _, path := range []string{"/healthz", "/readyz", "/api/v1/components"} {
		if rec := get("198.51.100.5:1", path); rec.Code == http.StatusTooManyRequests {
			t.Errorf("%s was rate limited", path)
		}
	}
	// Loopback is exempt by default (load tests, a local proxy) ...
	for range 10 {
		if rec := get("127.0.0.1:9", "/api/v2/summary.json"); rec.Code != 200 {
			t.Fatalf("loopback limited by default: %d", rec.Code)
		}
	}
	// ... unless asked, and the limit can be switched off.
	strict := newEnv(t, func(o *web.Options) {
		o.Public = samplePublic()
		o.RateLimit = web.RateLimit{PerSecond: 0.001, Burst: 1, LimitLoopback: true}
	})
	off := newEnv(t, func(o *web.Options) {
		o.Public = samplePublic()
		o.RateLimit = web.RateLimit{PerSecond: 0.001, Burst: 1, Disabled: true}
	})
	codes := func(e *env, remote string) []int {
		var out []int
		for range 3 {
			req := httptest.NewRequest("GET", "/api/v2/status.json", nil)
			req.RemoteAddr = remote
			out = append(out, serve(e.srv.Handler(), req).Code)
		}
		return out
	}
	if got := codes(strict, "[::1]:9"); !slices.Equal(got, []int{200, 429, 429}) {
		t.Errorf("LimitLoopback: %v, want [200 429 429]", got)
	}
	if got := codes(off, "198.51.100.6:1"); !slices.Equal(got, []int{200, 200, 200}) {
		t.Errorf("Disabled: %v, want all 200", got)
	}
}

func TestEveryBodyRouteHasALimit(t *testing.T) {
	a := newAdminEnv(t, func(o *web.Options) { o.MaxBodyBytes = 64 << 10 })
	routes := routesWhere(t, func(r route) bool {
		return r.method == http.MethodPost || r.method == http.MethodPut || r.method == http.MethodPatch
	})
	for _, r := range routes {
		path := instantiate(r.path)
		for _, ct := range []string{"application/json", "application/x-www-form-urlencoded"} {
			req := httptest.NewRequest(r.method, path, strings.NewReader(strings.Repeat("x", 64<<10+1)))
			req.Header.Set("Content-Type", ct)
			req.Header.Set("Authorization", "Bearer "+a.secrets["writer"])
			if rec := serve(a.srv.Handler(), req); rec.Code != http.StatusRequestEntityTooLarge {
				t.Errorf("%s with %s over the limit: %d, want 413 (%s)", r, ct, rec.Code, r.at)
			}
		}
	}
	// Forms have a lower limit than JSON.
	req := httptest.NewRequest("POST", "/admin/login", strings.NewReader(strings.Repeat("x", 200<<10)))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	big := newAdminEnv(t, nil)
	if rec := serve(big.srv.Handler(), req); rec.Code != http.StatusRequestEntityTooLarge {
		t.Errorf("200 KiB form = %d, want 413", rec.Code)
	}
	// A body without a declared length is cut at the limit as it is read.
	body := `{"title": "` + strings.Repeat("x", 2<<20) + `", "impact": "minor"}`
	req = httptest.NewRequest("POST", "/api/v1/incidents", io.NopCloser(strings.NewReader(body)))
	req.ContentLength = -1
	req.Header.Set("Authorization", "Bearer "+big.secrets["writer"])
	if rec := serve(big.srv.Handler(), req); rec.Code != http.StatusRequestEntityTooLarge {
		t.Errorf("chunked 2 MiB JSON = %d, want 413\n%s", rec.Code, rec.Body)
	}
}

// The headers every answer carries.
var wantHeaders = map[string]string{
	"X-Content-Type-Options": "nosniff",
	"X-Frame-Options":        "DENY",
	"Referrer-Policy":        "no-referrer",
}

var cspDirectives = []string{"default-src 'self'", "object-src 'none'", "base-uri 'none'", "form-action 'self'", "frame-ancestors 'none'", "script-src 'self'"}

// tag is one start tag of an HTML document, with its attributes (values
// unescaped).
type tag struct {
	name  string
	attrs map[string]string
	raw   string
}

// startTags reads the start tags of an HTML document the way a browser
// tokenizes them (quoted and unquoted attribute values), which is what
// decides whether text became markup. Comments and end tags are skipped.
func startTags(doc string) []tag {
	var out []tag
	for i := 0; i < len(doc); i++ {
		if doc[i] != '<' || i+1 >= len(doc) || !isLetter(doc[i+1]) {
			continue
		}
		j := i + 1
		for j < len(doc) && !isSpace(doc[j]) && doc[j] != '>' && doc[j] != '/' {
			j++
		}
		tg := tag{name: strings.ToLower(doc[i+1 : j]), attrs: map[string]string{}}
		for j < len(doc) && doc[j] != '>' {
			if isSpace(doc[j]) || doc[j] == '/' {
				j++
				continue
			}
			k := j
			for k < len(doc) && !isSpace(doc[k]) && doc[k] != '=' && doc[k] != '>' && !(doc[k] == '/' && k > j) {
				k++
			}
			name := strings.ToLower(doc[j:k])
			val := ""
			for k < len(doc) && isSpace(doc[k]) {
				k++
			}
			if k < len(doc) && doc[k] == '=' {
				k++
				for k < len(doc) && isSpace(doc[k]) {
					k++
				}
				if k < len(doc) && (doc[k] == '"' || doc[k] == '\'') {
					q := doc[k]
					e := strings.IndexByte(doc[k+1:], q)
					if e < 0 {
						e = len(doc) - k - 1
					}
					val = doc[k+1 : k+1+e]
					k += e + 2
				} else {
					v := k
					for k < len(doc) && !isSpace(doc[k]) && doc[k] != '>' {
						k++
					}
					val = doc[v:k]
				}
			}
			if name != "" {
				tg.attrs[name] = html.UnescapeString(val)
			}
			j = max(k, j+1)
		}
		tg.raw = doc[i:min(j+1, len(doc))]
		out = append(out, tg)
		if tg.name == "script" || tg.name == "style" || tg.name == "textarea" || tg.name == "title" {
			// Raw text up to the end tag is not markup.
			if e := strings.Index(strings.ToLower(doc[j:]), "</"+tg.name); e >= 0 {
				j += e
			}
		}
		i = j
	}
	return out
}

func isLetter(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }
func isSpace(c byte) bool  { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' }

// scheme is the URL scheme a browser would see in an attribute value: it
// drops the whitespace and control characters browsers ignore.
func scheme(v string) string {
	v = strings.Map(func(r rune) rune {
		if r <= ' ' {
			return -1
		}
		return r
	}, v)
	if i := strings.IndexByte(v, ':'); i > 0 && !strings.ContainsAny(v[:i], "/?#") {
		return strings.ToLower(v[:i])
	}
	return ""
}

// checkInert fails when an HTML document has anything that would run
// script or that the CSP would block: a script that is not one of our
// files, an inline style, an event handler attribute, a javascript:,
// vbscript: or data: URL, an active element, or a script, style or frame
// from another host.
func checkInert(t *testing.T, what, doc string) {
	t.Helper()
	for _, tg := range startTags(doc) {
		switch tg.name {
		case "script":
			if !strings.HasPrefix(tg.attrs["src"], "/static/") {
				t.Errorf("%s: a script that is not one of our files: %s", what, tg.raw)
			}
		case "style", "iframe", "frame", "object", "embed", "base", "svg", "math":
			t.Errorf("%s: a <%s> element: %s", what, tg.name, tg.raw)
		case "meta":
			if strings.EqualFold(tg.attrs["http-equiv"], "refresh") && strings.Contains(strings.ToLower(tg.attrs["content"]), "url") {
				t.Errorf("%s: a redirecting meta refresh: %s", what, tg.raw)
			}
		}
		for name, val := range tg.attrs {
			switch {
			case strings.HasPrefix(name, "on"):
				t.Errorf("%s: an event handler attribute: %s", what, tg.raw)
			case name == "style":
				t.Errorf("%s: an inline style: %s", what, tg.raw)
			case name == "href" || name == "src" || name == "action" || name == "formaction" || name == "xlink:href" || name == "srcset":
				if sc := scheme(val); sc != "" && sc != "http" && sc != "https" && sc != "mailto" {
					t.Errorf("%s: a %s: URL: %s", what, sc, tg.raw)
				}
				if tg.name != "a" && (strings.HasPrefix(val, "//") || scheme(val) != "") {
					t.Errorf("%s: <%s> loads from another host: %s", what, tg.name, tg.raw)
				}
			}
		}
	}
}

func TestEveryGETRouteHasSecurityHeaders(t *testing.T) {
	u := newSecEnv(t, func(o *web.Options) { o.Public = samplePublic() })
	b := u.browser("192.0.2.90")
	wantSeeOther(t, b.login(t, "alice", testPassword), "/admin")
	// Some pages must render, so their HTML is checked, not an error page.
	mustRender := map[string]bool{"/{$}": true, "/incidents/{id}": true, "/subscribe": true, "/admin/login": true,
		"/admin": true, "/admin/explain": true, "/dashboard": true, "/history.atom": true, "/api/v2/summary.json": true}
	pages := 0
	for _, r := range routesWhere(t, func(r route) bool { return r.method == http.MethodGet }) {
		path := instantiate(r.path)
		switch {
		case strings.HasSuffix(path, "*"):
			path = strings.TrimSuffix(path, "*") + "summary.json"
		case r.path == "/incidents/{id}":
			path = "/incidents/7"
		}
		for _, tls := range []bool{false, true} {
			target := "http://status.example" + path
			if tls {
				target = "https://status.example" + path
			}
			req := httptest.NewRequest("GET", target, nil)
			req.RemoteAddr = "192.0.2.90:40000"
			req.Header.Set("Authorization", "Bearer "+goodToken) // the dashboard's read access
			for _, c := range b.cookies {
				req.AddCookie(&http.Cookie{Name: c.Name, Value: c.Value})
			}
			if strings.HasPrefix(path, "/admin") {
				req.Header.Del("Authorization")
			}
			rec := serve(u.srv.Handler(), req)
			h := rec.Header()
			if mustRender[r.path] && rec.Code != http.StatusOK {
				t.Errorf("%s: %d, want 200 (%s)\n%.300s", r, rec.Code, r.at, rec.Body)
			}
			for k, v := range wantHeaders {
				if h.Get(k) != v {
					t.Errorf("%s: %s = %q, want %q", r, k, h.Get(k), v)
				}
			}
			if hsts := h.Get("Strict-Transport-Security"); (hsts != "") != tls {
				t.Errorf("%s over TLS=%v: HSTS %q", r, tls, hsts)
			}
			if !strings.HasPrefix(h.Get("Content-Type"), "text/html") {
				continue
			}
			csp := h.Get("Content-Security-Policy")
			for _, d := range cspDirectives {
				if !strings.Contains(csp, d) {
					t.Errorf("%s: CSP %q lacks %q", r, csp, d)
				}
			}
			if strings.Contains(csp, "unsafe-inline") || strings.Contains(csp, "unsafe-eval") {
				t.Errorf("%s: CSP allows inline script or eval: %q", r, csp)
			}
			if h.Get("Permissions-Policy") == "" {
				t.Errorf("%s: no Permissions-Policy", r)
			}
			if !tls {
				pages++
				checkInert(t, r.String(), rec.Body.String())
			}
		}
	}
	if pages < 8 {
		t.Fatalf("only %d HTML pages checked", pages)
	}
}

// hostile is text people might paste into an incident, and attackers
// might put anywhere text goes.
const (
	evilTitle = `<script>alert("t")</script><img src=x onerror=alert(1)>"'><svg onload=alert(2)>`
	evilBody  = "Investigating.\n\n<script>alert(3)</script>\n\n<img src=x onerror=alert(4)>\n\n" +
		"<a href=\"javascript:alert(5)\">raw link</a> <iframe src=\"https://evil.example/\"></iframe>\n\n" +
		"[click](javascript:alert(6)) [upper](JaVaScRiPt:alert(7)) [entity](&#106;avascript:alert(8)) " +
		"[spaces]( javascript:alert(9)) [vb](vbscript:msgbox(1)) [data](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)\n\n" +
		"![img](javascript:alert(10)) ![x\" onerror=\"alert(11)](/static/x.png) ![pixel](https://evil.example/pixel.png) [ref][r]\n\n[r]: javascript:alert(12)\n\n" +
		"<style>body{display:none}</style> <div style=\"position:fixed\">overlay</div> <form action=\"https://evil.example/\"><input name=p></form>"
)

func evilPublic() *fakePublic {
	p := samplePublic()
	inc := &p.st.Incidents[0]
	inc.Title = evilTitle
	inc.Updates[0].Body = evilBody
	inc.Updates[1].Body = evilBody
	p.st.Components[0].Name = evilTitle
	p.st.Components[0].Description = evilBody
	p.st.Maintenances[1].Title = evilTitle
	p.st.KnownIssues = append(p.st.KnownIssues, status.KnownIssue{ID: 1, Title: evilTitle, Description: evilBody, Workaround: evilBody, Public: true})
	return p
}

func TestHostileTextRendersInert(t *testing.T) {
	u := newSecEnv(t, func(o *web.Options) { o.Public = evilPublic() })
	h := u.srv.Handler()
	get := func(path string) *httptest.ResponseRecorder {
		t.Helper()
		rec := serve(h, httptest.NewRequest("GET", path, nil))
		if rec.Code != http.StatusOK {
			t.Fatalf("GET %s: %d\n%.500s", path, rec.Code, rec.Body)
		}
		return rec
	}
	for _, path := range []string{"/", "/incidents/7"} {
		doc := get(path).Body.String()
		checkInert(t, path, doc)
		if !strings.Contains(doc, "&lt;script&gt;") {
			t.Errorf("%s: the hostile title is not shown, escaped", path)
		}
	}
	// Feeds: the XML parses, and the HTML inside it is inert.
	for _, path := range []string{"/history.atom", "/history.rss"} {
		body := get(path).Body.String()
		dec := xml.NewDecoder(strings.NewReader(body))
		var texts []string
		for {
			tok, err := dec.Token()
			if err == io.EOF {
				break
			}
			if err != nil {
				t.Fatalf("%s is not well-formed XML: %v", path, err)
			}
			switch tok := tok.(type) {
			case xml.StartElement:
				if tok.Name.Local == "script" || tok.Name.Local == "img" || tok.Name.Local == "svg" {
					t.Errorf("%s: hostile text became an XML element <%s>", path, tok.Name.Local)
				}
			case xml.CharData:
				texts = append(texts, string(tok))
			}
		}
		html := strings.Join(texts, "\n")
		if !strings.Contains(html, "Investigating") {
			t.Fatalf("%s: the update is not in the feed", path)
		}
		// Titles are text in feeds: they must not carry markup a reader
		// would render as HTML, and the HTML content must be inert.
		checkInert(t, path+" content", strings.ReplaceAll(html, evilTitle, ""))
	}
	// JSON: Go escapes <, > and & so a JSON answer sniffed as HTML is
	// still inert; nosniff stops the sniffing anyway.
	for _, path := range []string{"/api/v2/summary.json", "/api/v2/incidents.json"} {
		rec := get(path)
		if strings.Contains(rec.Body.String(), "<script") {
			t.Errorf("%s has a raw <script", path)
		}
		var v any
		if err := json.Unmarshal(rec.Body.Bytes(), &v); err != nil || !strings.Contains(fmt.Sprint(v), evilTitle) {
			t.Errorf("%s does not carry the title as data: %v", path, err)
		}
	}

	// The admin UI and API, from the store.
	rec := u.as(t, "writer", "POST", "/api/v1/incidents", mustJSON(t, map[string]any{
		"title": evilTitle, "impact": "major", "status": "investigating", "body": evilBody,
		"components": []map[string]string{{"component": "api", "status": "major_outage"}}}))
	var created struct {
		ID int64 `json:"id"`
	}
	mustDecode(t, rec, http.StatusCreated, &created)
	b := u.browser("192.0.2.95")
	wantSeeOther(t, b.login(t, "alice", testPassword), "/admin")
	for _, path := range []string{"/admin", "/admin/incidents/" + strconv.FormatInt(created.ID, 10)} {
		rec := b.do(t, "GET", path, nil)
		if rec.Code != http.StatusOK {
			t.Fatalf("GET %s: %d", path, rec.Code)
		}
		checkInert(t, path, rec.Body.String())
		if !strings.Contains(rec.Body.String(), "&lt;script&gt;") {
			t.Errorf("%s: the hostile title is not shown, escaped", path)
		}
	}
	rec = u.as(t, "reader", "GET", "/api/v1/incidents/"+strconv.FormatInt(created.ID, 10), "")
	if rec.Code != http.StatusOK || strings.Contains(rec.Body.String(), "<script") || !strings.HasPrefix(rec.Header().Get("Content-Type"), "application/json") {
		t.Errorf("admin API answer: %d %s %.200s", rec.Code, rec.Header().Get("Content-Type"), rec.Body)
	}
}

func mustJSON(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestHTTPServerTimeoutsCutSlowClients holds a connection open with half a
// request header and checks that the server hangs up on it.
func TestHTTPServerTimeoutsCutSlowClients(t *testing.T) {
	if testing.Short() {
		t.Skip("waits for the header timeout")
	}
	e := newEnv(t, nil)
	srv := web.NewHTTPServer("127.0.0.1:0", e.srv.Handler())
	ln, err := (&net.ListenConfig{}).Listen(t.Context(), "tcp", srv.Addr)
	if err != nil {
		t.Fatal(err)
	}
	go srv.Serve(ln)
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		defer cancel()
		srv.Shutdown(ctx)
	})
	conn, err := (&net.Dialer{}).DialContext(t.Context(), "tcp", ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	if _, err := io.WriteString(conn, "GET /healthz HTTP/1.1\r\nHost: x\r\n"); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	conn.SetReadDeadline(start.Add(srv.ReadHeaderTimeout + 5*time.Second))
	buf := make([]byte, 512)
	for {
		if _, err := conn.Read(buf); err != nil {
			if ne, ok := err.(interface{ Timeout() bool }); ok && ne.Timeout() {
				t.Fatalf("the server kept a half-sent request open for %s", time.Since(start))
			}
			break // closed by the server
		}
	}
	if d := time.Since(start); d < srv.ReadHeaderTimeout-time.Second {
		t.Fatalf("closed after %s, before the header timeout %s", d, srv.ReadHeaderTimeout)
	}
	if srv.ReadTimeout < srv.ReadHeaderTimeout || srv.WriteTimeout <= 0 || srv.IdleTimeout <= 0 || srv.MaxHeaderBytes <= 0 {
		t.Fatalf("timeouts: %+v", srv)
	}
}

// TestPagesWorkUnderTheCSPInChromium loads the pages in a real browser:
// the CSP must not block anything they use (the time zone script, the
// style sheets), and the hostile incident text must not open a dialog.
func TestPagesWorkUnderTheCSPInChromium(t *testing.T) {
	if testing.Short() {
		t.Skip("browser test skipped in -short mode")
	}
	chromium := "/usr/bin/chromium"
	if p, err := exec.LookPath("chromium"); err == nil {
		chromium = p
	}
	if _, err := os.Stat(chromium); err != nil {
		t.Skip("browser test skipped: no chromium (Debian: apt-get install chromium)")
	}
	u := newSecEnv(t, func(o *web.Options) { o.Public = evilPublic() })
	ts := httptest.NewServer(u.srv.Handler())
	defer ts.Close()

	opts := append(chromedp.DefaultExecAllocatorOptions[:], chromedp.ExecPath(chromium), chromedp.Headless,
		chromedp.NoSandbox, chromedp.DisableGPU, chromedp.Flag("disable-background-networking", true))
	actx, acancel := chromedp.NewExecAllocator(t.Context(), opts...)
	defer acancel()
	bctx, bcancel := chromedp.NewContext(actx)
	defer bcancel()

	var mu sync.Mutex
	var problems []string
	report := func() string {
		mu.Lock()
		defer mu.Unlock()
		return strings.Join(problems, "\n")
	}
	// A dialog would block the page: the next step then times out, and
	// the report says why.
	err := chromedp.Listen(bctx, func(ev any) {
		mu.Lock()
		defer mu.Unlock()
		switch ev := ev.(type) {
		case *cdplog.EventEntryAdded:
			if ev.Entry.Source == cdplog.EntrySourceSecurity || strings.Contains(ev.Entry.Text, "Content Security Policy") {
				problems = append(problems, "CSP: "+ev.Entry.Text)
			}
		case *page.EventJavascriptDialogOpening:
			problems = append(problems, "a script opened a dialog: "+ev.Message)
		}
	})
	if err != nil {
		t.Fatalf("chromium: %v", err)
	}
	for _, path := range []string{"/", "/incidents/7", "/subscribe", "/admin/login"} {
		ectx, ecancel := context.WithTimeout(bctx, 15*time.Second)
		err := chromedp.Do(ectx, chromedp.Navigate(ts.URL+path), chromedp.WaitReady(chromedp.CSS("body")))
		var sheets int
		var tz string
		if err == nil {
			sheets, err = chromedp.Run(ectx, chromedp.Evaluate[int](`document.styleSheets.length`))
		}
		if err == nil {
			tz, err = chromedp.Run(ectx, chromedp.Evaluate[string](`(document.getElementById("tz")||{}).textContent||""`))
		}
		ecancel()
		if err != nil {
			t.Fatalf("%s: %v\n%s", path, err, report())
		}
		if sheets == 0 {
			t.Errorf("%s: no style sheet applied", path)
		}
		if path == "/" && tz != "Times are shown in your time zone" {
			t.Errorf("the time zone script did not run under the CSP: footer says %q", tz)
		}
	}
	// Give late events (an image error handler) a moment.
	time.Sleep(300 * time.Millisecond)
	if r := report(); r != "" {
		t.Error(r)
	}
}

// TestSubscriberWebhookURLsMustBePublic: the subscribe form is open to
// anyone, so a webhook URL aimed at the metadata service, link-local or
// loopback addresses is refused there (and again when dialled, see
// notify.PublicHTTP), and nothing is stored.
func TestSubscriberWebhookURLsMustBePublic(t *testing.T) {
	se := newSubEnv(t)
	for i, bad := range []string{
		"http://169.254.169.254/latest/meta-data/", "http://[fd00:ec2::254]/latest/", "http://[::ffff:169.254.169.254]/",
		"http://100.100.100.200/", "http://169.254.1.1/", "http://[fe80::1]/", "http://127.0.0.1:8080/api/v1/incidents",
		"http://10.0.0.5/", "http://192.168.1.1/", "http://[fd00::1]/",
		"http://[::1]/", "http://localhost/", "http://admin.localhost./", "http://0.0.0.0/", "javascript:alert(1)",
		"http://user:pass@hooks.example.com/",
	} {
		rec := se.browser(fmt.Sprintf("198.51.100.%d:1", 100+i)).signup(t, url.Values{"kind": {"webhook"}, "url": {bad}})
		if rec.Code != http.StatusBadRequest {
			t.Errorf("webhook %s: %d, want 400", bad, rec.Code)
		}
	}
	if subs, err := se.db.Subscribers(t.Context(), false); err != nil || len(subs) != 0 {
		t.Fatalf("refused webhooks were stored: %v %+v", err, subs)
	}
}
