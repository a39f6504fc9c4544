package monitor_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/safetynet-dev/safetynet"
	"github.com/safetynet-dev/safetynet/incident"
	"github.com/safetynet-dev/safetynet/monitor"
	"github.com/safetynet-dev/safetynet/status"
)

// keys lists the notifiers of notifications, sorted.
func notifiers(ns []status.Notification) []string {
	var out []string
	for _, n := range ns {
		out = append(out, n.Notifier)
	}
	slices.Sort(out)
	return out
}

func TestDownAfterFailuresUpAfterSuccessesNotifiesOncePerNotifier(t *testing.T) {
	h := newHarness(t, nil)
	c := check("api-health", 10*time.Second)
	c.FailuresToDown, c.SuccessesToUp = 3, 2
	h.setPlan(plan(c))
	h.start()
	h.run(10 * time.Second) // first result: up, and no news
	if n := len(h.st.notifications()); n != 0 {
		t.Fatalf("%d notifications for a check starting up", n)
	}

	h.p.fail("api-health", "status 503, want 200")
	h.run(20 * time.Second)
	if n := len(h.st.notifications()); n != 0 {
		t.Fatalf("notified after 2 failures of 3: %d", n)
	}
	h.run(10 * time.Second)
	down := h.notes("check/api-health/local/down/")
	if got := notifiers(down); !slices.Equal(got, []string{"mail", "pager", "slack"}) {
		t.Fatalf("down notified %v, want mail, pager (route), slack (team) once each", got)
	}
	msg := down[0].Message
	if msg.Event != status.EventDown || msg.Text != "status 503, want 200" || msg.Component != "api" || msg.Team != "core" || msg.ID == "" {
		t.Errorf("down message: %+v", msg)
	}
	if !strings.Contains(msg.Title, "API") || !strings.Contains(msg.Title, "down") {
		t.Errorf("down title %q names neither component nor state", msg.Title)
	}
	open, _ := h.st.Alerts(context.Background(), status.AlertFilter{OpenOnly: true})
	if len(open) != 1 || open[0].Kind != status.AlertCheck || open[0].Subject != "api-health" || open[0].Silenced {
		t.Fatalf("open alerts %+v, want one check alert on api-health", open)
	}

	h.run(30 * time.Second) // still down: nothing new
	if n := len(h.st.notifications()); n != 3 {
		t.Fatalf("%d notifications while staying down, want still 3", n)
	}

	h.p.ok("api-health")
	h.run(10 * time.Second)
	if n := len(h.st.notifications()); n != 3 {
		t.Fatalf("notified up after 1 success of 2")
	}
	h.run(10 * time.Second)
	up := h.notes("check/api-health/local/up/")
	if got := notifiers(up); !slices.Equal(got, []string{"mail", "slack"}) {
		t.Fatalf("up notified %v, want the team's mail and slack (the route takes only down)", got)
	}
	if !strings.Contains(up[0].Message.Text, "recovered after 50s down") {
		t.Errorf("up text %q, want the down duration", up[0].Message.Text)
	}
	if open, _ := h.st.Alerts(context.Background(), status.AlertFilter{OpenOnly: true}); len(open) != 0 {
		t.Errorf("alert still open after recovery: %+v", open)
	}
	keys := map[string]bool{}
	for _, n := range h.st.notifications() {
		if keys[n.Key] {
			t.Errorf("key %s used twice", n.Key)
		}
		keys[n.Key] = true
	}
}

func TestRemindersWhileDown(t *testing.T) {
	h := newHarness(t, nil)
	p := plan(check("db", 30*time.Second))
	p.Alerting.RemindEvery = 5 * time.Minute
	h.p.fail("db", "connection refused")
	h.setPlan(p)
	h.start()
	h.run(12 * time.Minute)
	rem := h.notes("check/db/local/reminder/")
	if got := notifiers(rem); !slices.Equal(got, []string{"mail", "mail", "slack", "slack"}) {
		t.Fatalf("reminders %v after 12 minutes down, want two for each team notifier", got)
	}
	if !strings.Contains(rem[0].Message.Title, "still down") {
		t.Errorf("reminder title %q", rem[0].Message.Title)
	}
	h.p.ok("db")
	h.run(10 * time.Minute)
	if n := len(h.notes("check/db/local/reminder/")); n != 4 {
		t.Errorf("%d reminders after recovery, want no more than 4", n)
	}
}

