package storetest

import (
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/safetynet-dev/safetynet"
	"github.com/safetynet-dev/safetynet/status"
)

// RunReleases runs the contract of status.ReleaseStore against a fresh
// store from open for each subtest.
func RunReleases(t *testing.T, open func(t *testing.T) status.ReleaseStore) {
	t0 := time.Date(2026, 11, 26, 3, 0, 0, 0, time.UTC)
	dep := func(version, env string, at time.Time) status.Deployment {
		return status.Deployment{Service: "api", Version: version, Environment: env, Components: []string{"api", "web"},
			Commit: "abc123", PipelineURL: "https://example.com/p/1", Source: "api", By: "ci", At: at.In(elsewhere),
			Fixes:      []status.Issue{{Title: "Logins fail for SSO users", Severity: status.ImpactCritical, KnownIssue: 7}},
			Introduces: []status.Issue{{Title: "Exports are slow", Severity: status.ImpactMinor, Workaround: "export by month", Public: true}}}
	}

	t.Run("deployments round trip newest first with filters", func(t *testing.T) {
		t.Parallel()
		s := open(t)
		ctx := t.Context()
		a, err := s.RecordDeployment(ctx, dep("1.0.0", "staging", t0))
		must(t, err)
		if a.ID == 0 {
			t.Fatalf("recorded = %+v, want an ID", a)
		}
		_, err = s.RecordDeployment(ctx, dep("1.0.0", "production", t0.Add(time.Hour)))
		must(t, err)
		_, err = s.RecordDeployment(ctx, dep("1.1.0", "staging", t0.Add(2*time.Hour)))
		must(t, err)
		all, err := s.Deployments(ctx, status.DeploymentFilter{Service: "api"})
		must(t, err)
		if len(all) != 3 || all[0].Version != "1.1.0" || all[2].ID != a.ID {
			t.Fatalf("deployments = %+v, want 3 newest first", all)
		}
		got := all[2]
		if !got.At.Equal(t0) || got.At.Location() != time.UTC || fmt.Sprint(got.Components) != "[api web]" || got.Commit != "abc123" ||
			got.PipelineURL != "https://example.com/p/1" || got.By != "ci" || got.Source != "api" ||
			len(got.Fixes) != 1 || got.Fixes[0].Severity != status.ImpactCritical || got.Fixes[0].KnownIssue != 7 ||
			len(got.Introduces) != 1 || !got.Introduces[0].Public || got.Introduces[0].Workaround != "export by month" {
			t.Fatalf("round trip = %+v", got)
		}
		staging, err := s.Deployments(ctx, status.DeploymentFilter{Service: "api", Environment: "staging", Version: "1.0.0"})
		must(t, err)
		if len(staging) != 1 || staging[0].ID != a.ID {
			t.Fatalf("filtered = %+v", staging)
		}
		one, err := s.Deployments(ctx, status.DeploymentFilter{Limit: 1})
		must(t, err)
		if len(one) != 1 || one[0].Version != "1.1.0" {
			t.Fatalf("limit 1 = %+v", one)
		}
		none, err := s.Deployments(ctx, status.DeploymentFilter{Service: "web"})
		must(t, err)
		if len(none) != 0 {
			t.Fatalf("other service = %+v", none)
		}
	})

	t.Run("an invalid deployment is refused", func(t *testing.T) {
		t.Parallel()
		s := open(t)
		d := dep("1.0.0", "staging", t0)
		d.Introduces[0].Severity = "apocalyptic"
		if _, err := s.RecordDeployment(t.Context(), d); safetynet.ErrorCode(err) != safetynet.EINVALID {
			t.Fatalf("err = %v, want invalid", err)
		}
	})

	t.Run("gate decisions keep their inputs", func(t *testing.T) {
		t.Parallel()
		s := open(t)
		ctx := t.Context()
		in := status.GateInputs{Policy: "default", PolicyOutcome: status.Hold,
			Soaks:      []status.SoakResult{{Environment: "staging", Deployment: 3, Start: t0, End: t0.Add(24 * time.Hour), Required: status.Duration(24 * time.Hour), Done: true, Problems: []string{"api major outage"}}},
			Introduces: []status.Issue{{Title: "Exports are slow", Severity: status.ImpactMinor}}}
		held, err := s.SaveGateDecision(ctx, status.GateDecision{Service: "api", Version: "1.0.0", To: "production", Outcome: status.Hold, Reason: "soak failed", By: "ci", At: t0.In(elsewhere), Inputs: in})
		must(t, err)
		_, err = s.SaveGateDecision(ctx, status.GateDecision{Service: "api", Version: "1.0.0", To: "production", Outcome: status.Ship, Override: true, Reason: "the fix matters more", By: "alice", At: t0.Add(time.Minute), Inputs: in})
		must(t, err)
		_, err = s.SaveGateDecision(ctx, status.GateDecision{Service: "api", Version: "0.9.0", To: "production", Outcome: status.Ship, Reason: "soaked", By: "ci", At: t0.Add(-time.Hour)})
		must(t, err)
		ds, err := s.GateDecisions(ctx, "api", "1.0.0", 0)
		must(t, err)
		if len(ds) != 2 || !ds[0].Override || ds[0].By != "alice" || ds[1].ID != held.ID {
			t.Fatalf("decisions = %+v", ds)
		}
		h := ds[1]
		if h.Outcome != status.Hold || !h.At.Equal(t0) || h.At.Location() != time.UTC || h.Inputs.PolicyOutcome != status.Hold ||
			len(h.Inputs.Soaks) != 1 || h.Inputs.Soaks[0].Required != status.Duration(24*time.Hour) || !h.Inputs.Soaks[0].End.Equal(t0.Add(24*time.Hour)) ||
			fmt.Sprint(h.Inputs.Soaks[0].Problems) != "[api major outage]" || len(h.Inputs.Introduces) != 1 {
			t.Fatalf("held = %+v", h)
		}
		every, err := s.GateDecisions(ctx, "api", "", 0)
		must(t, err)
		if len(every) != 3 {
			t.Fatalf("all versions = %d decisions, want 3", len(every))
		}
	})

	t.Run("build events are stored once per event ID", func(t *testing.T) {
		t.Parallel()
		s := open(t)
		ctx := t.Context()
		e := status.BuildEvent{EventID: "c030038d", Kind: "codebuild", Name: "api-build", Execution: "api-build:1", State: "FAILED",
			Service: "api", Component: "api", URL: "https://console.aws.amazon.com/x", Summary: "build failed", At: t0.In(elsewhere)}
		var wg sync.WaitGroup
		added := make(chan bool, 4)
		for range 4 {
			wg.Go(func() {
				_, ok, err := s.SaveBuildEvent(ctx, e)
				if err != nil {
					t.Error(err)
				}
				added <- ok
			})
		}
		wg.Wait()
		close(added)
		n := 0
		for ok := range added {
			if ok {
				n++
			}
		}
		if n != 1 {
			t.Fatalf("%d deliveries were new, want 1", n)
		}
		again, ok, err := s.SaveBuildEvent(ctx, e)
		must(t, err)
		if ok || again.ID == 0 || again.State != "FAILED" || !again.At.Equal(t0) {
			t.Fatalf("redelivery = %+v, %v", again, ok)
		}
		_, _, err = s.SaveBuildEvent(ctx, status.BuildEvent{EventID: "other", Kind: "cloudwatch-alarm", Name: "web-5xx", State: "ALARM", Service: "web", At: t0.Add(time.Minute)})
		must(t, err)
		api, err := s.BuildEvents(ctx, status.BuildEventFilter{Service: "api"})
		must(t, err)
		if len(api) != 1 || api[0].URL != "https://console.aws.amazon.com/x" || api[0].Execution != "api-build:1" {
			t.Fatalf("api events = %+v", api)
		}
		all, err := s.BuildEvents(ctx, status.BuildEventFilter{})
		must(t, err)
		if len(all) != 2 || all[0].Kind != "cloudwatch-alarm" {
			t.Fatalf("all events = %+v", all)
		}
		if _, _, err := s.SaveBuildEvent(ctx, status.BuildEvent{Kind: "codebuild"}); safetynet.ErrorCode(err) != safetynet.EINVALID {
			t.Fatalf("empty event: err = %v, want invalid", err)
		}
	})

	t.Run("known issues name the release that introduced them", func(t *testing.T) {
		t.Parallel()
		s, ok := open(t).(status.IncidentStore)
		if !ok {
			t.Skip("the store keeps no known issues")
		}
		ctx := t.Context()
		k, err := s.SaveKnownIssue(ctx, status.KnownIssue{Title: "Exports are slow", Severity: status.ImpactMinor, Public: true, IntroducedIn: "api 1.0.0"})
		must(t, err)
		k.FixedIn = "api 1.0.1"
		_, err = s.SaveKnownIssue(ctx, k)
		must(t, err)
		all, err := s.KnownIssues(ctx, true)
		must(t, err)
		if len(all) != 1 || all[0].IntroducedIn != "api 1.0.0" || all[0].FixedIn != "api 1.0.1" {
			t.Fatalf("known issues = %+v", all)
		}
	})
}
