package web

// # The admin web UI
//
// Server-rendered pages under /admin for the people who run the status
// page, made to post an incident update in seconds during an outage. They
// need no JavaScript and load nothing from elsewhere.
//
//	GET  /admin/login                       the login form
//	POST /admin/login                       name, password → a session cookie, 303 to /admin
//	POST /admin/logout                      ends the session
//	GET  /admin                             open incidents with an update form each, a form for a new incident
//	POST /admin/incidents                   open an incident (title, impact, status, components, public, body)
//	GET  /admin/incidents/{id}              updates, audit trail, edit and merge forms
//	POST /admin/incidents/{id}/updates      status, body
//	POST /admin/incidents/{id}/ack          acknowledge
//	POST /admin/incidents/{id}/edit         title, impact, public
//	POST /admin/incidents/{id}/merge        into (an incident id; 0 undoes a merge)
//	GET  /admin/explain                     resolved incidents no person has written about
//	POST /admin/explain/{id}                body, visibility (public or internal): the closing note
//
// Users are made with `safetynet user create`; passwords are kept as bcrypt
// hashes. A login is refused with one message whatever was wrong, and the
// check costs the same for an unknown user. Failed logins are limited per
// client address and per user name, in memory. A session is a random
// secret in a cookie (HttpOnly, SameSite=Lax, Path=/admin, Secure over
// TLS); the store keeps only its SHA-256 digest and its expiry
// (SessionTTL). Every form that changes something carries a CSRF token
// derived from the session secret, compared in constant time; the login
// form carries one from a cookie of its own. Updates written here are
// human (they explain the incident) and carry the user's name as author;
// the audit trail names "user:NAME" as actor.

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"html/template"
	"math"
	"net"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/safetynet-dev/safetynet"
	"github.com/safetynet-dev/safetynet/incident"
	"github.com/safetynet-dev/safetynet/status"
)

// SessionTTL is how long a login lasts.
const SessionTTL = 12 * time.Hour

// The cookies of the admin UI.
const (
	sessionCookie = "safetynet_session"
	loginCookie   = "safetynet_login" // the login form's CSRF token
)

// The login limits: at most this many failed logins per window, per client
// address and per user name. A correct password does not get past a limit
// either, so guessing gains nothing once it is reached.
const (
	loginWindow     = 15 * time.Minute
	maxFailsPerIP   = 20
	maxFailsPerUser = 5
	maxLimiterKeys  = 10000
	explainHorizon  = 90 * 24 * time.Hour
	adminListLimit  = 100
	errLoginMessage = "Wrong name or password, or too many attempts. Try again later."
	csrfFormField   = "csrf"
	loginFormField  = "login_token"
)

func init() {
	extraRoutes = append(extraRoutes, func(s *Server, mux *http.ServeMux) {
		u := &adminUI{s: s, api: &adminAPI{s: s}, ipFails: newLimiter(maxFailsPerIP), userFails: newLimiter(maxFailsPerUser)}
		u.users, _ = s.store.(status.UserStore)
		u.api.incidents, _ = s.store.(status.IncidentStore)
		u.api.components, _ = s.store.(status.ComponentStore)
		mux.HandleFunc("GET /admin/login", u.loginPage)
		mux.HandleFunc("POST /admin/login", u.login)
		mux.HandleFunc("POST /admin/logout", u.auth(u.logout))
		mux.HandleFunc("GET /admin", u.auth(u.home))
		mux.HandleFunc("GET /admin/{$}", u.auth(u.home))
		mux.HandleFunc("POST /admin/incidents", u.auth(u.createIncident))
		mux.HandleFunc("GET /admin/incidents/{id}", u.auth(u.incidentPage))
		mux.HandleFunc("POST /admin/incidents/{id}/updates", u.auth(u.addUpdate))
		mux.HandleFunc("POST /admin/incidents/{id}/ack", u.auth(u.ack))
		mux.HandleFunc("POST /admin/incidents/{id}/edit", u.auth(u.edit))
		mux.HandleFunc("POST /admin/incidents/{id}/merge", u.auth(u.merge))
		mux.HandleFunc("POST /admin/incidents/{id}/split", u.auth(u.split))
		mux.HandleFunc("GET /admin/explain", u.auth(u.explainPage))
		mux.HandleFunc("POST /admin/explain/{id}", u.auth(u.explain))
	})
}

