package web

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/safetynet-dev/safetynet"
	"github.com/safetynet-dev/safetynet/incident"
	"github.com/safetynet-dev/safetynet/notify"
	"github.com/safetynet-dev/safetynet/status"
)

// Public subscription pages. They work without JavaScript:
//
//	GET  /subscribe            the form: e-mail or webhook, per-component boxes
//	POST /subscribe            sign up (CSRF-checked, rate-limited per IP)
//	GET  /subscribe/confirm    ?token=… confirms an e-mail address
//	GET  /unsubscribe          ?token=… asks "unsubscribe?" with one button; changes nothing
//	POST /unsubscribe          ?token=… unsubscribes: the button, a program, or a mail
//	                           client's List-Unsubscribe-Post (RFC 8058) one-click POST
//
// GET changes nothing because mail filters and link scanners fetch the
// links in a message, and the List-Unsubscribe header, on their own (RFC
// 8058, section 1): a GET that unsubscribed would end subscriptions nobody
// asked to end. The POST needs no cookie or CSRF token, as RFC 8058 asks:
// the unguessable token in the URL is the proof.
//
// CSRF: GET /subscribe sets a random cookie (HttpOnly, SameSite=Strict) and
// puts in the form a token that is an HMAC, under the server's subscriber
// key, of that cookie and the time. POST checks both, in constant time, and
// refuses tokens older than csrfMaxAge. Another site can neither read the
// cookie nor make the browser send it, so it cannot forge a signup; a
// script that fetches the form itself gets nothing but one signup per form,
// within the rate limit, and e-mail signups still wait for the owner's
// confirmation.

// subscriberBackend is what the subscription pages need from the store.
type subscriberBackend interface {
	status.SubscriberStore
	Enqueue(ctx context.Context, ns []status.Notification) (int, error)
}

const (
	csrfCookie  = "sn_subscribe"
	csrfMaxAge  = 2 * time.Hour
	maxFormBody = 16 << 10
	// A visitor (an IP address, or an IPv6 /64) may sign up this many
	// times per window.
	signupBurst  = 5
	signupWindow = 10 * time.Minute
)

func init() {
	extraRoutes = append(extraRoutes, func(s *Server, mux *http.ServeMux) {
		h := &subscribePages{s: s, limit: newRateLimiter(signupBurst, signupWindow, 10000)}
		mux.HandleFunc("GET /subscribe", h.form)
		mux.HandleFunc("POST /subscribe", h.signup)
		mux.HandleFunc("GET /subscribe/confirm", h.confirmForm)
		mux.HandleFunc("POST /subscribe/confirm", h.confirm)
		mux.HandleFunc("GET /unsubscribe", h.unsubscribeForm)
		mux.HandleFunc("POST /unsubscribe", h.unsubscribe)
	})
}

type subscribePages struct {
	s     *Server
	limit *rateLimiter
}

// subscribePage is what public_subscribe.html renders. State picks the
// view: form, inbox, webhook, confirmed, unsubscribe (the question),
// unsubscribed, invalid.
type subscribePage struct {
	Page       PageInfo
	State      string
	Components []PublicComponent
	CSRF       string
	Kind       string
	Email      string
	URL        string
	Selected   map[string]bool
	Error      string
	Secret     string
	// Token is the unsubscribe token the "unsubscribe?" form posts back.
	Token string
}

func (h *subscribePages) backend(w http.ResponseWriter) (subscriberBackend, bool) {
	b, ok := h.s.store.(subscriberBackend)
	if !ok {
		unavailable(w, "subscriptions")
	}
	return b, ok
}

// page fills in the page and the public components.
func (h *subscribePages) page(ctx context.Context, state string) (subscribePage, error) {
	p := subscribePage{State: state, Kind: "email", Selected: map[string]bool{}, Page: PageInfo{Name: "Status"}}
	if h.s.public != nil {
		st, err := h.s.public.Public(ctx)
		if err != nil {
			return p, err
		}
		p.Page, p.Components = st.Page, st.Components
	}
	return p, nil
}

