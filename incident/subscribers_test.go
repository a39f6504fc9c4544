package incident_test

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"io"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net"
	"net/http"
	"net/mail"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-smtp"

	"github.com/safetynet-dev/safetynet/incident"
	"github.com/safetynet-dev/safetynet/notify"
	"github.com/safetynet-dev/safetynet/notify/email"
	"github.com/safetynet-dev/safetynet/notify/notifytest"
	"github.com/safetynet-dev/safetynet/status"
	"github.com/safetynet-dev/safetynet/store"
)

// subscribe stores a subscriber made by NewSubscriber, confirming it when
// confirm is set.
func subscribe(t *testing.T, db *store.DB, kind status.SubscriberKind, addr string, comps []string, confirm bool, now time.Time) status.Subscriber {
	t.Helper()
	key, err := db.SubscriberKey(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	s, err := incident.NewSubscriber(key, kind, addr, comps, now)
	if err != nil {
		t.Fatal(err)
	}
	if s, err = db.AddSubscriber(t.Context(), s); err != nil {
		t.Fatal(err)
	}
	if confirm && !s.Confirmed {
		if s, err = db.ConfirmSubscriber(t.Context(), status.HashToken(incident.ConfirmToken(key, s)), now); err != nil {
			t.Fatal(err)
		}
	}
	return s
}

func publicIncident(t *testing.T, db *store.DB, comp string, at time.Time) status.Incident {
	t.Helper()
	inc, err := db.CreateIncident(t.Context(), status.Incident{Title: "API: outage", Status: status.Investigating, Impact: status.ImpactMajor, Public: true,
		Components: []status.AffectedComponent{{Component: comp, Status: status.MajorOutage}}, StartedAt: at, CreatedAt: at},
		status.IncidentUpdate{Body: "We are investigating <failures> of API.", Author: "dana", Human: true, At: at}, "dana")
	if err != nil {
		t.Fatal(err)
	}
	return inc
}

// claimAll takes every due notification from the outbox.
func claimAll(t *testing.T, db *store.DB, now time.Time) []status.Notification {
	t.Helper()
	ns, err := db.ClaimNotifications(t.Context(), "test", now, 100, time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	return ns
}

func TestAnnouncerEnqueuesOncePerSubscriberWhoCares(t *testing.T) {
	db, _, clk := setup(t)
	ctx := t.Context()
	all := subscribe(t, db, status.SubscriberEmail, "ann@example.com", nil, true, clk.t)
	api := subscribe(t, db, status.SubscriberWebhook, "https://hooks.example.com/api", []string{"api"}, true, clk.t)
	subscribe(t, db, status.SubscriberWebhook, "https://hooks.example.com/billing", []string{"billing"}, true, clk.t)
	subscribe(t, db, status.SubscriberEmail, "pending@example.com", nil, false, clk.t)
	a := &incident.Announcer{Subscribers: db, Outbox: db, PageID: "page1", PageURL: "https://status.example.com/", Now: clk.Now}

	inc := publicIncident(t, db, "api", clk.t)
	n, err := a.Incident(ctx, inc)
	if err != nil || n != 2 {
		t.Fatalf("Incident = %d, %v; want 2 (all-components e-mail and the api webhook)", n, err)
	}
	if n, err := a.Incident(ctx, inc); err != nil || n != 0 {
		t.Fatalf("announcing the same update again = %d, %v; want 0", n, err)
	}
	clk.Advance(10 * time.Minute)
	if _, err := db.AddUpdate(ctx, inc.ID, status.IncidentUpdate{Status: status.Resolved, Body: "Fixed.", Author: "dana", Human: true, At: clk.t}, "dana"); err != nil {
		t.Fatal(err)
	}
	if inc, err = db.Incident(ctx, inc.ID); err != nil {
		t.Fatal(err)
	}
	if n, err := a.Incident(ctx, inc); err != nil || n != 2 {
		t.Fatalf("announcing the resolution = %d, %v; want 2", n, err)
	}
	internal, err := db.CreateIncident(ctx, status.Incident{Title: "blip", Status: status.Investigating, Impact: status.ImpactMinor,
		Components: []status.AffectedComponent{{Component: "api", Status: status.Degraded}}}, status.IncidentUpdate{Body: "blip", Author: "x"}, "x")
	if err != nil {
		t.Fatal(err)
	}
	if n, err := a.Incident(ctx, internal); err != nil || n != 0 {
		t.Fatalf("an internal incident was announced: %d, %v", n, err)
	}
	m := status.Maintenance{ID: 7, Title: "Database upgrade", Components: []string{"billing"}, Start: clk.t.Add(time.Hour), End: clk.t.Add(2 * time.Hour)}
	if n, err := a.Maintenance(ctx, m, "scheduled"); err != nil || n != 2 {
		t.Fatalf("maintenance on billing = %d, %v; want 2 (all-components e-mail and the billing webhook)", n, err)
	}

	ns := claimAll(t, db, clk.t)
	if len(ns) != 6 {
		t.Fatalf("outbox holds %d notifications, want 6", len(ns))
	}
	byName := map[string]int{}
	for _, n := range ns {
		byName[n.Notifier]++
		if strings.Contains(n.Message.Text+n.Message.URL+n.Message.Fields["statuspage_payload"], "token=") {
			t.Errorf("a token was stored in the outbox: %+v", n.Message)
		}
	}
	if byName[incident.NotifierName(all.ID)] != 3 || byName[incident.NotifierName(api.ID)] != 2 {
		t.Errorf("notifications per subscriber = %v", byName)
	}
}

func TestWebhookNoticeIsSignedAndShapedLikeStatuspage(t *testing.T) {
	db, _, clk := setup(t)
	ctx := t.Context()
	rcv := notifytest.NewReceiver(t, http.StatusNoContent, "")
	sub := subscribe(t, db, status.SubscriberWebhook, rcv.URL+"/hook", nil, true, clk.t)
	a := &incident.Announcer{Subscribers: db, Outbox: db, PageID: "page1", PageURL: "https://status.example.com", Now: clk.Now}
	if _, err := a.Incident(ctx, publicIncident(t, db, "api", clk.t)); err != nil {
		t.Fatal(err)
	}
	ns := claimAll(t, db, clk.t)
	if len(ns) != 1 {
		t.Fatalf("outbox = %+v", ns)
	}
	r := &incident.SubscriberNotifiers{Store: db, PageURL: "https://status.example.com", Env: notify.Env{AllowPrivate: true}}
	if r.Notifier("slack") != nil {
		t.Fatal("a notifier for a name that is not a subscriber's")
	}
	if err := r.Notifier(ns[0].Notifier).Send(ctx, ns[0].Message); err != nil {
		t.Fatal(err)
	}
	req := rcv.Last(t)
	key, _ := db.SubscriberKey(ctx)
	secret := incident.WebhookSecret(key, sub)
	sig := req.Header.Get(incident.HeaderSignature)
	if !incident.VerifySignature(secret, req.Body, sig) {
		t.Fatalf("signature %q does not verify with the subscriber's secret", sig)
	}
	if incident.VerifySignature(secret, append(bytes.Clone(req.Body), ' '), sig) || incident.VerifySignature("whsec_other", req.Body, sig) {
		t.Fatal("signature verifies a different body or secret")
	}
	if !bytes.HasPrefix(req.Body, []byte(`{"meta":{"unsubscribe":`)) {
		t.Errorf("body does not start with meta: %s", req.Body)
	}
	var body struct {
		Meta struct{ Unsubscribe, Documentation string }
		Page struct {
			ID                string `json:"id"`
			StatusIndicator   string `json:"status_indicator"`
			StatusDescription string `json:"status_description"`
		}
		Incident struct {
			ID, Name, Status, Impact, Shortlink string
			Updates                             []struct{ Body, Status string } `json:"incident_updates"`
		}
	}
	if err := json.Unmarshal(req.Body, &body); err != nil {
		t.Fatal(err)
	}
	u, err := url.Parse(body.Meta.Unsubscribe)
	if err != nil || u.Host != "status.example.com" || u.Path != "/unsubscribe" || status.HashToken(u.Query().Get("token")) != sub.UnsubscribeHash {
		t.Errorf("meta.unsubscribe = %q does not carry the subscriber's token", body.Meta.Unsubscribe)
	}
	if body.Page.ID != "page1" || body.Page.StatusIndicator != "major" || body.Page.StatusDescription != "Partial System Outage" ||
		body.Incident.Name != "API: outage" || body.Incident.Status != "investigating" || body.Incident.Impact != "major" ||
		body.Incident.Shortlink != "https://status.example.com/incidents/"+body.Incident.ID || len(body.Incident.Updates) != 1 ||
		body.Incident.Updates[0].Body != "We are investigating <failures> of API." || body.Meta.Documentation == "" {
		t.Errorf("body = %s", req.Body)
	}
	if req.Header.Get("X-Safetynet-Delivery") != ns[0].Message.ID {
		t.Errorf("delivery header = %q", req.Header.Get("X-Safetynet-Delivery"))
	}

	// Once unsubscribed, a queued notice is dropped without a request.
	if _, err := db.Unsubscribe(ctx, sub.UnsubscribeHash); err != nil {
		t.Fatal(err)
	}
	if err := r.Notifier(ns[0].Notifier).Send(ctx, ns[0].Message); err != nil || len(rcv.Requests()) != 1 {
		t.Fatalf("send after unsubscribe: err = %v, %d requests", err, len(rcv.Requests()))
	}
}

func TestWebhookToMetadataAddressIsRefused(t *testing.T) {
	db, _, clk := setup(t)
	for _, addr := range []string{"http://169.254.169.254/latest/meta-data/", "http://[fe80::1]/x", "http://127.0.0.1:9/x"} {
		sub := subscribe(t, db, status.SubscriberWebhook, addr, nil, true, clk.t)
		r := &incident.SubscriberNotifiers{Store: db, PageURL: "https://status.example.com"}
		err := r.Notifier(incident.NotifierName(sub.ID)).Send(t.Context(), status.Message{ID: "x", Event: status.EventIncident})
		if err == nil || !strings.Contains(err.Error(), "address") {
			t.Errorf("%s: err = %v, want a refusal", addr, err)
		}
	}
}

func TestEmailDoubleOptInAndUnsubscribeLink(t *testing.T) {
	db, _, clk := setup(t)
	ctx := t.Context()
	ms := startSMTP(t)
	sub := subscribe(t, db, status.SubscriberEmail, "ann@example.com", nil, false, clk.t)
	r := &incident.SubscriberNotifiers{Store: db, PageURL: "https://status.example.com",
		Email: &email.Settings{Host: "127.0.0.1", Port: ms.port, TLS: "none", From: "status@example.com"}, PageName: "Example Status", Env: notify.Env{AllowPrivate: true}}
	key, _ := db.SubscriberKey(ctx)

	// Before confirmation only the confirmation mail goes out.
	notice := status.Message{ID: "n1", Event: status.EventIncident, Title: "[Investigating] API: outage", Text: "Looking into it."}
	if err := r.Notifier(incident.NotifierName(sub.ID)).Send(ctx, notice); err != nil || len(ms.all()) != 0 {
		t.Fatalf("a notice to an unconfirmed subscriber: err = %v, %d mails", err, len(ms.all()))
	}
	cn := incident.ConfirmationNotification(sub, "Example Status", clk.t)
	if cn.Notifier != incident.NotifierName(sub.ID) || strings.Contains(cn.Message.Text+cn.Message.URL, "token") {
		t.Fatalf("confirmation notification = %+v", cn)
	}
	if err := r.Notifier(cn.Notifier).Send(ctx, cn.Message); err != nil {
		t.Fatal(err)
	}
	mails := ms.all()
	if len(mails) != 1 || strings.Join(mails[0].to, ",") != "ann@example.com" || mails[0].subject != "[Example Status] Confirm your subscription to Example Status" {
		t.Fatalf("mails = %+v", mails)
	}
	tok := linkToken(t, mails[0].text, "https://status.example.com/subscribe/confirm")
	if status.HashToken(tok) != sub.ConfirmHash || tok != incident.ConfirmToken(key, sub) {
		t.Fatalf("confirmation link token %q does not match the subscriber", tok)
	}
	if _, err := db.ConfirmSubscriber(ctx, status.HashToken(tok), clk.t); err != nil {
		t.Fatal(err)
	}
	// Confirmed: a second confirmation mail is dropped, notices go out
	// with the one-click unsubscribe link.
	if err := r.Notifier(cn.Notifier).Send(ctx, cn.Message); err != nil || len(ms.all()) != 1 {
		t.Fatalf("confirmation after confirming: err = %v, %d mails", err, len(ms.all()))
	}
	if err := r.Notifier(incident.NotifierName(sub.ID)).Send(ctx, notice); err != nil {
		t.Fatal(err)
	}
	mails = ms.all()
	if len(mails) != 2 || !strings.Contains(mails[1].text, "Looking into it.") {
		t.Fatalf("mails = %+v", mails)
	}
	if tok := linkToken(t, mails[1].text, "https://status.example.com/unsubscribe"); status.HashToken(tok) != sub.UnsubscribeHash {
		t.Fatalf("unsubscribe link token %q does not match the subscriber", tok)
	}
	// RFC 8058: mail clients offer their own button, which POSTs
	// List-Unsubscribe=One-Click to the https link in the header.
	lu := mails[1].header.Get("List-Unsubscribe")
	if !strings.HasPrefix(lu, "<https://status.example.com/unsubscribe?token=") || !strings.HasSuffix(lu, ">") ||
		status.HashToken(linkToken(t, strings.Trim(lu, "<>"), "https://status.example.com/unsubscribe")) != sub.UnsubscribeHash {
		t.Errorf("List-Unsubscribe = %q, want the subscriber's https unsubscribe link", lu)
	}
	if got := mails[1].header.Get("List-Unsubscribe-Post"); got != "List-Unsubscribe=One-Click" {
		t.Errorf("List-Unsubscribe-Post = %q", got)
	}
	// The confirmation mail goes to someone who has not subscribed yet:
	// there is nothing to unsubscribe from.
	if got := mails[0].header.Get("List-Unsubscribe"); got != "" {
		t.Errorf("confirmation mail carries List-Unsubscribe %q", got)
	}
}

func TestSubscriberNames(t *testing.T) {
	if id, ok := incident.SubscriberID(incident.NotifierName(42)); !ok || id != 42 {
		t.Fatalf("round trip = %d, %v", id, ok)
	}
	for _, bad := range []string{"subscriber:", "subscriber:x", "subscriber:-1", "slack", "subscriber:0"} {
		if _, ok := incident.SubscriberID(bad); ok {
			t.Errorf("SubscriberID(%q) accepted", bad)
		}
	}
	if _, err := incident.NewSubscriber(make([]byte, 32), status.SubscriberEmail, "Ann <ann@example.com>", nil, time.Now()); err == nil {
		t.Error("an address with a display name was accepted")
	}
}

// linkToken finds the link starting with prefix in text and returns its
// token.
func linkToken(t *testing.T, text, prefix string) string {
	t.Helper()
	m := regexp.MustCompile(regexp.QuoteMeta(prefix) + `\?token=[A-Za-z0-9_%-]+`).FindString(text)
	if m == "" {
		t.Fatalf("no %s link in:\n%s", prefix, text)
	}
	u, err := url.Parse(m)
	if err != nil {
		t.Fatal(err)
	}
	return u.Query().Get("token")
}

// smtpSink is a loopback SMTP server that keeps the text part of each mail.
type smtpSink struct {
	port  int
	mu    sync.Mutex
	mails []sunk
}

type sunk struct {
	to      []string
	subject string
	text    string
	header  mail.Header
}

func (s *smtpSink) all() []sunk {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]sunk(nil), s.mails...)
}