// adminUI holds the stores the pages use. api lends the admin API's checks
// (components, merge targets) and its cache invalidation.
type adminUI struct {
	s         *Server
	api       *adminAPI
	users     status.UserStore
	ipFails   *limiter
	userFails *limiter
}

// uiSession is the signed-in user of a request.
type uiSession struct {
	User status.User
	CSRF string
}

// uiHandler is a page's handler, given the signed-in user.
type uiHandler func(w http.ResponseWriter, r *http.Request, sess uiSession)

func (u *adminUI) now() time.Time { return u.s.now().UTC().Truncate(time.Microsecond) }

// csrfToken derives the CSRF token of a session from its secret: knowing
// the token tells nothing about the secret, and nothing needs storing.
func csrfToken(secret string) string {
	sum := sha256.Sum256([]byte("safetynet csrf\x00" + secret))
	return hex.EncodeToString(sum[:])
}

// sameToken compares two tokens in constant time; empty never matches.
func sameToken(a, b string) bool {
	return a != "" && b != "" && subtle.ConstantTimeCompare([]byte(a), []byte(b)) == 1
}

// auth runs h for a request with a live session. Without one, a page is
// redirected to the login form and a form post refused. Every POST must
// carry the session's CSRF token.
func (u *adminUI) auth(h uiHandler) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "no-store")
		if u.users == nil {
			unavailable(w, "the admin web UI (users)")
			return
		}
		c, err := r.Cookie(sessionCookie)
		if err != nil || c.Value == "" {
			u.toLogin(w, r)
			return
		}
		_, user, err := u.users.SessionByHash(r.Context(), status.HashToken(c.Value), u.now())
		if safetynet.ErrorCode(err) == safetynet.ENOTFOUND {
			u.toLogin(w, r)
			return
		}
		if err != nil {
			u.fail(w, r, err)
			return
		}
		sess := uiSession{User: user, CSRF: csrfToken(c.Value)}
		setTokenName(r, "user:"+user.Name)
		if r.Method == http.MethodPost {
			// A form over the body limit fails here, with 413, rather than
			// as a missing CSRF token.
			if err := r.ParseForm(); err != nil {
				u.fail(w, r, err)
				return
			}
		}
		if r.Method == http.MethodPost && !sameToken(r.PostForm.Get(csrfFormField), sess.CSRF) {
			u.errorPage(w, r, http.StatusForbidden, "This form has expired or did not come from this site. Go back, reload the page and send it again.")
			return
		}
		h(w, r, sess)
	}
}

// toLogin sends a browser without a session to the login form; a form post
// is refused, since what it carried would be lost on the way.
func (u *adminUI) toLogin(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		u.errorPage(w, r, http.StatusUnauthorized, "Your session has ended. Sign in again, then send the form again.")
		return
	}
	http.Redirect(w, r, "/admin/login", http.StatusSeeOther)
}

// limiter counts failed logins per key over loginWindow.
type limiter struct {
	mu    sync.Mutex
	max   int
	fails map[string][]time.Time
}

func newLimiter(max int) *limiter { return &limiter{max: max, fails: map[string][]time.Time{}} }

// recent returns the key's failures within the window at now, dropping
// older ones.
func (l *limiter) recent(key string, now time.Time) []time.Time {
	ts := l.fails[key]
	i := 0
	for i < len(ts) && now.Sub(ts[i]) >= loginWindow {
		i++
	}
	ts = ts[i:]
	if len(ts) == 0 {
		delete(l.fails, key)
	} else {
		l.fails[key] = ts
	}
	return ts
}

// retryAfter is how long until key drops below its limit, or 0 when it is
// not blocked: the Retry-After of a refused login.
func (l *limiter) retryAfter(key string, now time.Time) time.Duration {
	l.mu.Lock()
	defer l.mu.Unlock()
	ts := l.recent(key, now)
	if len(ts) < l.max {
		return 0
	}
	// The oldest failure that keeps the key at its limit leaves the window
	// first.
	return ts[len(ts)-l.max].Add(loginWindow).Sub(now)
}

