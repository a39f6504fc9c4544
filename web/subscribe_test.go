package web_test

import (
	"fmt"
	"html"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/safetynet-dev/safetynet/incident"
	"github.com/safetynet-dev/safetynet/notify"
	"github.com/safetynet-dev/safetynet/notify/notifytest"
	"github.com/safetynet-dev/safetynet/status"
	"github.com/safetynet-dev/safetynet/store"
	"github.com/safetynet-dev/safetynet/web"
)

// subEnv is a server with a real store and a movable clock.
type subEnv struct {
	*env
	db  *store.DB
	now time.Time
	pub *fakePublic
}

func newSubEnv(t *testing.T) *subEnv {
	t.Helper()
	se := &subEnv{now: now, pub: samplePublic()}
	db, err := store.Open(t.Context(), filepath.Join(t.TempDir(), "s.db"), store.Options{Now: func() time.Time { return se.now }, Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	se.db = db
	se.env = newEnv(t, func(o *web.Options) {
		o.Store = db
		o.Public = se.pub
		o.Now = func() time.Time { return se.now }
	})
	return se
}

// browser keeps cookies between requests and comes from one address.
type browser struct {
	se      *subEnv
	remote  string
	cookies map[string]*http.Cookie
}

func (se *subEnv) browser(remote string) *browser {
	return &browser{se: se, remote: remote, cookies: map[string]*http.Cookie{}}
}

func (b *browser) do(t *testing.T, method, path string, form url.Values) *httptest.ResponseRecorder {
	t.Helper()
	var req *http.Request
	if form != nil {
		req = httptest.NewRequest(method, path, strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	} else {
		req = httptest.NewRequest(method, path, nil)
	}
	req.RemoteAddr = b.remote
	for _, c := range b.cookies {
		req.AddCookie(c)
	}
	rec := httptest.NewRecorder()
	b.se.srv.Handler().ServeHTTP(rec, req)
	for _, c := range rec.Result().Cookies() {
		b.cookies[c.Name] = c
	}
	return rec
}

var csrfRE = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

// csrf loads the form and returns its CSRF token.
func (b *browser) csrf(t *testing.T) string {
	t.Helper()
	rec := b.do(t, "GET", "/subscribe", nil)
	if rec.Code != 200 {
		t.Fatalf("GET /subscribe: %d %s", rec.Code, rec.Body)
	}
	m := csrfRE.FindStringSubmatch(rec.Body.String())
	if m == nil {
		t.Fatalf("no CSRF token in the form:\n%s", rec.Body)
	}
	return html.UnescapeString(m[1])
}

func (b *browser) signup(t *testing.T, v url.Values) *httptest.ResponseRecorder {
	t.Helper()
	v.Set("csrf", b.csrf(t))
	return b.do(t, "POST", "/subscribe", v)
}

func (se *subEnv) only(t *testing.T) status.Subscriber {
	t.Helper()
	subs, err := se.db.Subscribers(t.Context(), false)
	if err != nil || len(subs) != 1 {
		t.Fatalf("subscribers = %+v, %v; want one", subs, err)
	}
	return subs[0]
}

func (se *subEnv) key(t *testing.T) []byte {
	t.Helper()
	k, err := se.db.SubscriberKey(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	return k
}

func TestSubscribeFormWorksWithoutJavaScript(t *testing.T) {
	se := newSubEnv(t)
	rec := se.browser("192.0.2.1:1234").do(t, "GET", "/subscribe", nil)
	body := rec.Body.String()
	if rec.Code != 200 || rec.Header().Get("Cache-Control") != "no-store" {
		t.Fatalf("GET /subscribe: %d %v", rec.Code, rec.Header())
	}
	for _, want := range []string{`<form method="post" action="/subscribe"`, `name="component" value="api"`, `name="component" value="docs"`,
		`<label for="c-web">Product: Web app</label>`, `type="email"`, `type="url"`, "Demo status"} {
		if !strings.Contains(body, want) {
			t.Errorf("form lacks %q", want)
		}
	}
	if strings.Contains(body, "<script>") {
		t.Error("the form has an inline script")
	}
	var c *http.Cookie
	for _, ck := range rec.Result().Cookies() {
		c = ck
	}
	if c == nil || !c.HttpOnly || c.SameSite != http.SameSiteStrictMode || c.Path != "/subscribe" {
		t.Errorf("CSRF cookie = %+v", c)
	}
}

func TestSubscribeEmailDoubleOptIn(t *testing.T) {
	se := newSubEnv(t)
	ctx := t.Context()
	b := se.browser("192.0.2.1:1234")
	rec := b.signup(t, url.Values{"kind": {"email"}, "email": {" ann@example.com "}, "component": {"api", "docs", "api"}})
	if rec.Code != 200 || !strings.Contains(rec.Body.String(), "Check your inbox") {
		t.Fatalf("signup: %d %s", rec.Code, rec.Body)
	}
	sub := se.only(t)
	if sub.Confirmed || sub.Address != "ann@example.com" || strings.Join(sub.Components, ",") != "api,docs" {
		t.Fatalf("subscriber = %+v", sub)
	}
	ns, err := se.db.ClaimNotifications(ctx, "test", se.now, 10, time.Minute)
	if err != nil || len(ns) != 1 || ns[0].Notifier != incident.NotifierName(sub.ID) || ns[0].Message.Event != status.EventSubscribeConfirm {
		t.Fatalf("outbox = %+v, %v; want one confirmation", ns, err)
	}
	tok := incident.ConfirmToken(se.key(t), sub)
	if rec := b.do(t, "POST", "/subscribe/confirm?token=wrong", nil); rec.Code != 404 {
		t.Fatalf("confirm with a wrong token: %d", rec.Code)
	}
	// Opening the link (what a mail scanner does) only shows a button.
	rec = b.do(t, "GET", "/subscribe/confirm?token="+url.QueryEscape(tok), nil)
	if rec.Code != 200 || !strings.Contains(rec.Body.String(), `action="/subscribe/confirm?token=`) || se.only(t).Confirmed {
		t.Fatalf("GET of the link: %d, confirmed %v; want the confirmation form and nothing confirmed\n%s", rec.Code, se.only(t).Confirmed, rec.Body)
	}
	rec = b.do(t, "POST", "/subscribe/confirm?token="+url.QueryEscape(tok), nil)
	if rec.Code != 200 || !strings.Contains(rec.Body.String(), "Subscription confirmed") {
		t.Fatalf("confirm: %d %s", rec.Code, rec.Body)
	}
	if !se.only(t).Confirmed {
		t.Fatal("not confirmed")
	}
	if rec := b.do(t, "POST", "/subscribe/confirm?token="+url.QueryEscape(tok), nil); rec.Code != 404 {
		t.Fatalf("a confirmation link worked twice: %d", rec.Code)
	}
	// Signing up again answers the same and changes nothing: the form does
	// not tell who is subscribed.
	rec = b.signup(t, url.Values{"kind": {"email"}, "email": {"ann@example.com"}})
	if rec.Code != 200 || !strings.Contains(rec.Body.String(), "Check your inbox") {
		t.Fatalf("second signup: %d %s", rec.Code, rec.Body)
	}
	if got := se.only(t); !got.Confirmed || len(got.Components) != 2 {
		t.Fatalf("second signup changed the subscriber: %+v", got)
	}
}

func TestSubscribeRefusesForgedForms(t *testing.T) {
	se := newSubEnv(t)
	good := se.browser("192.0.2.1:1234")
	tok := good.csrf(t)
	form := func(csrf string) url.Values {
		return url.Values{"kind": {"email"}, "email": {"eve@example.com"}, "csrf": {csrf}}
	}
	other := se.browser("192.0.2.2:1234")
	otherTok := other.csrf(t)
	cases := map[string]*httptest.ResponseRecorder{
		"no cookie":               se.browser("192.0.2.3:1").do(t, "POST", "/subscribe", form(tok)),
		"no token":                good.do(t, "POST", "/subscribe", form("")),
		"another browser's token": good.do(t, "POST", "/subscribe", form(otherTok)),
		"tampered token":          good.do(t, "POST", "/subscribe", form(tok[:len(tok)-2]+"xx")),
	}
	se.now = se.now.Add(3 * time.Hour)
	cases["expired token"] = good.do(t, "POST", "/subscribe", form(tok))
	for name, rec := range cases {
		if rec.Code != http.StatusForbidden || !strings.Contains(rec.Body.String(), "expired or did not come from this page") {
			t.Errorf("%s: %d %s", name, rec.Code, rec.Body)
		}
	}
	if subs, _ := se.db.Subscribers(t.Context(), false); len(subs) != 0 {
		t.Fatalf("a forged form subscribed %+v", subs)
	}
	// The error page carries a fresh token that works.
	m := csrfRE.FindStringSubmatch(cases["expired token"].Body.String())
	if m == nil {
		t.Fatal("no fresh token on the error page")
	}
	if rec := good.do(t, "POST", "/subscribe", form(html.UnescapeString(m[1]))); rec.Code != 200 {
		t.Fatalf("resubmitted with the fresh token: %d %s", rec.Code, rec.Body)
	}
}

func TestUnsubscribeInOneClick(t *testing.T) {
	se := newSubEnv(t)
	b := se.browser("192.0.2.1:1234")
	for _, addr := range []string{"ann@example.com", "bob@example.com"} {
		if rec := b.signup(t, url.Values{"kind": {"email"}, "email": {addr}}); rec.Code != 200 {
			t.Fatalf("signup %s: %d", addr, rec.Code)
		}
	}
	subs, _ := se.db.Subscribers(t.Context(), false)
	key := se.key(t)
	ann, bob := incident.UnsubscribeToken(key, subs[0]), incident.UnsubscribeToken(key, subs[1])

	// Opening the link (as a mail filter or link scanner would) only asks.
	link := "/unsubscribe?token=" + url.QueryEscape(ann)
	for range 2 {
		rec := b.do(t, "GET", link, nil)
		if rec.Code != 200 || !strings.Contains(rec.Body.String(), `<form method="post" action="`+strings.ReplaceAll(link, "&", "&amp;")+`"`) {
			t.Fatalf("GET unsubscribe: %d %s", rec.Code, rec.Body)
		}
		if got := rec.Header().Get("Referrer-Policy"); got != "no-referrer" {
			t.Errorf("Referrer-Policy = %q on a page with a token in its URL", got)
		}
	}
	if subs, _ := se.db.Subscribers(t.Context(), false); len(subs) != 2 {
		t.Fatalf("GET unsubscribed someone: %+v", subs)
	}
	// The page's button posts the link back, with no cookie or CSRF token.
	rec := b.do(t, "POST", link, url.Values{})
	if rec.Code != 200 || !strings.Contains(rec.Body.String(), "ann@example.com</strong> will get no more notices") {
		t.Fatalf("POST unsubscribe: %d %s", rec.Code, rec.Body)
	}
	if rec := b.do(t, "POST", link, url.Values{}); rec.Code != 404 {
		t.Fatalf("second click: %d", rec.Code)
	}
	// RFC 8058: the mail client POSTs List-Unsubscribe=One-Click to the
	// link, with no cookie and no CSRF token.
	rec = se.browser("198.51.100.7:1").do(t, "POST", "/unsubscribe?token="+url.QueryEscape(bob), url.Values{"List-Unsubscribe": {"One-Click"}})
	if rec.Code != 200 {
		t.Fatalf("one-click POST: %d %s", rec.Code, rec.Body)
	}
	if subs, _ := se.db.Subscribers(t.Context(), false); len(subs) != 0 {
		t.Fatalf("still subscribed: %+v", subs)
	}
	if rec := b.do(t, "GET", "/unsubscribe", nil); rec.Code != 404 {
		t.Fatalf("no token: %d", rec.Code)
	}
}

func TestSubscribePagesEscape(t *testing.T) {
	se := newSubEnv(t)
	se.pub.st.Components = append(se.pub.st.Components, web.PublicComponent{Component: status.Component{ID: "evil", Name: `<img src=x onerror=alert(1)>`}})
	b := se.browser("192.0.2.1:1234")
	rec := b.do(t, "GET", "/subscribe", nil)
	if strings.Contains(rec.Body.String(), "<img src=x") || !strings.Contains(rec.Body.String(), "&lt;img src=x onerror=alert(1)&gt;") {
		t.Errorf("component name not escaped:\n%s", rec.Body)
	}
	rec = b.signup(t, url.Values{"kind": {"email"}, "email": {`"><script>alert(1)</script>`}})
	if rec.Code != 400 || strings.Contains(rec.Body.String(), "<script>alert") || !strings.Contains(rec.Body.String(), "&lt;script&gt;alert(1)&lt;/script&gt;") {
		t.Errorf("bad address: %d, not escaped:\n%s", rec.Code, rec.Body)
	}
	rec = b.signup(t, url.Values{"kind": {"webhook"}, "url": {`https://hooks.example.com/x?a="><script>alert(1)</script>`}})
	if rec.Code != 201 || strings.Contains(rec.Body.String(), "<script>alert") {
		t.Errorf("webhook URL: %d, not escaped:\n%s", rec.Code, rec.Body)
	}
	if rec := b.signup(t, url.Values{"kind": {"email"}, "email": {"a@example.com"}, "component": {"nope"}}); rec.Code != 400 {
		t.Errorf("unknown component: %d", rec.Code)
	}
}

func TestSubscribeWebhookSecretVerifiesSignatures(t *testing.T) {
	se := newSubEnv(t)
	ctx := t.Context()
	b := se.browser("192.0.2.1:1234")
	for i, bad := range []string{"http://169.254.169.254/latest/meta-data/", "http://127.0.0.1:8080/", "http://localhost/x", "ftp://example.com/"} {
		if rec := se.browser(fmt.Sprintf("198.51.100.%d:1", i)).signup(t, url.Values{"kind": {"webhook"}, "url": {bad}}); rec.Code != 400 {
			t.Errorf("webhook %s: %d, want 400", bad, rec.Code)
		}
	}
	rec := b.signup(t, url.Values{"kind": {"webhook"}, "url": {"https://hooks.example.com/status"}, "component": {"api"}})
	if rec.Code != http.StatusCreated {
		t.Fatalf("webhook signup: %d %s", rec.Code, rec.Body)
	}
	m := regexp.MustCompile(`id="secret" readonly value="([^"]+)"`).FindStringSubmatch(rec.Body.String())
	if m == nil {
		t.Fatalf("no secret shown:\n%s", rec.Body)
	}
	secret := html.UnescapeString(m[1])
	sub := se.only(t)
	if !sub.Confirmed || strings.Contains(sub.Address+sub.Nonce+sub.UnsubscribeHash+sub.ConfirmHash, secret) {
		t.Fatalf("subscriber = %+v", sub)
	}
	if rec := b.signup(t, url.Values{"kind": {"webhook"}, "url": {"https://hooks.example.com/status"}}); rec.Code != http.StatusConflict || strings.Contains(rec.Body.String(), secret) {
		t.Fatalf("second webhook signup: %d, or the secret shown again", rec.Code)
	}

	// A notice reaches the receiver signed with the secret shown above.
	rcv := notifytest.NewReceiver(t, 200, "ok")
	a := &incident.Announcer{Subscribers: se.db, Outbox: se.db, PageID: "demo", PageURL: "https://status.example.com", Now: func() time.Time { return se.now }}
	inc := se.pub.st.Incidents[0]
	if n, err := a.Incident(ctx, inc); err != nil || n != 1 {
		t.Fatalf("announce = %d, %v", n, err)
	}
	ns, err := se.db.ClaimNotifications(ctx, "test", se.now, 10, time.Minute)
	if err != nil || len(ns) != 1 {
		t.Fatalf("outbox = %+v, %v", ns, err)
	}
	target, _ := url.Parse(rcv.URL)
	client := &http.Client{Transport: rewriteHost{target.Host}}
	r := &incident.SubscriberNotifiers{Store: se.db, PageURL: "https://status.example.com", Env: notify.Env{HTTPClient: client}}
	if err := r.Notifier(ns[0].Notifier).Send(ctx, ns[0].Message); err != nil {
		t.Fatal(err)
	}
	req := rcv.Last(t)
	if req.Path != "/status" || !incident.VerifySignature(secret, req.Body, req.Header.Get(incident.HeaderSignature)) {
		t.Fatalf("request to %s with signature %q does not verify with the shown secret", req.Path, req.Header.Get(incident.HeaderSignature))
	}
}

// rewriteHost sends every request to a loopback receiver, so a webhook on
// a public name can be tested without the network.
type rewriteHost struct{ host string }

func (rh rewriteHost) RoundTrip(r *http.Request) (*http.Response, error) {
	r = r.Clone(r.Context())
	r.URL.Scheme, r.URL.Host = "http", rh.host
	return http.DefaultTransport.RoundTrip(r)
}

func TestSubscribeRateLimitPerVisitor(t *testing.T) {
	se := newSubEnv(t)
	b := se.browser("192.0.2.1:1234")
	for i := range 5 {
		if rec := b.signup(t, url.Values{"kind": {"email"}, "email": {"u" + string(rune('a'+i)) + "@example.com"}}); rec.Code != 200 {
			t.Fatalf("signup %d: %d", i, rec.Code)
		}
	}
	rec := b.signup(t, url.Values{"kind": {"email"}, "email": {"late@example.com"}})
	if rec.Code != http.StatusTooManyRequests || rec.Header().Get("Retry-After") == "" {
		t.Fatalf("sixth signup: %d %v", rec.Code, rec.Header())
	}
	// Another address is not held back; the same one is after the window.
	if rec := se.browser("192.0.2.9:1").signup(t, url.Values{"kind": {"email"}, "email": {"other@example.com"}}); rec.Code != 200 {
		t.Fatalf("another visitor: %d", rec.Code)
	}
	// IPv6 visitors count per /64.
	v6a, v6b := se.browser("[2001:db8::1]:1"), se.browser("[2001:db8::2]:1")
	for i := range 5 {
		if rec := v6a.signup(t, url.Values{"kind": {"email"}, "email": {"v" + string(rune('a'+i)) + "@example.com"}}); rec.Code != 200 {
			t.Fatalf("v6 signup %d: %d", i, rec.Code)
		}
	}
	if rec := v6b.signup(t, url.Values{"kind": {"email"}, "email": {"v6b@example.com"}}); rec.Code != http.StatusTooManyRequests {
		t.Fatalf("same /64: %d", rec.Code)
	}
	se.now = se.now.Add(11 * time.Minute)
	if rec := b.signup(t, url.Values{"kind": {"email"}, "email": {"late@example.com"}}); rec.Code != 200 {
		t.Fatalf("after the window: %d", rec.Code)
	}
}

func TestSubscribeWithoutStore(t *testing.T) {
	e := newEnv(t, nil)
	for _, p := range []string{"/subscribe", "/subscribe/confirm?token=x", "/unsubscribe?token=x"} {
		if rec := e.do(t, "GET", p, "", ""); rec.Code != http.StatusServiceUnavailable {
			t.Errorf("%s without a store: %d", p, rec.Code)
		}
	}
}