func (h *subscribePages) render(w http.ResponseWriter, r *http.Request, code int, p subscribePage) {
	var buf bytes.Buffer
	if err := publicTmpl.ExecuteTemplate(&buf, "public_subscribe.html", p); err != nil {
		h.s.writeError(w, r, fmt.Errorf("web: render subscribe page: %w", err))
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	// Confirm and unsubscribe pages carry a token in their URL.
	w.Header().Set("Referrer-Policy", "no-referrer")
	w.WriteHeader(code)
	_, _ = w.Write(buf.Bytes())
}

// form serves the signup form with a fresh CSRF token.
func (h *subscribePages) form(w http.ResponseWriter, r *http.Request) {
	b, ok := h.backend(w)
	if !ok {
		return
	}
	p, err := h.page(r.Context(), "form")
	if err != nil {
		h.s.writeError(w, r, err)
		return
	}
	key, err := b.SubscriberKey(r.Context())
	if err != nil {
		h.s.writeError(w, r, err)
		return
	}
	p.CSRF = h.csrfFor(w, r, key)
	h.render(w, r, http.StatusOK, p)
}

// csrfFor reuses or sets the CSRF cookie and returns the form token for it.
func (h *subscribePages) csrfFor(w http.ResponseWriter, r *http.Request, key []byte) string {
	var id string
	if c, err := r.Cookie(csrfCookie); err == nil && validCookieValue(c.Value) {
		id = c.Value
	} else {
		b := make([]byte, 24)
		rand.Read(b)
		id = base64.RawURLEncoding.EncodeToString(b)
		http.SetCookie(w, &http.Cookie{Name: csrfCookie, Value: id, Path: "/subscribe", HttpOnly: true,
			Secure: r.TLS != nil, SameSite: http.SameSiteStrictMode, MaxAge: int(csrfMaxAge / time.Second)})
	}
	ts := strconv.FormatInt(h.s.now().Unix(), 10)
	return ts + "." + csrfMAC(key, id, ts)
}

func validCookieValue(v string) bool {
	b, err := base64.RawURLEncoding.DecodeString(v)
	return err == nil && len(b) == 24
}

func csrfMAC(key []byte, cookie, ts string) string {
	m := hmac.New(sha256.New, key)
	m.Write([]byte("safetynet subscribe csrf\x00" + cookie + "\x00" + ts))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

// checkCSRF reports whether the form token matches the cookie, under key,
// and is recent.
func (h *subscribePages) checkCSRF(r *http.Request, key []byte) bool {
	c, err := r.Cookie(csrfCookie)
	if err != nil || !validCookieValue(c.Value) {
		return false
	}
	ts, mac, ok := strings.Cut(r.PostFormValue("csrf"), ".")
	if !ok {
		return false
	}
	sec, err := strconv.ParseInt(ts, 10, 64)
	if err != nil {
		return false
	}
	age := h.s.now().Sub(time.Unix(sec, 0))
	if age < -time.Minute || age > csrfMaxAge {
		return false
	}
	return hmac.Equal([]byte(mac), []byte(csrfMAC(key, c.Value, ts)))
}

// signup handles the form: it stores the subscriber and either queues the
// confirmation mail or shows the webhook secret, once.
func (h *subscribePages) signup(w http.ResponseWriter, r *http.Request) {
	b, ok := h.backend(w)
	if !ok {
		return
	}
	ctx := r.Context()
	r.Body = http.MaxBytesReader(w, r.Body, maxFormBody)
	if err := r.ParseForm(); err != nil {
		h.s.writeError(w, r, safetynet.Errorf(safetynet.EINVALID, "the form could not be read"))
		return
	}
	key, err := b.SubscriberKey(ctx)
	if err != nil {
		h.s.writeError(w, r, err)
		return
	}
	p, err := h.page(ctx, "form")
	if err != nil {
		h.s.writeError(w, r, err)
		return
	}
	p.Kind, p.Email, p.URL = r.PostFormValue("kind"), strings.TrimSpace(r.PostFormValue("email")), strings.TrimSpace(r.PostFormValue("url"))
	fail := func(code int, msg string) {
		p.Error = msg
		p.CSRF = h.csrfFor(w, r, key)
		h.render(w, r, code, p)
	}
	if !h.checkCSRF(r, key) {
		fail(http.StatusForbidden, "This form has expired or did not come from this page. Please send it again.")
		return
	}
	if !h.limit.allow(visitor(r), h.s.now()) {
		w.Header().Set("Retry-After", strconv.Itoa(int(signupWindow/time.Second)))
		fail(http.StatusTooManyRequests, "Too many sign-ups from your network. Please try again later.")
		return
	}
	known := map[string]bool{}
	for _, c := range p.Components {
		known[c.ID] = true
	}
	var comps []string
	for _, c := range r.PostForm["component"] {
		if !known[c] {
			fail(http.StatusBadRequest, "Please choose among the components listed.")
			return
		}
		if !p.Selected[c] {
			p.Selected[c] = true
			comps = append(comps, c)
		}
	}

	var kind status.SubscriberKind
	var addr string
	switch p.Kind {
	case "email":
		kind, addr = status.SubscriberEmail, p.Email
	case "webhook":
		kind, addr = status.SubscriberWebhook, p.URL
		// Refuse loopback, link-local and metadata addresses now, not only
		// when sending: the page is open to anyone.
		if _, err := (notify.Env{}).CheckPublicURL("subscriber", "url", addr); err != nil {
			fail(http.StatusBadRequest, "Please give an http or https URL on a public host.")
			return
		}
	default:
		fail(http.StatusBadRequest, "Please choose e-mail or webhook.")
		return
	}
	sub, err := incident.NewSubscriber(key, kind, addr, comps, h.s.now())
	if err != nil {
		if kind == status.SubscriberEmail {
			fail(http.StatusBadRequest, "Please give a valid e-mail address.")
		} else {
			fail(http.StatusBadRequest, "Please give a valid webhook URL.")
		}
		return
	}
	sub, err = b.AddSubscriber(ctx, sub)
	switch {
	case safetynet.ErrorCode(err) == safetynet.ECONFLICT && kind == status.SubscriberEmail:
		// Answer as for a new address, so the form does not tell who is
		// subscribed.
		h.render(w, r, http.StatusOK, subscribePage{Page: p.Page, State: "inbox", Email: addr})
		return
	case safetynet.ErrorCode(err) == safetynet.ECONFLICT:
		fail(http.StatusConflict, "This URL is already subscribed. Use the unsubscribe link in a notice to start over.")
		return
	case err != nil:
		h.s.writeError(w, r, err)
		return
	}
	if kind == status.SubscriberWebhook {
		h.render(w, r, http.StatusCreated, subscribePage{Page: p.Page, State: "webhook", URL: addr, Secret: incident.WebhookSecret(key, sub)})
		return
	}
	if _, err := b.Enqueue(ctx, []status.Notification{incident.ConfirmationNotification(sub, p.Page.Name, h.s.now())}); err != nil {
		h.s.writeError(w, r, err)
		return
	}
	h.render(w, r, http.StatusOK, subscribePage{Page: p.Page, State: "inbox", Email: addr})
}

// confirm confirms an e-mail subscriber from the link in their mail.
// confirmForm answers GET /subscribe/confirm: a page with one button that
// POSTs the token back. Mail filters open links on their own; if opening
// the link confirmed, a scanner could complete anyone's double opt-in.
func (h *subscribePages) confirmForm(w http.ResponseWriter, r *http.Request) {
	if _, ok := h.backend(w); !ok {
		return
	}
	tok := r.URL.Query().Get("token")
	p, err := h.page(r.Context(), "confirm")
	if err != nil {
		h.s.writeError(w, r, err)
		return
	}
	if tok == "" || len(tok) > 200 {
		p.State = "invalid"
		h.render(w, r, http.StatusNotFound, p)
		return
	}
	p.Token = tok
	h.render(w, r, http.StatusOK, p)
}

// confirm completes a subscription in one POST from the confirmation page.
func (h *subscribePages) confirm(w http.ResponseWriter, r *http.Request) {
	b, ok := h.backend(w)
	if !ok {
		return
	}
	p, err := h.page(r.Context(), "confirmed")
	if err != nil {
		h.s.writeError(w, r, err)
		return
	}
	tok := r.URL.Query().Get("token")
	sub, err := b.ConfirmSubscriber(r.Context(), status.HashToken(tok), h.s.now())
	if tok == "" || safetynet.ErrorCode(err) == safetynet.ENOTFOUND {
		p.State = "invalid"
		h.render(w, r, http.StatusNotFound, p)
		return
	}
	if err != nil {
		h.s.writeError(w, r, err)
		return
	}
	p.Email = sub.Address
	h.render(w, r, http.StatusOK, p)
}

// unsubscribeForm answers GET /unsubscribe: a page with one button that
// POSTs the token back. It changes nothing, so a scanner that follows the
// link unsubscribes nobody.
func (h *subscribePages) unsubscribeForm(w http.ResponseWriter, r *http.Request) {
	if _, ok := h.backend(w); !ok {
		return
	}
	tok := r.URL.Query().Get("token")
	p, err := h.page(r.Context(), "unsubscribe")
	if err != nil {
		h.s.writeError(w, r, err)
		return
	}
	if tok == "" || len(tok) > 200 {
		p.State = "invalid"
		h.render(w, r, http.StatusNotFound, p)
		return
	}
	p.Token = tok
	h.render(w, r, http.StatusOK, p)
}

// unsubscribe removes a subscriber in one POST. The token may come in the
// query (the link, and RFC 8058 one-click POSTs to it) or a form.
func (h *subscribePages) unsubscribe(w http.ResponseWriter, r *http.Request) {
	b, ok := h.backend(w)
	if !ok {
		return
	}
	tok := r.URL.Query().Get("token")
	if tok == "" && r.Method == http.MethodPost {
		r.Body = http.MaxBytesReader(w, r.Body, maxFormBody)
		tok = r.PostFormValue("token")
	}
	p, err := h.page(r.Context(), "unsubscribed")
	if err != nil {
		h.s.writeError(w, r, err)
		return
	}
	sub, err := b.Unsubscribe(r.Context(), status.HashToken(tok))
	if tok == "" || safetynet.ErrorCode(err) == safetynet.ENOTFOUND {
		p.State = "invalid"
		h.render(w, r, http.StatusNotFound, p)
		return
	}
	if err != nil {
		h.s.writeError(w, r, err)
		return
	}
	p.Email, p.Kind = sub.Address, string(sub.Kind)
	h.render(w, r, http.StatusOK, p)
}

// visitor is the rate-limit key of a request: its IP address, or the /64
// of an IPv6 one. Behind a proxy every visitor shares the proxy's address;
// the limit then applies to all of them together, which errs on the safe
// side.
func visitor(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		host = r.RemoteAddr
	}
	ip, err := netip.ParseAddr(host)
	if err != nil {
		return host
	}
	ip = ip.Unmap()
	if ip.Is6() {
		p, _ := ip.Prefix(64)
		return p.String()
	}
	return ip.String()
}

// rateLimiter allows burst events per window per key, in memory. It keeps
// at most max keys; when full it forgets the keys whose window has passed,
// and if none has, refuses new keys until one does.
type rateLimiter struct {
	burst  int
	window time.Duration
	max    int

	mu   sync.Mutex
	seen map[string]*rateWindow
}

type rateWindow struct {
	start time.Time
	n     int
}

func newRateLimiter(burst int, window time.Duration, max int) *rateLimiter {
	return &rateLimiter{burst: burst, window: window, max: max, seen: map[string]*rateWindow{}}
}

// allow records one event for key at now and reports whether it is within
// the limit.
func (l *rateLimiter) allow(key string, now time.Time) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	w := l.seen[key]
	if w == nil || now.Sub(w.start) >= l.window {
		if w == nil && len(l.seen) >= l.max {
			for k, v := range l.seen {
				if now.Sub(v.start) >= l.window {
					delete(l.seen, k)
				}
			}
			if len(l.seen) >= l.max {
				return false
			}
		}
		w = &rateWindow{start: now}
		l.seen[key] = w
	}
	if w.n >= l.burst {
		return false
	}
	w.n++
	return true
}