// reset forgets key's failures: a successful login clears its user name,
// so a person who mistyped a few times starts afresh.
func (l *limiter) reset(key string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	delete(l.fails, key)
}

// fail records a failure. When the table is full, keys whose failures
// have all expired go first; if none have, the table is cleared, which
// errs towards letting people in rather than growing without bound.
func (l *limiter) fail(key string, now time.Time) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if len(l.fails) >= maxLimiterKeys {
		for k := range l.fails {
			l.recent(k, now)
		}
		if len(l.fails) >= maxLimiterKeys {
			l.fails = map[string][]time.Time{}
		}
	}
	ts := l.recent(key, now)
	if len(ts) >= l.max {
		ts = ts[1:]
	}
	l.fails[key] = append(ts, now)
}

// clientIP is the request's peer address. Forwarded headers are not
// trusted: a client could name any address in them.
func clientIP(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

// pageData is what every admin template gets.
type pageData struct {
	Title   string
	User    string
	CSRF    string
	Flash   string
	Error   string
	Content any
}

var adminTmpl = func() *template.Template {
	funcs := template.FuncMap{}
	for k, v := range publicFuncs {
		funcs[k] = v
	}
	funcs["stamp"] = func(t time.Time) string { return t.UTC().Format("2006-01-02 15:04 UTC") }
	funcs["stampp"] = func(t *time.Time) string {
		if t == nil {
			return ""
		}
		return t.UTC().Format("2006-01-02 15:04 UTC")
	}
	funcs["incidentStatuses"] = func() []status.IncidentStatus {
		return []status.IncidentStatus{status.Investigating, status.Identified, status.Monitoring, status.Resolved}
	}
	funcs["impacts"] = func() []status.Impact {
		return []status.Impact{status.ImpactNone, status.ImpactMinor, status.ImpactMajor, status.ImpactCritical}
	}
	funcs["componentStatuses"] = func() []status.Status {
		return []status.Status{status.Degraded, status.PartialOutage, status.MajorOutage, status.UnderMaintenance, status.Operational}
	}
	funcs["updateForm"] = func(id int64, st status.IncidentStatus, csrf, back string) updateForm {
		return updateForm{ID: id, Status: st, CSRF: csrf, Back: back}
	}
	return template.Must(template.New("").Funcs(funcs).ParseFS(templateFS, "templates/admin_*.html"))
}()

// updateForm is what the update_form template needs: the form sits on
// both /admin and an incident's page.
type updateForm struct {
	ID     int64
	Status status.IncidentStatus
	CSRF   string
	Back   string
}

// render writes a page. Rendering into a buffer first means a template
// error never leaves half a page.
func (u *adminUI) render(w http.ResponseWriter, r *http.Request, code int, name string, d pageData) {
	var buf strings.Builder
	if err := adminTmpl.ExecuteTemplate(&buf, name, d); err != nil {
		u.s.log.ErrorContext(r.Context(), "render admin page", "page", name, "err", err)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(code)
	_, _ = w.Write([]byte(buf.String()))
}

// errorPage answers with a short page that says what went wrong.
func (u *adminUI) errorPage(w http.ResponseWriter, r *http.Request, code int, msg string) {
	u.render(w, r, code, "admin_error.html", pageData{Title: http.StatusText(code), Error: msg})
}

// fail answers an error: the message of a domain error, or "internal
// error" (logged in full) for anything else.
func (u *adminUI) fail(w http.ResponseWriter, r *http.Request, err error) {
	var mbe *http.MaxBytesError
	if errors.As(err, &mbe) {
		u.errorPage(w, r, http.StatusRequestEntityTooLarge, "The form is too large.")
		return
	}
	code, ok := statusByCode[safetynet.ErrorCode(err)]
	var se *safetynet.Error
	if !ok || code == http.StatusInternalServerError || !errors.As(err, &se) {
		u.s.log.ErrorContext(r.Context(), "admin page failed", "route", r.Pattern, "method", r.Method, "err", err)
		u.errorPage(w, r, http.StatusInternalServerError, "Something went wrong on the server; it is in the server's log.")
		return
	}
	u.errorPage(w, r, code, se.Message)
}

// --- login and logout ---

func (u *adminUI) loginPage(w http.ResponseWriter, r *http.Request) {
	u.renderLogin(w, r, http.StatusOK, "")
}

// renderLogin shows the login form with a fresh login token in a cookie
// and the form.
func (u *adminUI) renderLogin(w http.ResponseWriter, r *http.Request, code int, msg string) {
	b := make([]byte, 24)
	if _, err := rand.Read(b); err != nil {
		u.fail(w, r, err)
		return
	}
	tok := base64.RawURLEncoding.EncodeToString(b)
	http.SetCookie(w, &http.Cookie{Name: loginCookie, Value: tok, Path: "/admin/login", MaxAge: 3600,
		HttpOnly: true, SameSite: http.SameSiteStrictMode, Secure: r.TLS != nil})
	u.render(w, r, code, "admin_login.html", pageData{Title: "Sign in", CSRF: tok, Error: msg})
}

func (u *adminUI) login(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Cache-Control", "no-store")
	if u.users == nil {
		unavailable(w, "the admin web UI (users)")
		return
	}
	if err := r.ParseForm(); err != nil {
		u.fail(w, r, err)
		return
	}
	c, err := r.Cookie(loginCookie)
	if err != nil || !sameToken(r.PostForm.Get(loginFormField), c.Value) {
		u.renderLogin(w, r, http.StatusForbidden, "The login form expired. Please sign in again.")
		return
	}
	name := strings.TrimSpace(r.PostForm.Get("name"))
	password := r.PostForm.Get("password")
	now := u.now()
	ip := clientIP(r)
	userKey := strings.ToLower(name)
	if wait := max(u.ipFails.retryAfter(ip, now), u.userFails.retryAfter(userKey, now)); wait > 0 {
		// No password check: the answer says nothing about the password,
		// and a flood of blocked attempts costs no bcrypt time.
		u.s.log.WarnContext(r.Context(), "admin login rate limited", "user", name, "ip", ip)
		w.Header().Set("Retry-After", strconv.Itoa(int(math.Ceil(wait.Seconds()))))
		u.renderLogin(w, r, http.StatusTooManyRequests, errLoginMessage)
		return
	}
	user, err := u.users.UserByName(r.Context(), name)
	ok := false
	switch {
	case err == nil && user.Active():
		ok = status.CheckPassword(user.PasswordHash, password)
	case err == nil || safetynet.ErrorCode(err) == safetynet.ENOTFOUND:
		status.CheckNoPassword(password)
	default:
		u.fail(w, r, err)
		return
	}
	if !ok {
		u.ipFails.fail(ip, now)
		u.userFails.fail(userKey, now)
		u.s.log.WarnContext(r.Context(), "admin login failed", "user", name, "ip", ip)
		u.renderLogin(w, r, http.StatusUnauthorized, errLoginMessage)
		return
	}
	// A correct password clears the name's failures, not the address's:
	// with one valid account, someone could otherwise reset their address
	// between guesses at other accounts.
	u.userFails.reset(userKey)
	secret, hash, err := status.NewSessionSecret()
	if err != nil {
		u.fail(w, r, err)
		return
	}
	if _, err := u.users.CreateSession(r.Context(), status.Session{UserID: user.ID, Hash: hash, CreatedAt: now, ExpiresAt: now.Add(SessionTTL)}); err != nil {
		u.fail(w, r, err)
		return
	}
	// Sweep expired sessions now and then: an empty digest matches no
	// session, so this deletes only expired ones. Failing is not fatal.
	if err := u.users.DeleteSession(r.Context(), "", now); err != nil {
		u.s.log.WarnContext(r.Context(), "delete expired admin sessions", "err", err)
	}
	u.s.log.InfoContext(r.Context(), "admin login", "user", user.Name, "ip", ip)
	http.SetCookie(w, &http.Cookie{Name: loginCookie, Value: "", Path: "/admin/login", MaxAge: -1, HttpOnly: true, Secure: r.TLS != nil})
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: secret, Path: "/admin", Expires: now.Add(SessionTTL),
		HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: r.TLS != nil})
	http.Redirect(w, r, "/admin", http.StatusSeeOther)
}