func (s *smtpSink) NewSession(*smtp.Conn) (smtp.Session, error) { return &sinkSession{s: s}, nil }

type sinkSession struct {
	s  *smtpSink
	to []string
}

func (ss *sinkSession) Mail(string, *smtp.MailOptions) error { return nil }
func (ss *sinkSession) Rcpt(to string, _ *smtp.RcptOptions) error {
	ss.to = append(ss.to, to)
	return nil
}
func (ss *sinkSession) Reset()        { ss.to = nil }
func (ss *sinkSession) Logout() error { return nil }
func (ss *sinkSession) Data(r io.Reader) error {
	msg, err := mail.ReadMessage(r)
	if err != nil {
		return err
	}
	text, err := plainPart(msg.Header.Get("Content-Type"), msg.Header.Get("Content-Transfer-Encoding"), msg.Body)
	if err != nil {
		return err
	}
	ss.s.mu.Lock()
	ss.s.mails = append(ss.s.mails, sunk{to: ss.to, subject: msg.Header.Get("Subject"), text: text, header: msg.Header})
	ss.s.mu.Unlock()
	return nil
}

// plainPart returns the decoded text/plain part of a message body.
func plainPart(ctype, cte string, body io.Reader) (string, error) {
	mt, params, err := mime.ParseMediaType(ctype)
	if err != nil {
		return "", err
	}
	if strings.HasPrefix(mt, "multipart/") {
		mr := multipart.NewReader(body, params["boundary"])
		for {
			p, err := mr.NextRawPart()
			if err != nil {
				return "", err
			}
			if s, err := plainPart(p.Header.Get("Content-Type"), p.Header.Get("Content-Transfer-Encoding"), p); err == nil && s != "" {
				return s, nil
			}
		}
	}
	if mt != "text/plain" {
		return "", nil
	}
	switch strings.ToLower(cte) {
	case "quoted-printable":
		body = quotedprintable.NewReader(body)
	case "base64":
		body = base64.NewDecoder(base64.StdEncoding, body)
	}
	b, err := io.ReadAll(body)
	return string(b), err
}

