package web_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/crypto/bcrypt"

	"github.com/safetynet-dev/safetynet/status"
	"github.com/safetynet-dev/safetynet/web"
)

const testPassword = "correct horse battery"

// uiEnv is the admin env with users and a record of IncidentChanged calls.
type uiEnv struct {
	*adminEnv
	mu      sync.Mutex
	changed []int64
}

func newUIEnv(t *testing.T, users ...string) *uiEnv {
	t.Helper()
	u := &uiEnv{}
	u.adminEnv = newAdminEnv(t, func(o *web.Options) {
		o.IncidentChanged = func(_ context.Context, id int64) {
			u.mu.Lock()
			defer u.mu.Unlock()
			u.changed = append(u.changed, id)
		}
	})
	hash, err := status.HashPasswordCost(testPassword, bcrypt.MinCost)
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range append([]string{"alice"}, users...) {
		if _, err := u.db.CreateUser(t.Context(), status.User{Name: name, PasswordHash: hash}); err != nil {
			t.Fatal(err)
		}
	}
	return u
}

func (u *uiEnv) changes() []int64 {
	u.mu.Lock()
	defer u.mu.Unlock()
	return append([]int64(nil), u.changed...)
}

// uiBrowser keeps cookies like a browser would, for one client address.
type uiBrowser struct {
	u       *uiEnv
	ip      string
	cookies map[string]*http.Cookie
	last    *http.Cookie // the last session cookie set, with its attributes
}

func (u *uiEnv) browser(ip string) *uiBrowser {
	return &uiBrowser{u: u, ip: ip, cookies: map[string]*http.Cookie{}}
}

func (b *uiBrowser) do(t *testing.T, method, path string, form url.Values) *httptest.ResponseRecorder {
	t.Helper()
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req := httptest.NewRequest(method, path, body)
	req.RemoteAddr = b.ip + ":40000"
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	for _, c := range b.cookies {
		if strings.HasPrefix(path, c.Path) {
			req.AddCookie(&http.Cookie{Name: c.Name, Value: c.Value})
		}
	}
	rec := httptest.NewRecorder()
	b.u.srv.Handler().ServeHTTP(rec, req)
	for _, c := range rec.Result().Cookies() {
		if c.Name == "safetynet_session" {
			b.last = c
		}
		if c.MaxAge < 0 {
			delete(b.cookies, c.Name)
		} else {
			b.cookies[c.Name] = c
		}
	}
	return rec
}

var (
	uiLoginTokenRE = regexp.MustCompile(`name="login_token" value="([^"]+)"`)
	uiCSRFRE       = regexp.MustCompile(`name="csrf" value="([^"]+)"`)
)

// login signs in through the form and returns the answer to the POST.
func (b *uiBrowser) login(t *testing.T, name, password string) *httptest.ResponseRecorder {
	t.Helper()
	page := b.do(t, "GET", "/admin/login", nil)
	m := uiLoginTokenRE.FindStringSubmatch(page.Body.String())
	if page.Code != http.StatusOK || m == nil {
		t.Fatalf("login page: %d %s", page.Code, page.Body)
	}
	return b.do(t, "POST", "/admin/login", url.Values{"login_token": {m[1]}, "name": {name}, "password": {password}})
}

// csrf reads the CSRF token from a page of the signed-in browser.
func (b *uiBrowser) csrf(t *testing.T) string {
	t.Helper()
	rec := b.do(t, "GET", "/admin", nil)
	m := uiCSRFRE.FindStringSubmatch(rec.Body.String())
	if rec.Code != http.StatusOK || m == nil {
		t.Fatalf("GET /admin: %d, no CSRF token: %s", rec.Code, rec.Body)
	}
	return m[1]
}

func wantSeeOther(t *testing.T, rec *httptest.ResponseRecorder, prefix string) {
	t.Helper()
	if rec.Code != http.StatusSeeOther || !strings.HasPrefix(rec.Header().Get("Location"), prefix) {
		t.Fatalf("answer = %d to %q, want 303 to %s…\n%s", rec.Code, rec.Header().Get("Location"), prefix, rec.Body)
	}
}

const uiLoginError = "Wrong name or password, or too many attempts."

