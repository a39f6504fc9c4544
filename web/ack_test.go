package web_test

import (
	"context"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/safetynet-dev/safetynet/incident"
	"github.com/safetynet-dev/safetynet/monitor"
	"github.com/safetynet-dev/safetynet/status"
)

// ackEnv is a subEnv with one incident, one alert, and the server's
// acknowledgement link maker.
type ackEnv struct {
	*subEnv
	acks  incident.Acks
	incID int64
	alert int64
}

func newAckEnv(t *testing.T) *ackEnv {
	t.Helper()
	se := newSubEnv(t)
	ctx := t.Context()
	key, err := incident.AckKey(ctx, se.db)
	if err != nil {
		t.Fatal(err)
	}
	inc, err := se.db.CreateIncident(ctx, status.Incident{Title: "Logins <failing>", Status: status.Investigating, Impact: status.ImpactMajor,
		StartedAt: now.Add(-5 * time.Minute), CreatedAt: now.Add(-4 * time.Minute)},
		status.IncidentUpdate{Body: "We are investigating.", Author: "safetynet"}, "safetynet")
	if err != nil {
		t.Fatal(err)
	}
	al, _, err := se.db.OpenAlert(ctx, status.Alert{Kind: status.AlertThreshold, Component: "api", Subject: "api-health", Summary: "api-health is down", Status: status.MajorOutage, Started: now.Add(-2 * time.Minute)})
	if err != nil {
		t.Fatal(err)
	}
	return &ackEnv{subEnv: se, acks: incident.Acks{Key: key}, incID: inc.ID, alert: al.ID}
}

// path is the path of a fresh link for kind id.
func (ae *ackEnv) path(kind incident.AckKind, id int64) string {
	u, err := url.Parse(ae.acks.AckLink("https://status.example.com", kind, id, ae.now))
	if err != nil {
		panic(err)
	}
	return u.EscapedPath()
}

func TestAckIncidentByLink(t *testing.T) {
	ae := newAckEnv(t)
	p := ae.path(incident.AckIncident, ae.incID)
	b := ae.browser("192.0.2.1:1234")

	// Opening the link (as a mail scanner would) changes nothing.
	for range 2 {
		rec := b.do(t, http.MethodGet, p, nil)
		if rec.Code != http.StatusOK {
			t.Fatalf("GET %s = %d: %s", p, rec.Code, rec.Body)
		}
		page := rec.Body.String()
		for _, want := range []string{"Acknowledge this incident", "Logins &lt;failing&gt;", `method="post"`, `name="name"`} {
			if !strings.Contains(page, want) {
				t.Errorf("confirmation page lacks %q", want)
			}
		}
		if strings.Contains(page, "Logins <failing>") {
			t.Error("title not escaped")
		}
		if got := rec.Header().Get("Cache-Control"); got != "no-store" {
			t.Errorf("Cache-Control = %q", got)
		}
	}
	inc, err := ae.db.Incident(t.Context(), ae.incID)
	if err != nil {
		t.Fatal(err)
	}
	if inc.AckedAt != nil {
		t.Fatalf("GET acknowledged the incident: %v by %q", inc.AckedAt, inc.AckedBy)
	}

	// A POST without a name asks for one.
	rec := b.do(t, http.MethodPost, p, url.Values{"name": {"  "}})
	if rec.Code != http.StatusBadRequest || !strings.Contains(rec.Body.String(), "Please give your name") {
		t.Fatalf("POST without name = %d: %s", rec.Code, rec.Body)
	}

	ae.now = now.Add(time.Minute)
	rec = b.do(t, http.MethodPost, p, url.Values{"name": {"Dana  <Ops>"}})
	if rec.Code != http.StatusOK {
		t.Fatalf("POST = %d: %s", rec.Code, rec.Body)
	}
	if page := rec.Body.String(); !strings.Contains(page, "Acknowledged by <strong>Dana &lt;Ops&gt;</strong>") {
		t.Errorf("done page: %s", rec.Body)
	}
	inc, err = ae.db.Incident(t.Context(), ae.incID)
	if err != nil {
		t.Fatal(err)
	}
	if inc.AckedAt == nil || !inc.AckedAt.Equal(ae.now) || inc.AckedBy != "Dana <Ops>" {
		t.Fatalf("incident acked %v by %q, want %v by Dana <Ops>", inc.AckedAt, inc.AckedBy, ae.now)
	}

	// A second person is told who was first, and the first ack is kept.
	ae.now = now.Add(2 * time.Minute)
	rec = b.do(t, http.MethodPost, p, url.Values{"name": {"Sam"}})
	if rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), "Dana") {
		t.Fatalf("second POST = %d: %s", rec.Code, rec.Body)
	}
	inc, _ = ae.db.Incident(t.Context(), ae.incID)
	if inc.AckedBy != "Dana <Ops>" || !inc.AckedAt.Equal(now.Add(time.Minute)) {
		t.Errorf("second ack replaced the first: %v by %q", inc.AckedAt, inc.AckedBy)
	}
	// And the link now shows the acknowledgement rather than the form.
	rec = b.do(t, http.MethodGet, p, nil)
	if strings.Contains(rec.Body.String(), `method="post"`) || !strings.Contains(rec.Body.String(), "Acknowledged by") {
		t.Errorf("GET after ack: %s", rec.Body)
	}
}

