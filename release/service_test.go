package release_test

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/safetynet-dev/safetynet"
	"github.com/safetynet-dev/safetynet/release"
	"github.com/safetynet-dev/safetynet/status"
	"github.com/safetynet-dev/safetynet/store"
)

type fixture struct {
	svc      *release.Service
	db       *store.DB
	now      time.Time
	redecide int
}

func mustService(tb testing.TB) *fixture {
	tb.Helper()
	f := &fixture{now: t0}
	db, err := store.Open(context.Background(), filepath.Join(tb.TempDir(), "s.db"), store.Options{Now: func() time.Time { return f.now }})
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { db.Close() })
	f.db = db
	plan := status.Plan{
		Components: []status.Component{{ID: "api", Name: "API", Owner: "platform", Public: true}, {ID: "payments", Name: "Payments", Owner: "payments"}},
		Teams:      []status.Team{{Name: "platform", Notifiers: []string{"platform-hook"}}, {Name: "payments", Notifiers: []string{"payments-slack"}}},
		Routes:     []status.Route{{Components: []string{"*"}, Events: []status.Event{status.EventBuild}, Notifiers: []string{"all-builds"}}},
	}
	settings := release.Settings{Policy: release.DefaultPolicy(), AWS: release.Mapping{
		Builds:    []release.BuildTarget{{Project: "api-build", Service: "api", Components: []string{"api"}}},
		Pipelines: []release.PipelineTarget{{Pipeline: "api-pipeline", Service: "api", Components: []string{"api"}, Environment: "production", Stages: map[string]string{"Staging": "staging"}}},
		Alarms:    []release.AlarmTarget{{Alarm: "payments-5xx", Component: "payments"}},
	}}
	f.svc = &release.Service{Store: db, Settings: func() release.Settings { return settings }, Plan: func() status.Plan { return plan },
		Now: func() time.Time { return f.now }, Redecide: func(context.Context) { f.redecide++ }}
	return f
}

func TestGateShipsASoakedCriticalFixAndPublishesItsIssue(t *testing.T) {
	f := mustService(t)
	ctx := t.Context()
	old, err := f.db.SaveKnownIssue(ctx, status.KnownIssue{Title: "Logins fail for SSO users", Severity: status.ImpactCritical, Components: []string{"api"}, Public: true, IntroducedIn: "api 1.9"})
	if err != nil {
		t.Fatal(err)
	}
	_, err = f.svc.Record(ctx, status.Deployment{Service: "api", Version: "2.0", Environment: "staging", Components: []string{"api"}, By: "ci",
		Fixes:      []status.Issue{{Title: "Logins fail for SSO users", Severity: status.ImpactCritical}},
		Introduces: []status.Issue{{Title: "Exports are slow", Severity: status.ImpactMinor, Workaround: "export by month", Public: true}, {Title: "Debug log noisy", Severity: status.ImpactMinor}}})
	if err != nil {
		t.Fatal(err)
	}
	// A record of the same version without issues (a pipeline's) does not
	// hide the issues declared before.
	if _, err := f.svc.Record(ctx, status.Deployment{Service: "api", Version: "2.0", Environment: "qa", Components: []string{"api"}, Source: "codepipeline"}); err != nil {
		t.Fatal(err)
	}
	// Before the soak is over: hold, and nothing is published.
	f.now = t0.Add(time.Hour)
	d, err := f.svc.Gate(ctx, "api", "2.0", "production", "ci")
	if err != nil {
		t.Fatal(err)
	}
	if d.Outcome != status.Hold || !strings.Contains(d.Reason, "still soaking in staging") {
		t.Fatalf("early gate = %s: %s", d.Outcome, d.Reason)
	}
	f.now = t0.Add(25 * time.Hour)
	d, err = f.svc.Gate(ctx, "api", "2.0", "production", "ci")
	if err != nil {
		t.Fatal(err)
	}
	if d.Outcome != status.Ship || d.ID == 0 || len(d.Inputs.Soaks) != 1 || !d.Inputs.Soaks[0].Passed || d.Inputs.PolicyOutcome != status.Ship {
		t.Fatalf("gate = %+v", d)
	}
	// Twice: the issues are published once.
	if _, err := f.svc.Gate(ctx, "api", "2.0", "production", "ci"); err != nil {
		t.Fatal(err)
	}
	ks, err := f.db.KnownIssues(ctx, true)
	if err != nil {
		t.Fatal(err)
	}
	var slow, noisy, sso *status.KnownIssue
	for i := range ks {
		switch ks[i].Title {
		case "Exports are slow":
			if slow != nil {
				t.Fatal("the known issue was published twice")
			}
			slow = &ks[i]
		case "Debug log noisy":
			noisy = &ks[i]
		case "Logins fail for SSO users":
			sso = &ks[i]
		}
	}
	if slow == nil || !slow.Public || slow.IntroducedIn != "api 2.0" || slow.Workaround != "export by month" || strings.Join(slow.Components, ",") != "api" || slow.ResolvedAt != nil {
		t.Errorf("published issue = %+v", slow)
	}
	if noisy == nil || noisy.Public {
		t.Errorf("internal issue = %+v, want recorded and not public", noisy)
	}
	if sso == nil || sso.ID != old.ID || sso.ResolvedAt == nil || sso.FixedIn != "api 2.0" {
		t.Errorf("fixed issue = %+v, want closed by api 2.0", sso)
	}
	ds, err := f.db.GateDecisions(ctx, "api", "2.0", 0)
	if err != nil || len(ds) != 3 {
		t.Fatalf("stored decisions = %d, %v", len(ds), err)
	}
}