func (u *adminUI) logout(w http.ResponseWriter, r *http.Request, _ uiSession) {
	if c, err := r.Cookie(sessionCookie); err == nil {
		if err := u.users.DeleteSession(r.Context(), status.HashToken(c.Value), u.now()); err != nil {
			u.fail(w, r, err)
			return
		}
	}
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: "", Path: "/admin", MaxAge: -1,
		HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: r.TLS != nil})
	http.Redirect(w, r, "/admin/login", http.StatusSeeOther)
}

// --- pages ---

// homeData is the content of /admin.
type homeData struct {
	Open        []status.Incident
	Components  []status.Component
	Unexplained int
}

// flashes are the messages a redirect after a form may ask for, by key, so
// that no text from the query reaches the page.
var flashes = map[string]string{
	"created":   "Incident opened.",
	"updated":   "Update posted.",
	"acked":     "Acknowledged.",
	"edited":    "Incident saved.",
	"merged":    "Merge saved.",
	"split":     "Incident split: this is the new incident.",
	"explained": "Closing note saved.",
}

func (u *adminUI) data(r *http.Request, sess uiSession, title string, content any) pageData {
	return pageData{Title: title, User: sess.User.Name, CSRF: sess.CSRF, Flash: flashes[r.URL.Query().Get("ok")], Content: content}
}