func TestAckAlertByLink(t *testing.T) {
	ae := newAckEnv(t)
	p := ae.path(incident.AckAlert, ae.alert)
	b := ae.browser("192.0.2.1:1234")
	rec := b.do(t, http.MethodGet, p, nil)
	if rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), "api-health is down") {
		t.Fatalf("GET = %d: %s", rec.Code, rec.Body)
	}
	rec = b.do(t, http.MethodPost, p, url.Values{"name": {"Dana"}})
	if rec.Code != http.StatusOK {
		t.Fatalf("POST = %d: %s", rec.Code, rec.Body)
	}
	alerts, err := ae.db.Alerts(t.Context(), status.AlertFilter{OpenOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(alerts) != 1 || alerts[0].AckedBy != "Dana" || alerts[0].AckedAt == nil || !alerts[0].AckedAt.Equal(now) {
		t.Fatalf("alerts = %+v, want one acknowledged by Dana at %v", alerts, now)
	}
}

func TestAckBadLinks(t *testing.T) {
	ae := newAckEnv(t)
	b := ae.browser("192.0.2.1:1234")
	good := ae.path(incident.AckIncident, ae.incID)
	tok := strings.TrimPrefix(good, "/ack/")
	mac := tok[strings.LastIndexByte(tok, '.')+1:]
	exp := strings.Split(tok, ".")[2]
	forged := incident.Acks{Key: incident.DeriveAckKey([]byte("not the server's key"))}

	for name, p := range map[string]string{
		"other id":      "/ack/incident." + "999." + exp + "." + mac,
		"other key":     "/ack/" + forged.Token(incident.AckIncident, ae.incID, ae.now),
		"garbage":       "/ack/hello",
		"missing thing": ae.path(incident.AckIncident, 999),
		"missing alert": ae.path(incident.AckAlert, ae.alert+999),
	} {
		for _, method := range []string{http.MethodGet, http.MethodPost} {
			rec := b.do(t, method, p, url.Values{"name": {"Mallory"}})
			if rec.Code != http.StatusNotFound || !strings.Contains(rec.Body.String(), "This link is not valid") {
				t.Errorf("%s %s = %d: %s", method, name, rec.Code, rec.Body)
			}
			if strings.Contains(rec.Body.String(), `method="post"`) {
				t.Errorf("%s %s shows the form", method, name)
			}
		}
	}

	// A real link past its time says it has expired, and acknowledges
	// nothing.
	ae.now = now.Add(incident.DefaultAckTTL + time.Second)
	for _, method := range []string{http.MethodGet, http.MethodPost} {
		rec := b.do(t, method, good, url.Values{"name": {"Dana"}})
		if rec.Code != http.StatusGone || !strings.Contains(rec.Body.String(), "This link has expired") {
			t.Errorf("%s expired = %d: %s", method, rec.Code, rec.Body)
		}
	}
	inc, err := ae.db.Incident(t.Context(), ae.incID)
	if err != nil {
		t.Fatal(err)
	}
	if inc.AckedAt != nil {
		t.Errorf("a bad link acknowledged the incident: by %q", inc.AckedBy)
	}
}

func TestAckNeedsStore(t *testing.T) {
	e := newEnv(t, nil)
	rec := e.do(t, http.MethodGet, "/ack/incident.1.2.x", "", "")
	if rec.Code != http.StatusServiceUnavailable {
		t.Errorf("without a store: %d, want 503", rec.Code)
	}
}

// A resolved alert someone already acknowledged says who, and keeps them.
func TestAckResolvedAlert(t *testing.T) {
	ae := newAckEnv(t)
	ctx := t.Context()
	if err := ae.db.AckAlert(ctx, ae.alert, "Robin", now); err != nil {
		t.Fatal(err)
	}
	if err := ae.db.ResolveAlert(ctx, ae.alert, now.Add(time.Minute)); err != nil {
		t.Fatal(err)
	}
	ae.now = now.Add(2 * time.Minute)
	p := ae.path(incident.AckAlert, ae.alert)
	b := ae.browser("192.0.2.1:1234")
	for _, method := range []string{http.MethodGet, http.MethodPost} {
		rec := b.do(t, method, p, url.Values{"name": {"Sam"}})
		if rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), "Acknowledged by <strong>Robin</strong>") {
			t.Errorf("%s = %d: %s", method, rec.Code, rec.Body)
		}
	}
	alerts, err := ae.db.Alerts(ctx, status.AlertFilter{Since: now})
	if err != nil {
		t.Fatal(err)
	}
	if len(alerts) != 1 || alerts[0].AckedBy != "Robin" {
		t.Errorf("alerts = %+v, want Robin's acknowledgement kept", alerts)
	}
}