func startSMTP(t *testing.T) *smtpSink {
	t.Helper()
	sink := &smtpSink{}
	srv := smtp.NewServer(sink)
	srv.Domain = "mx.test"
	srv.ReadTimeout, srv.WriteTimeout = 10*time.Second, 10*time.Second
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go srv.Serve(l)
	t.Cleanup(func() { srv.Close() })
	sink.port = l.Addr().(*net.TCPAddr).Port
	return sink
}

func TestMaintenancePhasesAreAnnouncedOnce(t *testing.T) {
	db, _, clk := setup(t)
	ctx := t.Context()
	sub := subscribe(t, db, status.SubscriberWebhook, "https://hooks.example.com/x", []string{"billing"}, true, clk.t)
	subscribe(t, db, status.SubscriberWebhook, "https://hooks.example.com/api", []string{"api"}, true, clk.t)
	_, err := db.CreateMaintenance(ctx, status.Maintenance{Title: "Database upgrade", Components: []string{"billing"}, Start: clk.t.Add(48 * time.Hour), End: clk.t.Add(49 * time.Hour)})
	if err != nil {
		t.Fatal(err)
	}
	a := &incident.Announcer{Subscribers: db, Outbox: db, PageURL: "https://status.example.com", Now: clk.Now,
		Components: func() []status.Component { return []status.Component{{ID: "billing", Name: "Billing"}} }}
	var nilAnnouncer *incident.Announcer
	if n, err := nilAnnouncer.Maintenances(ctx, db, incident.MaintenanceLead); n != 0 || err != nil {
		t.Fatalf("nil announcer = %d, %v", n, err)
	}
	if n, err := nilAnnouncer.IncidentByID(ctx, db, 1); n != 0 || err != nil {
		t.Fatalf("nil announcer = %d, %v", n, err)
	}
	var phases []string
	for _, step := range []time.Duration{0, 25 * time.Hour, time.Hour, 22*time.Hour + 30*time.Minute, time.Hour, 2 * time.Hour} {
		clk.Advance(step)
		if _, err := a.Maintenances(ctx, db, incident.MaintenanceLead); err != nil {
			t.Fatal(err)
		}
		if _, err := a.Maintenances(ctx, db, incident.MaintenanceLead); err != nil {
			t.Fatal(err)
		}
		for _, n := range claimAll(t, db, clk.t) {
			if n.Notifier != incident.NotifierName(sub.ID) {
				t.Errorf("notice for %s, who chose other components", n.Notifier)
			}
			var body struct {
				Incident struct {
					Status, Impact string
					Components     []struct{ Name string }
				}
			}
			if err := json.Unmarshal([]byte(n.Message.Fields["statuspage_payload"]), &body); err != nil {
				t.Fatal(err)
			}
			if body.Incident.Impact != "maintenance" || len(body.Incident.Components) != 1 || body.Incident.Components[0].Name != "Billing" {
				t.Errorf("payload = %+v", body)
			}
			phases = append(phases, body.Incident.Status)
			if err := db.MarkDelivered(ctx, n.ID, clk.t); err != nil {
				t.Fatal(err)
			}
		}
	}
	if got := strings.Join(phases, " "); got != "scheduled in_progress completed" {
		t.Fatalf("phases = %q", got)
	}
}