func TestFlappingIsHeldBackUntilItSettles(t *testing.T) {
	h := newHarness(t, nil)
	p := plan(check("edge", 10*time.Second))
	p.Alerting.FlapWindow, p.Alerting.FlapChanges = 2*time.Minute, 3
	h.setPlan(p)
	h.start()
	h.run(10 * time.Second)
	// down, up, then down-up-down-up... every 10 seconds.
	for i := range 8 {
		if i%2 == 0 {
			h.p.fail("edge", "timeout")
		} else {
			h.p.ok("edge")
		}
		h.run(10 * time.Second)
	}
	if got := len(h.notes("check/edge/local/down/")); got != 3 {
		t.Errorf("%d down notifications while flapping, want 3 (the first down to slack, mail and pager)", got)
	}
	if got := len(h.notes("check/edge/")); got != 3+2 {
		t.Errorf("%d notifications while flapping, want 5: the first down (3) and up (2), then silence", got)
	}
	// It settles down: told once, after a whole flap window without change.
	h.p.fail("edge", "timeout")
	h.run(time.Minute)
	before := len(h.notes("check/edge/"))
	h.run(2 * time.Minute)
	after := h.notes("check/edge/")
	if len(after) != before+3 {
		t.Fatalf("%d notifications once settled down, want %d", len(after), before+3)
	}
	if ev := after[len(after)-1].Message.Event; ev != status.EventDown {
		t.Errorf("settled notification is %s, want down", ev)
	}
}

func TestMaintenanceSilencesCheckAlerts(t *testing.T) {
	h := newHarness(t, nil)
	start := h.clk.Now()
	p := plan(check("api-health", 10*time.Second))
	p.Maintenances = []status.Maintenance{{Title: "database upgrade", Components: []string{"api"}, Start: start.Add(time.Minute), End: start.Add(10 * time.Minute)}}
	h.setPlan(p)
	h.start()
	h.run(2 * time.Minute)
	h.p.fail("api-health", "status 503, want 200")
	h.run(time.Minute)
	alerts := h.st.allAlerts()
	if len(alerts) != 1 || !alerts[0].Silenced {
		t.Fatalf("alerts during maintenance %+v, want one silenced check alert", alerts)
	}
	if n := len(h.st.notifications()); n != 0 {
		t.Fatalf("%d notifications for a check failing during maintenance", n)
	}
	// Still down when the window closes: now the team hears about it.
	h.run(8 * time.Minute)
	if got := notifiers(h.notes("check/api-health/local/down/")); !slices.Equal(got, []string{"mail", "pager", "slack"}) {
		t.Errorf("after maintenance ended with the check down, notified %v", got)
	}
}

func TestHeartbeatSilenceIsAFailure(t *testing.T) {
	h := newHarness(t, nil)
	hb := status.Check{
		ID: "nightly-cleanup", Name: "nightly cleanup", Component: "api", Kind: status.KindHeartbeat,
		Interval: time.Hour, FailuresToDown: 1, SuccessesToUp: 1,
	}
	h.setPlan(plan(hb))
	h.start()
	ctx := context.Background()
	if err := h.m.Heartbeat(ctx, "token-nightly-cleanup", h.clk.Now()); err != nil {
		t.Fatal(err)
	}
	if err := h.m.Heartbeat(ctx, "wrong", h.clk.Now()); safetynet.ErrorCode(err) != safetynet.ENOTFOUND {
		t.Fatalf("unknown token: %v, want ENOTFOUND", err)
	}
	for range 70 {
		h.step(time.Minute)
	}
	if n := len(h.notes("check/nightly-cleanup/local/down/")); n != 0 {
		t.Fatalf("down within the interval plus grace (%d notifications)", n)
	}
	for range 2 {
		h.step(time.Minute)
	}
	down := h.notes("check/nightly-cleanup/local/down/")
	if len(down) != 3 {
		t.Fatalf("%d down notifications after 72 minutes of silence, want 3", len(down))
	}
	if want := "no heartbeat since 20:00 UTC (grace 10m0s)"; down[0].Message.Text != want {
		t.Errorf("message %q, want %q", down[0].Message.Text, want)
	}
	// The job calls in: up at once, not at the next evaluation.
	if err := h.m.Heartbeat(ctx, "token-nightly-cleanup", h.clk.Now()); err != nil {
		t.Fatal(err)
	}
	if n := len(h.notes("check/nightly-cleanup/local/up/")); n != 2 {
		t.Errorf("%d up notifications after the heartbeat, want 2", n)
	}
}