// sendFunc is a notifier that hands each message to a function.
type sendFunc func(m status.Message) error

func (f sendFunc) Send(_ context.Context, m status.Message) error { return f(m) }

type failingProbe struct{}

func (failingProbe) Probe(context.Context) status.Result {
	return status.Result{Error: "connection refused", Latency: time.Millisecond}
}

// A failing check raises an alert whose notification carries an
// acknowledgement reference; the team's notifier, wrapped in AckLinks,
// sends a link; posting that link records who took the alert on.
func TestCheckAlertAcknowledgedFromItsNotification(t *testing.T) {
	se := newSubEnv(t)
	se.now = time.Now().UTC().Truncate(time.Microsecond)
	m := monitor.New(monitor.Options{
		Store:     se.db,
		NewProber: func(*status.Check) (monitor.Prober, error) { return failingProbe{}, nil },
		Logger:    slog.New(slog.DiscardHandler),
		FlushSize: 1, EvalEvery: time.Hour, ShutdownTimeout: time.Second, // Run waits this long for the last probes to stop
	})
	p := status.Plan{
		Components: []status.Component{{ID: "api", Name: "API", Owner: "core"}},
		Teams:      []status.Team{{Name: "core", Notifiers: []string{"slack"}}},
		Checks: []status.Check{{ID: "api-health", Component: "api", Kind: status.KindHTTP, Target: "http://127.0.0.1:1/",
			Interval: time.Second, Timeout: time.Second, FailuresToDown: 1, SuccessesToUp: 1}},
	}
	ctx, cancel := context.WithCancel(t.Context())
	if err := m.SetPlan(ctx, p); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- m.Run(ctx) }()
	stop := sync.OnceFunc(func() { cancel(); <-done })
	t.Cleanup(stop)

	var queued []status.Notification
	deadline := time.Now().Add(10 * time.Second)
	for len(queued) == 0 {
		if time.Now().After(deadline) {
			t.Fatal("no notification enqueued for the failing check")
		}
		time.Sleep(20 * time.Millisecond)
		ns, err := se.db.ClaimNotifications(t.Context(), "test", time.Now().Add(time.Minute), 10, time.Minute)
		if err != nil {
			t.Fatal(err)
		}
		queued = append(queued, ns...)
	}
	stop()
	msg := queued[0].Message
	if msg.Event != status.EventDown || msg.Fields[incident.FieldAck] == "" {
		t.Fatalf("down message %+v carries no acknowledgement reference", msg)
	}

	var sent []status.Message
	links := &incident.AckLinks{Keys: se.db, BaseURL: "https://status.example.com", Now: func() time.Time { return se.now },
		Next: sendFunc(func(m status.Message) error { sent = append(sent, m); return nil })}
	if err := links.Send(t.Context(), msg); err != nil {
		t.Fatal(err)
	}
	if len(sent) != 1 || !strings.HasPrefix(sent[0].URL, "https://status.example.com/ack/alert.") {
		t.Fatalf("sent %+v, want a link acknowledging the alert", sent)
	}
	if _, leaked := sent[0].Fields[incident.FieldAck]; leaked {
		t.Error("the reference was sent along with the link")
	}

	u, err := url.Parse(sent[0].URL)
	if err != nil {
		t.Fatal(err)
	}
	se.now = se.now.Add(3 * time.Minute)
	rec := se.browser("192.0.2.7:1234").do(t, http.MethodPost, u.EscapedPath(), url.Values{"name": {"Robin"}})
	if rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), "Robin") {
		t.Fatalf("POST %s = %d: %s", u.Path, rec.Code, rec.Body)
	}
	alerts, err := se.db.Alerts(t.Context(), status.AlertFilter{Component: "api"})
	if err != nil {
		t.Fatal(err)
	}
	if len(alerts) != 1 || alerts[0].Kind != status.AlertCheck || alerts[0].AckedBy != "Robin" || alerts[0].AckedAt == nil || !alerts[0].AckedAt.Equal(se.now) {
		t.Fatalf("alerts %+v, want the check alert acknowledged by Robin at %v", alerts, se.now)
	}
	if ref := incident.AckRef(incident.AckAlert, alerts[0].ID); msg.Fields[incident.FieldAck] != ref {
		t.Errorf("message acknowledges %q, the alert is %q", msg.Fields[incident.FieldAck], ref)
	}
}