// A component's public status is told to the subscribers who follow it
// once it has held for the minimum time: a flap tells nobody, and each
// change is told once, shaped like Statuspage's component_update webhook.
func TestComponentUpdatesAreDebouncedAndShapedLikeStatuspage(t *testing.T) {
	db, _, clk := setup(t)
	ctx := t.Context()
	rcv := notifytest.NewReceiver(t, http.StatusNoContent, "")
	apiSub := subscribe(t, db, status.SubscriberWebhook, rcv.URL+"/api", []string{"api"}, true, clk.t)
	subscribe(t, db, status.SubscriberWebhook, rcv.URL+"/billing", []string{"billing"}, true, clk.t)
	plan := status.Plan{Components: []status.Component{
		{ID: "api", Name: "API", Group: "Core Services", Public: true, Position: 1},
		{ID: "billing", Name: "Billing", Public: true, Position: 2},
		{ID: "internal", Name: "Internal", Public: false},
	}}
	a := &incident.Announcer{Subscribers: db, Outbox: db, PageID: "page1", PageURL: "https://status.example.com", Now: clk.Now}
	e := &incident.Engine{Store: db, Policy: status.DefaultIncidentPolicy, Now: clk.Now, Plan: func() status.Plan { return plan }, Subscribers: a}
	t0 := clk.t
	updates := func() []status.Notification {
		t.Helper()
		var out []status.Notification
		for _, n := range claimAll(t, db, clk.t.Add(time.Hour)) {
			if n.Message.Event == status.EventComponentUpdate {
				out = append(out, n)
			}
			if err := db.MarkDelivered(ctx, n.ID, clk.t); err != nil {
				t.Fatal(err)
			}
		}
		return out
	}

	// A 90-second blip, and a flap of the internal component: nothing.
	change(t, db, "api", status.Operational, status.MajorOutage, t0)
	change(t, db, "internal", status.Operational, status.MajorOutage, t0)
	clk.Advance(time.Minute)
	tick(t, e)
	change(t, db, "api", status.MajorOutage, status.Operational, t0.Add(90*time.Second))
	clk.t = t0.Add(6 * time.Minute)
	tick(t, e)
	if got := updates(); len(got) != 0 {
		t.Fatalf("a blip was told: %+v", got)
	}

	// An outage that holds is told once, after three minutes.
	outage := t0.Add(7 * time.Minute)
	change(t, db, "api", status.Operational, status.MajorOutage, outage)
	clk.t = outage.Add(2 * time.Minute)
	tick(t, e)
	if got := updates(); len(got) != 0 {
		t.Fatalf("told before the minimum time: %+v", got)
	}
	clk.t = outage.Add(3 * time.Minute)
	tick(t, e)
	clk.Advance(time.Minute)
	tick(t, e)
	got := updates()
	if len(got) != 1 || got[0].Notifier != incident.NotifierName(apiSub.ID) {
		t.Fatalf("component updates %+v, want one to the API subscriber", got)
	}
	if m := got[0].Message; m.Title != "API: major outage" || !strings.Contains(m.Text, "from operational to major outage") {
		t.Errorf("message %q: %q", m.Title, m.Text)
	}

	r := &incident.SubscriberNotifiers{Store: db, PageURL: "https://status.example.com", Env: notify.Env{AllowPrivate: true}}
	if err := r.Notifier(got[0].Notifier).Send(ctx, got[0].Message); err != nil {
		t.Fatal(err)
	}
	req := rcv.Last(t)
	key, _ := db.SubscriberKey(ctx)
	if !incident.VerifySignature(incident.WebhookSecret(key, apiSub), req.Body, req.Header.Get(incident.HeaderSignature)) {
		t.Error("component update is not signed with the subscriber's secret")
	}
	if !bytes.HasPrefix(req.Body, []byte(`{"meta":{`)) || !bytes.Contains(req.Body, []byte(`},"page":{`)) {
		t.Errorf("body is not ordered meta, page, ...: %s", req.Body)
	}
	var body struct {
		Meta struct {
			Unsubscribe string `json:"unsubscribe"`
		} `json:"meta"`
		Page struct {
			ID string `json:"id"`
		} `json:"page"`
		Update struct {
			ID          string    `json:"id"`
			ComponentID string    `json:"component_id"`
			OldStatus   string    `json:"old_status"`
			NewStatus   string    `json:"new_status"`
			CreatedAt   time.Time `json:"created_at"`
		} `json:"component_update"`
		Component struct {
			ID       string  `json:"id"`
			Name     string  `json:"name"`
			Status   string  `json:"status"`
			PageID   string  `json:"page_id"`
			GroupID  *string `json:"group_id"`
			Position int     `json:"position"`
		} `json:"component"`
	}
	if err := json.Unmarshal(req.Body, &body); err != nil {
		t.Fatal(err)
	}
	u := body.Update
	if u.ComponentID != "api" || u.OldStatus != "operational" || u.NewStatus != "major_outage" || !u.CreatedAt.Equal(outage) || u.ID == "" {
		t.Errorf("component_update = %+v", u)
	}
	c := body.Component
	if c.ID != "api" || c.Name != "API" || c.Status != "major_outage" || c.PageID != "page1" || c.GroupID == nil || *c.GroupID != "group-core-services" || c.Position != 1 {
		t.Errorf("component = %+v", c)
	}
	if body.Page.ID != "page1" || !strings.HasPrefix(body.Meta.Unsubscribe, "https://status.example.com/unsubscribe?token=") {
		t.Errorf("page %+v, meta %+v", body.Page, body.Meta)
	}

	// Recovery that holds is told too, from the status subscribers knew.
	back := clk.t
	change(t, db, "api", status.MajorOutage, status.Operational, back)
	clk.t = back.Add(3 * time.Minute)
	tick(t, e)
	got = updates()
	if len(got) != 1 || !strings.Contains(got[0].Message.Text, "from major outage to operational") {
		t.Fatalf("recovery updates %+v", got)
	}
}