func (u *adminUI) home(w http.ResponseWriter, r *http.Request, sess uiSession) {
	if u.api.incidents == nil {
		unavailable(w, "incidents")
		return
	}
	ctx := r.Context()
	open, err := u.api.incidents.Incidents(ctx, status.IncidentFilter{OpenOnly: true, Limit: adminListLimit})
	if err != nil {
		u.fail(w, r, err)
		return
	}
	// An incident merged into another is told there: only the one it was
	// merged into is listed.
	d := homeData{}
	for _, inc := range open {
		if inc.MergedInto == 0 {
			d.Open = append(d.Open, inc)
		}
	}
	if u.api.components != nil {
		if d.Components, err = u.api.components.Components(ctx); err != nil {
			u.fail(w, r, err)
			return
		}
		sort.SliceStable(d.Components, func(i, j int) bool { return d.Components[i].Position < d.Components[j].Position })
	}
	unexplained, err := incident.NeedsExplanation(ctx, u.api.incidents, u.now().Add(-explainHorizon))
	if err != nil {
		u.fail(w, r, err)
		return
	}
	d.Unexplained = len(unexplained)
	u.render(w, r, http.StatusOK, "admin_home.html", u.data(r, sess, "Incidents", d))
}

// incidentData is the content of /admin/incidents/{id}.
type incidentData struct {
	Incident status.Incident
	Audit    []status.AuditEntry
}

func (u *adminUI) incidentPage(w http.ResponseWriter, r *http.Request, sess uiSession) {
	if u.api.incidents == nil {
		unavailable(w, "incidents")
		return
	}
	id, err := pathID(r)
	if err != nil {
		u.fail(w, r, err)
		return
	}
	inc, err := u.api.incidents.Incident(r.Context(), id)
	if err != nil {
		u.fail(w, r, err)
		return
	}
	audit, err := u.api.incidents.Audit(r.Context(), "incident", id)
	if err != nil {
		u.fail(w, r, err)
		return
	}
	u.render(w, r, http.StatusOK, "admin_incident.html", u.data(r, sess, inc.Title, incidentData{Incident: inc, Audit: audit}))
}

func (u *adminUI) explainPage(w http.ResponseWriter, r *http.Request, sess uiSession) {
	if u.api.incidents == nil {
		unavailable(w, "incidents")
		return
	}
	incs, err := incident.NeedsExplanation(r.Context(), u.api.incidents, u.now().Add(-explainHorizon))
	if err != nil {
		u.fail(w, r, err)
		return
	}
	u.render(w, r, http.StatusOK, "admin_explain.html", u.data(r, sess, "Needs explanation", incs))
}

// --- forms ---