func TestGateHoldsAfterAnOutageAndAnOverrideShips(t *testing.T) {
	f := mustService(t)
	ctx := t.Context()
	if _, err := f.svc.Record(ctx, status.Deployment{Service: "api", Version: "2.1", Environment: "staging", Components: []string{"api"}}); err != nil {
		t.Fatal(err)
	}
	if _, err := f.db.RecordChange(ctx, status.Change{Component: "api", From: status.Operational, To: status.MajorOutage, At: t0.Add(2 * time.Hour), Cause: "all checks failing (api-health)"}); err != nil {
		t.Fatal(err)
	}
	f.now = t0.Add(25 * time.Hour)
	d, err := f.svc.Gate(ctx, "api", "2.1", "production", "ci")
	if err != nil {
		t.Fatal(err)
	}
	if d.Outcome != status.Hold || !strings.Contains(d.Reason, "its soak in staging failed: api was in a major outage from 2026-11-26 16:00 UTC") {
		t.Fatalf("gate = %s: %s", d.Outcome, d.Reason)
	}
	if _, err := f.svc.Override(ctx, "api", "2.1", "production", "short", "alice"); safetynet.ErrorCode(err) != safetynet.EINVALID {
		t.Errorf("an override without a real reason: err = %v", err)
	}
	o, err := f.svc.Override(ctx, "api", "2.1", "production", "The outage was the database failover drill, not this release.", "alice")
	if err != nil {
		t.Fatal(err)
	}
	if o.Outcome != status.Ship || !o.Override || o.By != "alice" || o.Inputs.PolicyOutcome != status.Hold {
		t.Fatalf("override = %+v", o)
	}
	// The pipeline asks again: the override stands, and says whose it is.
	d, err = f.svc.Gate(ctx, "api", "2.1", "production", "ci")
	if err != nil {
		t.Fatal(err)
	}
	if d.Outcome != status.Ship || !strings.Contains(d.Reason, "override by alice") || !strings.Contains(d.Reason, "failover drill") || d.Inputs.PolicyOutcome != status.Hold {
		t.Fatalf("gate after override = %s: %s", d.Outcome, d.Reason)
	}
	// The override is for production only.
	if d, _ := f.svc.Gate(ctx, "api", "2.1", "eu-production", "ci"); d.Outcome != status.Hold {
		t.Errorf("another environment = %s", d.Outcome)
	}
}

func TestGateCannotDecide(t *testing.T) {
	f := mustService(t)
	ctx := t.Context()
	if _, err := f.svc.Record(ctx, status.Deployment{Service: "api", Version: "3.0", Environment: "staging"}); err != nil {
		t.Fatal(err)
	}
	f.now = t0.Add(48 * time.Hour)
	d, err := f.svc.Gate(ctx, "api", "3.0", "production", "ci")
	if err != nil {
		t.Fatal(err)
	}
	if d.Outcome != status.Undecided || !strings.Contains(d.Reason, "names no components") {
		t.Errorf("gate = %s: %s", d.Outcome, d.Reason)
	}
	if _, err := f.svc.Record(ctx, status.Deployment{Service: "api", Version: "3.0", Environment: "staging", Components: []string{"apii"}}); safetynet.ErrorCode(err) != safetynet.EINVALID {
		t.Errorf("an unknown component: err = %v", err)
	}
}