func TestComponentStatusChangesAreRecordedWithCauses(t *testing.T) {
	h := newHarness(t, nil)
	h.setPlan(plan(check("a", 10*time.Second), check("b", 10*time.Second)))
	h.start()
	h.run(10 * time.Second)
	h.p.fail("a", "status 500")
	h.run(10 * time.Second)
	h.p.fail("b", "status 500")
	h.run(10 * time.Second)
	h.p.ok("a")
	h.p.ok("b")
	h.run(10 * time.Second)

	var got []string
	for _, c := range h.changes("api") {
		got = append(got, fmt.Sprintf("%s->%s: %s", c.From, c.To, c.Cause))
		if c.At.IsZero() {
			t.Errorf("change without a time: %+v", c)
		}
	}
	want := []string{
		"->operational: all checks passing",
		"operational->partial_outage: 1 of 2 checks failing (a)",
		"partial_outage->major_outage: all checks failing (a, b)",
		// a and b run at different seconds of their interval.
		"major_outage->partial_outage: 1 of 2 checks failing (b)",
		"partial_outage->operational: all checks passing",
	}
	if !slices.Equal(got, want) {
		t.Errorf("changes:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if n := len(h.changes("web")); n != 0 {
		t.Errorf("component web, with no checks and nothing to say, has %d changes; want none until evaluated", n)
	}

	snap, err := h.m.Snapshot(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if len(snap.Components) != 2 || snap.Components[0].Component.ID != "api" || snap.Components[0].Status != status.Operational {
		t.Fatalf("snapshot components: %+v", snap.Components)
	}
	api := snap.Components[0]
	if len(api.Checks) != 2 || api.Checks[0].State != status.StateUp || api.Checks[0].States[0].LastResult == nil {
		t.Errorf("snapshot checks: %+v", api.Checks)
	}
}

func TestExtractedValuesBecomeSamples(t *testing.T) {
	h := newHarness(t, nil)
	h.p.set("users", func(context.Context) status.Result {
		return status.Result{OK: true, Values: map[string]float64{"active_users": 1042}}
	})
	h.setPlan(plan(check("users", time.Minute)))
	h.start()
	h.run(time.Minute)
	waitFor(t, "the extracted sample", func() bool {
		ss, _ := h.st.Samples(context.Background(), status.SampleFilter{Name: "active_users", Tags: map[string]string{"component": "api", "check": "users"}})
		return len(ss) == 1 && ss[0].Value == 1042
	})
}

func TestIngestValidates(t *testing.T) {
	h := newHarness(t, nil)
	h.setPlan(plan())
	ctx := context.Background()
	now := h.clk.Now()
	err := h.m.Ingest(ctx, []status.Sample{{Name: "users", Value: 1, At: now}, {Name: "bad name", Value: 1, At: now}})
	var se *safetynet.Error
	if !errors.As(err, &se) || se.Code != safetynet.EINVALID || !strings.Contains(se.Message, "sample 1") {
		t.Fatalf("Ingest with a bad sample: %v, want EINVALID naming sample 1", err)
	}
	if ss, _ := h.st.Samples(ctx, status.SampleFilter{Name: "users"}); len(ss) != 0 {
		t.Fatalf("a rejected batch stored %d samples", len(ss))
	}
	if err := h.m.Ingest(ctx, []status.Sample{{Name: "users", Value: 1, At: now, Tags: map[string]string{"customer": "acme"}}}); err != nil {
		t.Fatal(err)
	}
	if ss, _ := h.st.Samples(ctx, status.SampleFilter{Name: "users"}); len(ss) != 1 {
		t.Fatalf("stored %d samples, want 1", len(ss))
	}
}

// With no readers injected, heartbeat tokens and grace periods come from the
// check's spec as package probe reads them.
func TestHeartbeatSpecFromProbe(t *testing.T) {
	t.Setenv("SAFETYNET_TEST_HB_TOKEN", "0123456789abcdef0123")
	h := newHarness(t, func(o *monitor.Options) { o.HeartbeatToken, o.HeartbeatGrace = nil, nil })
	hb := status.Check{
		ID: "backup", Component: "api", Kind: status.KindHeartbeat, Interval: time.Hour, FailuresToDown: 1, SuccessesToUp: 1,
		Spec: []byte(`{"grace": "5m", "token_env": "SAFETYNET_TEST_HB_TOKEN"}`),
	}
	h.setPlan(plan(hb))
	ctx := context.Background()
	if err := h.m.Heartbeat(ctx, "0123456789abcdef0123", h.clk.Now()); err != nil {
		t.Fatalf("heartbeat with the token from the environment: %v", err)
	}
	if err := h.m.Heartbeat(ctx, "token-backup", h.clk.Now()); safetynet.ErrorCode(err) != safetynet.ENOTFOUND {
		t.Errorf("heartbeat with another token: %v, want ENOTFOUND", err)
	}
	h.start()
	for range 66 {
		h.step(time.Minute)
	}
	down := h.notes("check/backup/local/down/")
	if len(down) == 0 || !strings.Contains(down[0].Message.Text, "(grace 5m0s)") {
		t.Fatalf("after 66 minutes of silence: %+v, want down with the spec's 5m grace", down)
	}
}

func TestRemovedCheckResolvesItsAlert(t *testing.T) {
	h := newHarness(t, nil)
	h.p.fail("old", "connection refused")
	h.setPlan(plan(check("old", 10*time.Second), check("kept", 10*time.Second)))
	h.start()
	h.run(10 * time.Second)
	if open, _ := h.st.Alerts(context.Background(), status.AlertFilter{OpenOnly: true}); len(open) != 1 {
		t.Fatalf("open alerts %+v, want the failing check's", open)
	}
	h.setPlan(plan(check("kept", 10*time.Second)))
	if open, _ := h.st.Alerts(context.Background(), status.AlertFilter{OpenOnly: true}); len(open) != 0 {
		t.Errorf("alert of a removed check still open: %+v", open)
	}
	if cs := h.changes("api"); cs[len(cs)-1].To != status.Operational {
		t.Errorf("api's status after its failing check was removed: %+v", cs[len(cs)-1])
	}
}

// ackRef is the acknowledgement reference a notification carries.
func ackRef(n status.Notification) string { return n.Message.Fields[incident.FieldAck] }

func TestCheckAlertNotificationsNameTheAlertToAcknowledge(t *testing.T) {
	h := newHarness(t, nil)
	p := plan(check("db", 30*time.Second))
	p.Alerting.RemindEvery = 5 * time.Minute
	h.setPlan(p)
	h.start()
	h.run(30 * time.Second)
	h.p.fail("db", "connection refused")
	h.run(30 * time.Second)

	open, _ := h.st.Alerts(context.Background(), status.AlertFilter{OpenOnly: true})
	if len(open) != 1 {
		t.Fatalf("open alerts %+v, want one", open)
	}
	want := incident.AckRef(incident.AckAlert, open[0].ID)
	down := h.notes("check/db/local/down/")
	if len(down) != 3 {
		t.Fatalf("%d down notifications, want 3", len(down))
	}
	for _, n := range down {
		if got := ackRef(n); got != want {
			t.Errorf("down notification to %s acknowledges %q, want %q", n.Notifier, got, want)
		}
	}

	// A restarted server has not seen the alert open; its reminders still
	// name it.
	h.restart(p)
	h.run(6 * time.Minute)
	rem := h.notes("check/db/local/reminder/")
	if len(rem) == 0 {
		t.Fatal("no reminder after the restart")
	}
	for _, n := range rem {
		if got := ackRef(n); got != want {
			t.Errorf("reminder to %s acknowledges %q, want %q", n.Notifier, got, want)
		}
	}

	h.p.ok("db")
	h.run(30 * time.Second)
	up := h.notes("check/db/local/up/")
	if len(up) == 0 {
		t.Fatal("no recovery notification")
	}
	for _, n := range up {
		if got := ackRef(n); got != "" {
			t.Errorf("recovery notification asks to acknowledge %q", got)
		}
	}

	// The next outage is a new alert with its own reference.
	h.p.fail("db", "connection refused")
	h.run(30 * time.Second)
	open, _ = h.st.Alerts(context.Background(), status.AlertFilter{OpenOnly: true})
	if len(open) != 1 || incident.AckRef(incident.AckAlert, open[0].ID) == want {
		t.Fatalf("open alerts after the second outage %+v", open)
	}
	down = h.notes("check/db/local/down/")
	if got := ackRef(down[len(down)-1]); got != incident.AckRef(incident.AckAlert, open[0].ID) {
		t.Errorf("second down notification acknowledges %q, want the new alert %d", got, open[0].ID)
	}
}