// actor names the user in the audit trail.
func actor(sess uiSession) string { return "user:" + sess.User.Name }

// changed clears the public cache and tells subscribers, after a person
// changed an incident.
func (u *adminUI) changed(ctx context.Context, id int64) {
	u.api.publicChanged()
	u.s.incidentChanged(ctx, id)
}

func redirectIncident(w http.ResponseWriter, r *http.Request, id int64, ok string) {
	http.Redirect(w, r, "/admin/incidents/"+strconv.FormatInt(id, 10)+"?ok="+ok, http.StatusSeeOther)
}

// back is where a form on either page returns to: the page it came from
// when it says so in the "back" field, else the incident's page.
func back(w http.ResponseWriter, r *http.Request, id int64, ok string) {
	if r.PostForm.Get("back") == "home" {
		http.Redirect(w, r, "/admin?ok="+ok, http.StatusSeeOther)
		return
	}
	redirectIncident(w, r, id, ok)
}

func (u *adminUI) createIncident(w http.ResponseWriter, r *http.Request, sess uiSession) {
	if u.api.incidents == nil {
		unavailable(w, "incidents")
		return
	}
	f := r.PostForm
	st := status.IncidentStatus(f.Get("status"))
	if st == "" {
		st = status.Investigating
	}
	compStatus := status.Status(f.Get("component_status"))
	if compStatus == "" {
		compStatus = status.MajorOutage
	}
	var comps []status.AffectedComponent
	for _, id := range f["components"] {
		comps = append(comps, status.AffectedComponent{Component: id, Status: compStatus})
	}
	ctx := r.Context()
	if err := u.api.checkAffected(ctx, comps); err != nil {
		u.fail(w, r, err)
		return
	}
	now := u.now()
	inc := status.Incident{Title: strings.TrimSpace(f.Get("title")), Impact: status.Impact(f.Get("impact")), Status: st,
		Components: comps, Public: f.Get("public") != "", CreatedAt: now, StartedAt: now}
	first := status.IncidentUpdate{Status: st, Body: f.Get("body"), Author: sess.User.Name, Human: true, At: now}
	created, err := u.api.incidents.CreateIncident(ctx, inc, first, actor(sess))
	if err != nil {
		u.fail(w, r, err)
		return
	}
	u.changed(ctx, created.ID)
	redirectIncident(w, r, created.ID, "created")
}

func (u *adminUI) addUpdate(w http.ResponseWriter, r *http.Request, sess uiSession) {
	if u.api.incidents == nil {
		unavailable(w, "incidents")
		return
	}
	id, err := pathID(r)
	if err != nil {
		u.fail(w, r, err)
		return
	}
	ctx := r.Context()
	st := status.IncidentStatus(r.PostForm.Get("status"))
	if st == "" {
		inc, err := u.api.incidents.Incident(ctx, id)
		if err != nil {
			u.fail(w, r, err)
			return
		}
		st = inc.Status
	}
	upd := status.IncidentUpdate{Status: st, Body: r.PostForm.Get("body"), Author: sess.User.Name, Human: true, At: u.now()}
	if _, err := u.api.incidents.AddUpdate(ctx, id, upd, actor(sess)); err != nil {
		u.fail(w, r, err)
		return
	}
	u.changed(ctx, id)
	back(w, r, id, "updated")
}

func (u *adminUI) ack(w http.ResponseWriter, r *http.Request, sess uiSession) {
	if u.api.incidents == nil {
		unavailable(w, "incidents")
		return
	}
	id, err := pathID(r)
	if err != nil {
		u.fail(w, r, err)
		return
	}
	if err := u.api.incidents.AckIncident(r.Context(), id, sess.User.Name, u.now()); err != nil {
		u.fail(w, r, err)
		return
	}
	back(w, r, id, "acked")
}