func TestUILoginFlow(t *testing.T) {
	u := newUIEnv(t)
	b := u.browser("192.0.2.10")
	wantSeeOther(t, b.do(t, "GET", "/admin", nil), "/admin/login")

	for _, try := range [][2]string{{"alice", "wrong horse battery"}, {"mallory", testPassword}, {"", ""}} {
		rec := b.login(t, try[0], try[1])
		if rec.Code != http.StatusUnauthorized || !strings.Contains(rec.Body.String(), uiLoginError) {
			t.Fatalf("login %q/%q = %d, want 401 with the generic message:\n%s", try[0], try[1], rec.Code, rec.Body)
		}
		if b.cookies["safetynet_session"] != nil {
			t.Fatalf("login %q/%q set a session cookie", try[0], try[1])
		}
	}

	wantSeeOther(t, b.login(t, "alice", testPassword), "/admin")
	c := b.last
	if c == nil || !c.HttpOnly || c.SameSite != http.SameSiteLaxMode || c.Path != "/admin" || c.Secure ||
		!c.Expires.Equal(u.clock.now().Add(web.SessionTTL).Truncate(time.Second)) {
		t.Fatalf("session cookie = %+v, want HttpOnly, SameSite=Lax, Path=/admin, not Secure over plain HTTP, expiring in 12h", c)
	}
	// The store keeps the digest, not the secret.
	if _, _, err := u.db.SessionByHash(t.Context(), status.HashToken(c.Value), u.clock.now()); err != nil {
		t.Fatalf("session by the secret's digest: %v", err)
	}
	if _, _, err := u.db.SessionByHash(t.Context(), c.Value, u.clock.now()); err == nil {
		t.Fatal("the session secret itself is stored")
	}
	home := b.do(t, "GET", "/admin", nil)
	if home.Code != http.StatusOK || !strings.Contains(home.Body.String(), "Open incidents") || !strings.Contains(home.Body.String(), "alice") {
		t.Fatalf("GET /admin = %d:\n%s", home.Code, home.Body)
	}
	if cc := home.Header().Get("Cache-Control"); cc != "no-store" {
		t.Errorf("Cache-Control = %q, want no-store", cc)
	}

	// Logout ends the session in the store: the old cookie is worthless.
	csrf := b.csrf(t)
	wantSeeOther(t, b.do(t, "POST", "/admin/logout", url.Values{"csrf": {csrf}}), "/admin/login")
	if b.cookies["safetynet_session"] != nil {
		t.Fatal("logout left the session cookie")
	}
	wantSeeOther(t, b.do(t, "GET", "/admin", nil), "/admin/login")
	b.cookies["safetynet_session"] = c
	wantSeeOther(t, b.do(t, "GET", "/admin", nil), "/admin/login")
}