func TestHandleAWS(t *testing.T) {
	f := mustService(t)
	ctx := t.Context()
	notified := func(notifier string) []status.Notification {
		ns, err := f.db.ClaimNotifications(ctx, "test", t0.Add(24*time.Hour), 100, time.Minute)
		if err != nil {
			t.Fatal(err)
		}
		var out []status.Notification
		for _, n := range ns {
			if n.Notifier == notifier {
				out = append(out, n)
			}
		}
		return out
	}

	h, err := f.svc.HandleAWS(ctx, mustFixture(t, "codebuild_failed.json"), "aws")
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(h.Actions, ";") != "notified platform" {
		t.Errorf("build failure = %+v", h)
	}
	again, err := f.svc.HandleAWS(ctx, mustFixture(t, "codebuild_failed.json"), "aws")
	if err != nil || !again.Duplicate {
		t.Errorf("redelivery = %+v, %v", again, err)
	}
	ns := notified("platform-hook")
	if len(ns) != 1 || ns[0].Message.Event != status.EventBuild || !strings.HasPrefix(ns[0].Message.URL, "https://eu-west-1.console.aws.amazon.com/codesuite/codebuild/") ||
		ns[0].Message.Title != "CodeBuild api-build FAILED" || ns[0].Message.Team != "platform" {
		t.Fatalf("team notifications = %+v", ns)
	}

	if _, err := f.svc.HandleAWS(ctx, mustFixture(t, "codepipeline_action_succeeded.json"), "aws"); err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.HandleAWS(ctx, mustFixture(t, "codepipeline_execution_succeeded.json"), "aws"); err != nil {
		t.Fatal(err)
	}
	deps, err := f.db.Deployments(ctx, status.DeploymentFilter{Service: "api"})
	if err != nil {
		t.Fatal(err)
	}
	if len(deps) != 2 || deps[0].Environment != "production" || deps[1].Environment != "staging" || deps[0].Version != "12345678-1234-5678-abcd-12345678abcd" || deps[0].Source != "codepipeline" {
		t.Fatalf("deployments = %+v", deps)
	}

	h, err = f.svc.HandleAWS(ctx, mustFixture(t, "cloudwatch_alarm.json"), "aws")
	if err != nil {
		t.Fatal(err)
	}
	open, _ := f.db.Alerts(ctx, status.AlertFilter{OpenOnly: true, Component: "payments"})
	if len(open) != 1 || open[0].Status != status.MajorOutage || open[0].Kind != status.AlertEvent || f.redecide != 1 || !strings.Contains(open[0].Summary, "42.0") {
		t.Fatalf("alarm: %+v, alerts %+v, redecided %d", h, open, f.redecide)
	}
	if d := status.Decide(status.Inputs{Alerts: open}); d.Status != status.MajorOutage {
		t.Errorf("the component's status with the alarm's alert = %s", d.Status)
	}
	if len(notified("payments-slack")) != 1 {
		t.Error("the payments team was not told about its alarm")
	}
	// An older ALARM delivered late changes nothing.
	late := strings.Replace(strings.Replace(string(mustFixture(t, "cloudwatch_alarm.json")), "c4c1c1c9-6542-e61b-6ef0-8c4d36933a92", "late-one", 1), "2026-11-26T14:40:00Z", "2026-11-26T14:30:00Z", 1)
	if h, err := f.svc.HandleAWS(ctx, []byte(late), "aws"); err != nil || !strings.HasPrefix(strings.Join(h.Actions, ";"), "stale:") {
		t.Errorf("late alarm = %+v, %v", h, err)
	}
	if _, err := f.svc.HandleAWS(ctx, mustFixture(t, "cloudwatch_ok.json"), "aws"); err != nil {
		t.Fatal(err)
	}
	open, _ = f.db.Alerts(ctx, status.AlertFilter{OpenOnly: true, Component: "payments"})
	if len(open) != 0 || f.redecide != 2 {
		t.Errorf("after OK: open alerts %+v, redecided %d", open, f.redecide)
	}
	evs, _ := f.db.BuildEvents(ctx, status.BuildEventFilter{})
	if len(evs) != 6 {
		t.Errorf("stored events = %d, want 6", len(evs))
	}
}