func (u *adminUI) edit(w http.ResponseWriter, r *http.Request, sess uiSession) {
	if u.api.incidents == nil {
		unavailable(w, "incidents")
		return
	}
	id, err := pathID(r)
	if err != nil {
		u.fail(w, r, err)
		return
	}
	ctx := r.Context()
	inc, err := u.api.incidents.Incident(ctx, id)
	if err != nil {
		u.fail(w, r, err)
		return
	}
	inc.Title = strings.TrimSpace(r.PostForm.Get("title"))
	inc.Impact = status.Impact(r.PostForm.Get("impact"))
	inc.Public = r.PostForm.Get("public") != ""
	if err := u.api.incidents.EditIncident(ctx, inc, actor(sess)); err != nil {
		u.fail(w, r, err)
		return
	}
	u.changed(ctx, id)
	redirectIncident(w, r, id, "edited")
}

func (u *adminUI) merge(w http.ResponseWriter, r *http.Request, sess uiSession) {
	if u.api.incidents == nil {
		unavailable(w, "incidents")
		return
	}
	id, err := pathID(r)
	if err != nil {
		u.fail(w, r, err)
		return
	}
	into, err := strconv.ParseInt(strings.TrimSpace(r.PostForm.Get("into")), 10, 64)
	if err != nil {
		u.fail(w, r, safetynet.Errorf(safetynet.EINVALID, "merge into: give an incident number, or 0 to undo a merge"))
		return
	}
	ctx := r.Context()
	if err := u.api.checkMergeTarget(ctx, id, into); err != nil {
		u.fail(w, r, err)
		return
	}
	inc, err := u.api.incidents.Incident(ctx, id)
	if err != nil {
		u.fail(w, r, err)
		return
	}
	inc.MergedInto = into
	if err := u.api.incidents.EditIncident(ctx, inc, actor(sess)); err != nil {
		u.fail(w, r, err)
		return
	}
	u.changed(ctx, id)
	redirectIncident(w, r, id, "merged")
}

// split moves the ticked components and customers of an incident into a
// new one, and shows the new one.
func (u *adminUI) split(w http.ResponseWriter, r *http.Request, sess uiSession) {
	sr := u.api.splitter()
	if sr == nil {
		unavailable(w, "splitting incidents")
		return
	}
	id, err := pathID(r)
	if err != nil {
		u.fail(w, r, err)
		return
	}
	sp := status.IncidentSplit{Title: r.PostForm.Get("title"), Components: r.PostForm["component"], Customers: r.PostForm["customer"]}
	_, split, err := u.api.split(r.Context(), sr, id, sp, actor(sess))
	if err != nil {
		u.fail(w, r, err)
		return
	}
	redirectIncident(w, r, split.ID, "split")
}

// explain writes the closing note of a resolved incident: a human update
// that keeps it resolved and so takes it off the list. "public" also puts
// the incident on the page; "internal" leaves its visibility as it is.
func (u *adminUI) explain(w http.ResponseWriter, r *http.Request, sess uiSession) {
	if u.api.incidents == nil {
		unavailable(w, "incidents")
		return
	}
	id, err := pathID(r)
	if err != nil {
		u.fail(w, r, err)
		return
	}
	vis := r.PostForm.Get("visibility")
	if vis != "public" && vis != "internal" {
		u.fail(w, r, safetynet.Errorf(safetynet.EINVALID, "choose whether the note is public or internal"))
		return
	}
	ctx := r.Context()
	inc, err := u.api.incidents.Incident(ctx, id)
	if err != nil {
		u.fail(w, r, err)
		return
	}
	if inc.Status != status.Resolved {
		u.fail(w, r, safetynet.Errorf(safetynet.EINVALID, "incident %d is not resolved: post an update instead", id))
		return
	}
	upd := status.IncidentUpdate{Status: status.Resolved, Body: r.PostForm.Get("body"), Author: sess.User.Name, Human: true, At: u.now()}
	if _, err := u.api.incidents.AddUpdate(ctx, id, upd, actor(sess)); err != nil {
		u.fail(w, r, err)
		return
	}
	if vis == "public" && !inc.Public {
		inc, err = u.api.incidents.Incident(ctx, id)
		if err == nil {
			inc.Public = true
			err = u.api.incidents.EditIncident(ctx, inc, actor(sess))
		}
		if err != nil {
			u.fail(w, r, err)
			return
		}
	}
	u.changed(ctx, id)
	http.Redirect(w, r, "/admin/explain?ok=explained", http.StatusSeeOther)
}