func TestUILoginOverTLSSetsSecure(t *testing.T) {
	u := newUIEnv(t)
	page := httptest.NewRequest("GET", "https://status.example/admin/login", nil)
	rec := httptest.NewRecorder()
	u.srv.Handler().ServeHTTP(rec, page)
	m := uiLoginTokenRE.FindStringSubmatch(rec.Body.String())
	if m == nil {
		t.Fatal("no login token")
	}
	form := url.Values{"login_token": {m[1]}, "name": {"alice"}, "password": {testPassword}}
	req := httptest.NewRequest("POST", "https://status.example/admin/login", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.AddCookie(&http.Cookie{Name: "safetynet_login", Value: m[1]})
	rec = httptest.NewRecorder()
	u.srv.Handler().ServeHTTP(rec, req)
	for _, c := range rec.Result().Cookies() {
		if c.Name == "safetynet_session" {
			if !c.Secure {
				t.Fatalf("session cookie over TLS = %+v, want Secure", c)
			}
			return
		}
	}
	t.Fatalf("no session cookie over TLS: %d %s", rec.Code, rec.Body)
}

func TestUILoginRateLimit(t *testing.T) {
	u := newUIEnv(t, "bob", "carol", "dave", "erin")
	// Per user: five failures lock alice out, from any address, even with
	// the right password, with the same message.
	a := u.browser("192.0.2.20")
	for i := 0; i < 5; i++ {
		if rec := a.login(t, "alice", "wrong horse battery"); rec.Code != http.StatusUnauthorized {
			t.Fatalf("failure %d = %d, want 401", i+1, rec.Code)
		}
	}
	for _, ip := range []string{"192.0.2.20", "198.51.100.7"} {
		rec := u.browser(ip).login(t, "alice", testPassword)
		if rec.Code != http.StatusTooManyRequests || !strings.Contains(rec.Body.String(), uiLoginError) || rec.Header().Get("Retry-After") == "" {
			t.Fatalf("alice from %s after 5 failures = %d (Retry-After %q), want 429 with the generic message and Retry-After:\n%s", ip, rec.Code, rec.Header().Get("Retry-After"), rec.Body)
		}
	}
	// Per address: 20 failures across users lock the address out for
	// everyone, while another address still gets in.
	c := u.browser("203.0.113.5")
	for _, name := range []string{"bob", "carol", "dave", "erin"} {
		for i := 0; i < 5; i++ {
			c.login(t, name, "wrong horse battery")
		}
	}
	if rec := c.login(t, "alice", testPassword); rec.Code != http.StatusTooManyRequests {
		t.Fatalf("after 20 failures from one address = %d, want 429", rec.Code)
	}
	// The window passes: alice gets in again.
	u.clock.add(15 * time.Minute)
	wantSeeOther(t, c.login(t, "alice", testPassword), "/admin")
}

func TestUISessionExpiry(t *testing.T) {
	u := newUIEnv(t)
	b := u.browser("192.0.2.30")
	wantSeeOther(t, b.login(t, "alice", testPassword), "/admin")
	u.clock.add(web.SessionTTL - time.Second)
	if rec := b.do(t, "GET", "/admin", nil); rec.Code != http.StatusOK {
		t.Fatalf("just before expiry = %d, want 200", rec.Code)
	}
	u.clock.add(time.Second)
	wantSeeOther(t, b.do(t, "GET", "/admin", nil), "/admin/login")
	// A form posted with an expired session is refused, not lost silently.
	rec := b.do(t, "POST", "/admin/incidents", url.Values{"title": {"x"}})
	if rec.Code != http.StatusUnauthorized || !strings.Contains(rec.Body.String(), "session has ended") {
		t.Fatalf("post after expiry = %d, want 401 saying so:\n%s", rec.Code, rec.Body)
	}
	// A disabled user's sessions end at once.
	wantSeeOther(t, b.login(t, "alice", testPassword), "/admin")
	if err := u.db.DisableUser(t.Context(), "alice", u.clock.now()); err != nil {
		t.Fatal(err)
	}
	wantSeeOther(t, b.do(t, "GET", "/admin", nil), "/admin/login")
	if rec := b.login(t, "alice", testPassword); rec.Code != http.StatusUnauthorized {
		t.Fatalf("disabled user login = %d, want 401", rec.Code)
	}
}

func TestUICSRF(t *testing.T) {
	u := newUIEnv(t)
	b := u.browser("192.0.2.40")
	wantSeeOther(t, b.login(t, "alice", testPassword), "/admin")
	form := url.Values{"title": {"Forged"}, "impact": {"major"}, "status": {"investigating"}, "body": {"forged"}}
	for name, token := range map[string]string{"missing": "", "wrong": strings.Repeat("0", 64)} {
		f := url.Values{}
		for k, v := range form {
			f[k] = v
		}
		if token != "" {
			f.Set("csrf", token)
		}
		rec := b.do(t, "POST", "/admin/incidents", f)
		if rec.Code != http.StatusForbidden {
			t.Fatalf("%s CSRF token = %d, want 403:\n%s", name, rec.Code, rec.Body)
		}
	}
	if rec := b.do(t, "POST", "/admin/logout", url.Values{}); rec.Code != http.StatusForbidden {
		t.Fatalf("logout without CSRF = %d, want 403", rec.Code)
	}
	incs, err := u.db.Incidents(t.Context(), status.IncidentFilter{Limit: 10})
	if err != nil || len(incs) != 0 {
		t.Fatalf("forged posts stored incidents: %v %+v", err, incs)
	}
	// The token of one session is worthless in another.
	other := u.browser("192.0.2.41")
	wantSeeOther(t, other.login(t, "alice", testPassword), "/admin")
	form.Set("csrf", other.csrf(t))
	if rec := b.do(t, "POST", "/admin/incidents", form); rec.Code != http.StatusForbidden {
		t.Fatalf("another session's CSRF token = %d, want 403", rec.Code)
	}
	// A form over the body limit is refused as such.
	big := url.Values{"csrf": {b.csrf(t)}, "body": {strings.Repeat("x", 2<<20)}}
	if rec := b.do(t, "POST", "/admin/incidents", big); rec.Code != http.StatusRequestEntityTooLarge {
		t.Fatalf("2 MiB form = %d, want 413", rec.Code)
	}
	// The login form has a token of its own.
	fresh := u.browser("192.0.2.42")
	rec := fresh.do(t, "POST", "/admin/login", url.Values{"name": {"alice"}, "password": {testPassword}})
	if rec.Code != http.StatusForbidden || fresh.cookies["safetynet_session"] != nil {
		t.Fatalf("login without its token = %d, want 403 and no session", rec.Code)
	}
}

func TestUIIncidentEndToEnd(t *testing.T) {
	u := newUIEnv(t)
	b := u.browser("192.0.2.50")
	wantSeeOther(t, b.login(t, "alice", testPassword), "/admin")
	csrf := b.csrf(t)
	ctx := t.Context()

	// Open an incident with a component.
	rec := b.do(t, "POST", "/admin/incidents", url.Values{"csrf": {csrf}, "title": {"Checkout errors"}, "impact": {"major"},
		"status": {"investigating"}, "public": {"1"}, "components": {"api"}, "component_status": {"partial_outage"},
		"body": {"We are looking into **failed** payments."}})
	wantSeeOther(t, rec, "/admin/incidents/")
	incs, err := u.db.Incidents(ctx, status.IncidentFilter{Limit: 10})
	if err != nil || len(incs) != 1 {
		t.Fatalf("incidents = %+v, %v; want one", incs, err)
	}
	id := incs[0].ID
	inc, err := u.db.Incident(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if inc.Title != "Checkout errors" || !inc.Public || inc.Impact != status.ImpactMajor || len(inc.Components) != 1 ||
		inc.Components[0] != (status.AffectedComponent{Component: "api", Status: status.PartialOutage}) ||
		len(inc.Updates) != 1 || !inc.Updates[0].Human || inc.Updates[0].Author != "alice" {
		t.Fatalf("created = %+v", inc)
	}
	ids := fmt.Sprint(id)
	page := b.do(t, "GET", "/admin/incidents/"+ids+"?ok=created", nil)
	if page.Code != http.StatusOK || !strings.Contains(page.Body.String(), "Incident opened.") || !strings.Contains(page.Body.String(), "<strong>failed</strong>") {
		t.Fatalf("incident page = %d:\n%s", page.Code, page.Body)
	}

	// Post an update from /admin, as during an outage.
	home := b.do(t, "GET", "/admin", nil).Body.String()
	if !strings.Contains(home, `action="/admin/incidents/`+ids+`/updates"`) {
		t.Fatalf("/admin has no update form for incident %d:\n%s", id, home)
	}
	rec = b.do(t, "POST", "/admin/incidents/"+ids+"/updates", url.Values{"csrf": {csrf}, "back": {"home"}, "status": {"identified"}, "body": {"A bad deploy; rolling back."}})
	wantSeeOther(t, rec, "/admin?ok=updated")
	inc, _ = u.db.Incident(ctx, id)
	if inc.Status != status.Identified || len(inc.Updates) != 2 || inc.Updates[1].Body != "A bad deploy; rolling back." || !inc.Updates[1].Human || inc.Updates[1].Author != "alice" {
		t.Fatalf("after update = %+v", inc)
	}
	if got := u.changes(); len(got) != 2 || got[0] != id || got[1] != id {
		t.Fatalf("IncidentChanged calls = %v, want the incident twice (create, update)", got)
	}
	if rec := b.do(t, "POST", "/admin/incidents/"+ids+"/updates", url.Values{"csrf": {csrf}, "status": {"identified"}, "body": {"  "}}); rec.Code != http.StatusBadRequest ||
		!strings.Contains(rec.Body.String(), "an update needs a text") {
		t.Fatalf("empty update = %d, want 400 saying why:\n%s", rec.Code, rec.Body)
	}

	// Acknowledge, edit, merge; the audit trail names alice.
	wantSeeOther(t, b.do(t, "POST", "/admin/incidents/"+ids+"/ack", url.Values{"csrf": {csrf}}), "/admin/incidents/"+ids)
	wantSeeOther(t, b.do(t, "POST", "/admin/incidents/"+ids+"/edit", url.Values{"csrf": {csrf}, "title": {"Payments failing"}, "impact": {"critical"}}), "/admin/incidents/"+ids)
	other, err := u.db.CreateIncident(ctx, status.Incident{Title: "Older", Status: status.Investigating, Impact: status.ImpactMinor, CreatedAt: u.clock.now()},
		status.IncidentUpdate{Status: status.Investigating, Body: "x", Human: true, Author: "bob", At: u.clock.now()}, "bob")
	if err != nil {
		t.Fatal(err)
	}
	if rec := b.do(t, "POST", "/admin/incidents/"+ids+"/merge", url.Values{"csrf": {csrf}, "into": {ids}}); rec.Code != http.StatusBadRequest {
		t.Fatalf("merge into itself = %d, want 400", rec.Code)
	}
	wantSeeOther(t, b.do(t, "POST", "/admin/incidents/"+ids+"/merge", url.Values{"csrf": {csrf}, "into": {fmt.Sprint(other.ID)}}), "/admin/incidents/"+ids)
	if home := b.do(t, "GET", "/admin", nil).Body.String(); strings.Contains(home, `action="/admin/incidents/`+ids+`/updates"`) || !strings.Contains(home, "Older") {
		t.Errorf("/admin still lists the merged incident %d, or lost the one it went into:\n%s", id, home)
	}
	inc, _ = u.db.Incident(ctx, id)
	if inc.AckedBy != "alice" || inc.Title != "Payments failing" || inc.Impact != status.ImpactCritical || inc.Public || inc.MergedInto != other.ID {
		t.Fatalf("after ack, edit, merge = %+v", inc)
	}
	page = b.do(t, "GET", "/admin/incidents/"+ids, nil)
	for _, want := range []string{"user:alice", "Audit trail", "merged into", "Payments failing"} {
		if !strings.Contains(page.Body.String(), want) {
			t.Errorf("incident page lacks %q", want)
		}
	}
	if rec := b.do(t, "GET", "/admin/incidents/9999", nil); rec.Code != http.StatusNotFound {
		t.Errorf("unknown incident = %d, want 404", rec.Code)
	}
}

func TestUIEscapesHostileText(t *testing.T) {
	u := newUIEnv(t)
	b := u.browser("192.0.2.60")
	wantSeeOther(t, b.login(t, "alice", testPassword), "/admin")
	now := u.clock.now()
	inc, err := u.db.CreateIncident(t.Context(), status.Incident{Title: `<script>alert("title")</script>`, Status: status.Investigating, Impact: status.ImpactMajor, CreatedAt: now},
		status.IncidentUpdate{Status: status.Investigating, Body: "<img src=x onerror=alert(1)> [click](javascript:alert(2)) <script>alert(3)</script>", Author: `"><b>eve</b>`, Human: true, At: now}, "eve")
	if err != nil {
		t.Fatal(err)
	}
	for _, path := range []string{"/admin", "/admin/incidents/" + fmt.Sprint(inc.ID)} {
		body := b.do(t, "GET", path, nil).Body.String()
		for _, bad := range []string{"<script>alert", "<img", `href="javascript:`, "<b>eve"} {
			if strings.Contains(body, bad) {
				t.Errorf("%s carries %q unescaped", path, bad)
			}
		}
		if !strings.Contains(body, "&lt;script&gt;alert(&#34;title&#34;)&lt;/script&gt;") {
			t.Errorf("%s does not show the title escaped", path)
		}
	}
}

func TestUINeedsExplanation(t *testing.T) {
	u := newUIEnv(t)
	b := u.browser("192.0.2.70")
	wantSeeOther(t, b.login(t, "alice", testPassword), "/admin")
	ctx := t.Context()
	now := u.clock.now()
	auto, err := u.db.CreateIncident(ctx, status.Incident{Title: "API failing", Automatic: true, Status: status.Investigating, Impact: status.ImpactMajor, CreatedAt: now.Add(-time.Hour), StartedAt: now.Add(-time.Hour)},
		status.IncidentUpdate{Status: status.Investigating, Body: "We are investigating failures of API", Author: "safetynet", At: now.Add(-time.Hour)}, "safetynet")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := u.db.AddUpdate(ctx, auto.ID, status.IncidentUpdate{Status: status.Resolved, Body: "Recovered", Author: "safetynet", At: now.Add(-30 * time.Minute)}, "safetynet"); err != nil {
		t.Fatal(err)
	}
	ids := fmt.Sprint(auto.ID)
	list := b.do(t, "GET", "/admin/explain", nil).Body.String()
	if !strings.Contains(list, `action="/admin/explain/`+ids+`"`) {
		t.Fatalf("explain list lacks incident %d:\n%s", auto.ID, list)
	}
	if home := b.do(t, "GET", "/admin", nil).Body.String(); !strings.Contains(home, "1 resolved incident needs a closing note") {
		t.Errorf("/admin does not point to the list:\n%s", home)
	}
	csrf := b.csrf(t)
	if rec := b.do(t, "POST", "/admin/explain/"+ids, url.Values{"csrf": {csrf}, "body": {"x"}, "visibility": {"everyone"}}); rec.Code != http.StatusBadRequest {
		t.Fatalf("bad visibility = %d, want 400", rec.Code)
	}
	wantSeeOther(t, b.do(t, "POST", "/admin/explain/"+ids, url.Values{"csrf": {csrf}, "body": {"A full disk on db-2; alerts now fire at 80%."}, "visibility": {"internal"}}), "/admin/explain")
	inc, err := u.db.Incident(ctx, auto.ID)
	if err != nil {
		t.Fatal(err)
	}
	if !inc.Explained() || inc.Public || inc.Status != status.Resolved || inc.Updates[len(inc.Updates)-1].Author != "alice" {
		t.Fatalf("after the note = %+v, want explained, internal, resolved", inc)
	}
	if list := b.do(t, "GET", "/admin/explain", nil).Body.String(); !strings.Contains(list, "Nothing waits for an explanation.") {
		t.Fatalf("explained incident still listed:\n%s", list)
	}
	if got := u.changes(); len(got) != 1 || got[0] != auto.ID {
		t.Fatalf("IncidentChanged = %v, want the incident once", got)
	}
}

func TestUIWithoutUserStore(t *testing.T) {
	e := newEnv(t, nil)
	for _, path := range []string{"/admin", "/admin/explain"} {
		if rec := e.do(t, "GET", path, "", ""); rec.Code != http.StatusServiceUnavailable {
			t.Errorf("GET %s without a store = %d, want 503", path, rec.Code)
		}
	}
}

// TestUIScreenshotPage writes /admin, with its style sheet inlined, to the
// file named by SAFETYNET_ADMIN_HTML, for a look in a browser.
func TestUIScreenshotPage(t *testing.T) {
	out := os.Getenv("SAFETYNET_ADMIN_HTML")
	if out == "" {
		t.Skip("set SAFETYNET_ADMIN_HTML=/tmp/admin.html to write the page")
	}
	u := newUIEnv(t)
	b := u.browser("192.0.2.80")
	wantSeeOther(t, b.login(t, "alice", testPassword), "/admin")
	ctx := t.Context()
	now := u.clock.now()
	inc, err := u.db.CreateIncident(ctx, status.Incident{Title: "Elevated API error rates", Status: status.Investigating, Impact: status.ImpactMajor, Public: true,
		Components: []status.AffectedComponent{{Component: "api", Status: status.PartialOutage}}, CreatedAt: now.Add(-12 * time.Minute), StartedAt: now.Add(-14 * time.Minute)},
		status.IncidentUpdate{Status: status.Investigating, Body: "We are investigating failures of **API** since 13:46 UTC.", Author: "safetynet", At: now.Add(-12 * time.Minute)}, "safetynet")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := u.db.CreateIncident(ctx, status.Incident{Title: "Slow dashboard for EU customers", Status: status.Monitoring, Impact: status.ImpactMinor, CreatedAt: now.Add(-time.Hour)},
		status.IncidentUpdate{Status: status.Monitoring, Body: "A fix is out; we are watching latency.", Author: "bob", Human: true, At: now.Add(-5 * time.Minute)}, "bob"); err != nil {
		t.Fatal(err)
	}
	if err := u.db.AckIncident(ctx, inc.ID, "alice", now.Add(-10*time.Minute)); err != nil {
		t.Fatal(err)
	}
	for file, path := range map[string]string{out: "/admin", strings.TrimSuffix(out, ".html") + "-incident.html": "/admin/incidents/" + strconv.FormatInt(inc.ID, 10)} {
		page := b.do(t, "GET", path, nil).Body.String()
		link := regexp.MustCompile(`<link rel="stylesheet" href="(/static/[^"]+)">`).FindStringSubmatch(page)
		if link == nil {
			t.Fatal("no style sheet link")
		}
		css := b.do(t, "GET", link[1], nil).Body.String()
		page = strings.Replace(page, link[0], "<style>"+css+"</style>", 1)
		if err := os.WriteFile(file, []byte(page), 0o644); err != nil {
			t.Fatal(err)
		}
		t.Logf("wrote %s (%d bytes)", file, len(page))
	}
}

func TestUISplitIncident(t *testing.T) {
	u := newUIEnv(t)
	b := u.browser("192.0.2.51")
	wantSeeOther(t, b.login(t, "alice", testPassword), "/admin")
	csrf := b.csrf(t)
	ctx := t.Context()
	orig, err := u.db.CreateIncident(ctx, status.Incident{Title: "API and Web down", Status: status.Investigating, Impact: status.ImpactMajor, Automatic: true,
		Components: []status.AffectedComponent{{Component: "api", Status: status.MajorOutage}, {Component: "web", Status: status.MajorOutage}},
		Customers:  []string{"acme", "globex"}, StartedAt: u.clock.now().Add(-10 * time.Minute)},
		status.IncidentUpdate{Body: "We are investigating failures of API since 13:50 UTC.", Author: "safetynet"}, "safetynet")
	if err != nil {
		t.Fatal(err)
	}
	ids := fmt.Sprint(orig.ID)

	page := b.do(t, "GET", "/admin/incidents/"+ids, nil).Body.String()
	for _, want := range []string{`action="/admin/incidents/` + ids + `/split"`, `name="component" value="web"`, `name="customer" value="globex"`} {
		if !strings.Contains(page, want) {
			t.Fatalf("incident page lacks %q:\n%s", want, page)
		}
	}
	form := url.Values{"title": {"Web down for Globex"}, "component": {"web"}, "customer": {"globex"}}
	// Without the CSRF token nothing is split.
	if rec := b.do(t, "POST", "/admin/incidents/"+ids+"/split", form); rec.Code != http.StatusForbidden {
		t.Fatalf("split without CSRF = %d, want 403", rec.Code)
	}
	form.Set("csrf", csrf)
	rec := b.do(t, "POST", "/admin/incidents/"+ids+"/split", form)
	wantSeeOther(t, rec, "/admin/incidents/")
	loc := rec.Header().Get("Location")
	if strings.HasPrefix(loc, "/admin/incidents/"+ids+"?") {
		t.Fatalf("redirected to the original incident %s, want the new one", loc)
	}
	page = b.do(t, "GET", loc, nil).Body.String()
	if !strings.Contains(page, "Incident split") || !strings.Contains(page, "Web down for Globex") || !strings.Contains(page, "user:alice") {
		t.Errorf("new incident page:\n%s", page)
	}
	kept, err := u.db.Incident(ctx, orig.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(kept.Components) != 1 || kept.Components[0].Component != "api" || strings.Join(kept.Customers, ",") != "acme" {
		t.Errorf("original keeps %+v and %v", kept.Components, kept.Customers)
	}
	if got := u.changes(); len(got) != 1 || got[0] == orig.ID {
		t.Errorf("IncidentChanged calls %v, want the new incident once", got)
	}
	// A split that would leave the original empty is refused with a reason.
	rec = b.do(t, "POST", "/admin/incidents/"+ids+"/split", url.Values{"csrf": {csrf}, "title": {"All"}, "component": {"api"}})
	if rec.Code != http.StatusBadRequest || !strings.Contains(rec.Body.String(), "at least one component") {
		t.Errorf("emptying split = %d:\n%s", rec.Code, rec.Body)
	}
}
