package release_test

import (
	"strings"
	"testing"
	"time"

	"github.com/safetynet-dev/safetynet/release"
	"github.com/safetynet-dev/safetynet/status"
)

var t0 = time.Date(2026, 11, 26, 14, 0, 0, 0, time.UTC)

func soaked(env string) status.SoakResult {
	return status.SoakResult{Environment: env, Deployment: 1, Start: t0, End: t0.Add(24 * time.Hour), Required: status.Duration(24 * time.Hour), Done: true, Passed: true}
}

func issue(sev status.Impact, title string) status.Issue {
	return status.Issue{Title: title, Severity: sev, Public: true}
}

func TestDecide(t *testing.T) {
	p := release.DefaultPolicy()
	strict := release.DefaultPolicy()
	strict.KnownIssues = release.NoKnownIssues
	lenient := release.DefaultPolicy()
	lenient.KnownIssues = release.AnyKnownIssues
	tests := []struct {
		name   string
		policy release.Policy
		facts  release.Facts
		want   status.Outcome
		reason []string // substrings the paragraph must hold
	}{
		{"soaked, no known issue", p, release.Facts{Soaks: []status.SoakResult{soaked("staging")}}, status.Ship,
			[]string{"Ship api 2.0 to production", "soaked 24h0m0s in staging", "brings no known issue"}},
		{"critical fix outranks a minor issue", p, release.Facts{Soaks: []status.SoakResult{soaked("staging")},
			Fixes: []status.Issue{issue(status.ImpactCritical, "Logins fail")}, Introduces: []status.Issue{issue(status.ImpactMinor, "Exports slow")}}, status.Ship,
			[]string{"outranked by the critical issue it fixes", `"Exports slow"`}},
		{"minor fix does not outrank a major issue", p, release.Facts{Soaks: []status.SoakResult{soaked("staging")},
			Fixes: []status.Issue{issue(status.ImpactMinor, "Typo")}, Introduces: []status.Issue{issue(status.ImpactMajor, "Exports fail")}}, status.Hold,
			[]string{"Hold api 2.0", `does not outrank the major issue "Exports fail"`}},
		{"equal severities wait", p, release.Facts{Soaks: []status.SoakResult{soaked("staging")},
			Fixes: []status.Issue{issue(status.ImpactMajor, "A")}, Introduces: []status.Issue{issue(status.ImpactMajor, "B")}}, status.Hold, []string{"does not outrank"}},
		{"an issue with no fix waits", p, release.Facts{Soaks: []status.SoakResult{soaked("staging")},
			Introduces: []status.Issue{issue(status.ImpactMinor, "B")}}, status.Hold, []string{"fixes nothing that outranks it"}},
		{"the most severe of several issues counts", p, release.Facts{Soaks: []status.SoakResult{soaked("staging")},
			Fixes: []status.Issue{issue(status.ImpactMajor, "A")}, Introduces: []status.Issue{issue(status.ImpactMinor, "B"), issue(status.ImpactMajor, "C")}}, status.Hold, []string{`major issue "C"`}},
		{"strict policy holds any known issue", strict, release.Facts{Soaks: []status.SoakResult{soaked("staging")},
			Fixes: []status.Issue{issue(status.ImpactCritical, "A")}, Introduces: []status.Issue{issue(status.ImpactMinor, "B")}}, status.Hold, []string{"ships no release with a known issue"}},
		{"lenient policy ships a soaked release with issues", lenient, release.Facts{Soaks: []status.SoakResult{soaked("staging")},
			Introduces: []status.Issue{issue(status.ImpactMajor, "B")}}, status.Ship, []string{"which the policy accepts"}},
		{"never deployed to staging waits", p, release.Facts{Soaks: []status.SoakResult{{Environment: "staging", Required: status.Duration(24 * time.Hour)}}}, status.Hold,
			[]string{"never deployed to staging", "unsoaked release waits"}},
		{"still soaking waits", p, release.Facts{Soaks: []status.SoakResult{{Environment: "staging", Deployment: 1, Start: t0, End: t0.Add(24 * time.Hour), Required: status.Duration(24 * time.Hour)}}}, status.Hold,
			[]string{"still soaking in staging until 2026-11-27 14:00 UTC"}},
		{"a failed soak waits even with a critical fix", p, release.Facts{Soaks: []status.SoakResult{{Environment: "staging", Deployment: 1, Done: true, Problems: []string{"api was in a major outage from 2026-11-26 15:00 UTC"}}},
			Fixes: []status.Issue{issue(status.ImpactCritical, "A")}}, status.Hold, []string{"its soak in staging failed: api was in a major outage"}},
		{"unknown facts cannot be decided", p, release.Facts{Unknown: "its deployment to staging names no components"}, status.Undecided,
			[]string{"cannot decide", "names no components"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tc.facts.Service, tc.facts.Version, tc.facts.Target = "api", "2.0", "production"
			got, reason := tc.policy.Decide(tc.facts)
			if got != tc.want {
				t.Errorf("outcome = %s, want %s (%s)", got, tc.want, reason)
			}
			for _, s := range tc.reason {
				if !strings.Contains(reason, s) {
					t.Errorf("reason lacks %q:\n%s", s, reason)
				}
			}
			if strings.Contains(reason, "\n") {
				t.Errorf("reason is not one paragraph: %q", reason)
			}
		})
	}
}

func TestPolicyValidateAndEnvironments(t *testing.T) {
	p := release.DefaultPolicy()
	if err := p.Validate(); err != nil {
		t.Fatal(err)
	}
	if got := p.SoakEnvironments("production"); strings.Join(got, ",") != "staging" {
		t.Errorf("production needs %v, want staging", got)
	}
	p.Soak["canary"] = time.Hour
	if got := p.SoakEnvironments("eu-production"); strings.Join(got, ",") != "canary,staging" {
		t.Errorf("an unlisted target needs %v, want every soak environment", got)
	}
	if got := p.SoakEnvironments("staging"); strings.Join(got, ",") != "canary" {
		t.Errorf("staging needs %v, want canary (never itself)", got)
	}
	bad := release.DefaultPolicy()
	bad.Requires["production"] = []string{"qa"}
	if err := bad.Validate(); err == nil || !strings.Contains(err.Error(), "qa") {
		t.Errorf("a required environment without soak time: err = %v", err)
	}
	bad = release.DefaultPolicy()
	bad.KnownIssues = "sometimes"
	if err := bad.Validate(); err == nil {
		t.Error("an unknown known-issue rule was accepted")
	}
	if d := release.DefaultPolicy(); !strings.Contains(d.Describe("production"), "24h0m0s in staging") {
		t.Errorf("describe = %q", d.Describe("production"))
	}
}

func TestEvaluateSoak(t *testing.T) {
	dep := status.Deployment{ID: 4, Service: "api", Version: "2.0", Environment: "staging", Components: []string{"api"}, At: t0}
	day := 24 * time.Hour
	change := func(at time.Time, to status.Status) status.Change {
		return status.Change{Component: "api", To: to, At: at, Cause: "all checks failing (api-health)"}
	}
	resolved := t0.Add(-time.Minute)
	tests := []struct {
		name     string
		obs      release.Observations
		now      time.Time
		done     bool
		passed   bool
		problems int
		want     string
	}{
		{"quiet and over", release.Observations{}, t0.Add(day), true, true, 0, ""},
		{"quiet but not over", release.Observations{}, t0.Add(time.Hour), false, false, 0, ""},
		{"an outage during the soak fails it at once", release.Observations{Changes: map[string][]status.Change{"api": {change(t0.Add(2*time.Hour), status.MajorOutage), change(t0.Add(3*time.Hour), status.Operational)}}},
			t0.Add(5 * time.Hour), false, false, 1, "api was in a major outage from 2026-11-26 16:00 UTC (all checks failing (api-health))"},
		{"red since before the deployment counts", release.Observations{Changes: map[string][]status.Change{"api": {change(t0.Add(-time.Hour), status.PartialOutage)}}},
			t0.Add(day), true, false, 1, "api was in a partial outage from 2026-11-26 14:00 UTC (all checks failing (api-health))"},
		{"an outage over before the deployment does not", release.Observations{Changes: map[string][]status.Change{"api": {change(t0.Add(-2*time.Hour), status.MajorOutage), change(t0.Add(-time.Hour), status.Operational)}}},
			t0.Add(day), true, true, 0, ""},
		{"an outage after the soak does not", release.Observations{Changes: map[string][]status.Change{"api": {change(t0.Add(day+time.Hour), status.MajorOutage)}}},
			t0.Add(2 * day), true, true, 0, ""},
		{"maintenance does not", release.Observations{Changes: map[string][]status.Change{"api": {change(t0.Add(time.Hour), status.UnderMaintenance)}}},
			t0.Add(day), true, true, 0, ""},
		{"an anomaly alert during the soak fails it", release.Observations{Alerts: []status.Alert{{Kind: status.AlertAnomaly, Component: "api", Subject: "signins", Summary: "sign-ins fell to 5%", Started: t0.Add(time.Hour)}}},
			t0.Add(day), true, false, 1, "anomaly alert on api from 2026-11-26 15:00 UTC: sign-ins fell to 5%"},
		{"an alert resolved before the soak does not", release.Observations{Alerts: []status.Alert{{Kind: status.AlertOutlier, Component: "api", Started: t0.Add(-time.Hour), Resolved: &resolved}}},
			t0.Add(day), true, true, 0, ""},
		{"an alert on another component does not", release.Observations{Alerts: []status.Alert{{Kind: status.AlertThreshold, Component: "web", Started: t0.Add(time.Hour)}}},
			t0.Add(day), true, true, 0, ""},
		{"a later version replacing it during the soak fails it", release.Observations{Next: &status.Deployment{Service: "api", Version: "2.1", Environment: "staging", At: t0.Add(time.Hour)}},
			t0.Add(day), true, false, 1, "api 2.1 replaced it in staging at 2026-11-26 15:00 UTC, before its soak ended"},
		{"a later version after the soak does not", release.Observations{Next: &status.Deployment{Service: "api", Version: "2.1", Environment: "staging", At: t0.Add(day + time.Hour)}},
			t0.Add(2 * day), true, true, 0, ""},
		{"a silenced alert does not", release.Observations{Alerts: []status.Alert{{Kind: status.AlertCheck, Component: "api", Started: t0.Add(time.Hour), Silenced: true}}},
			t0.Add(day), true, true, 0, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := release.EvaluateSoak(dep, day, tc.obs, tc.now)
			if r.Done != tc.done || r.Passed != tc.passed || len(r.Problems) != tc.problems {
				t.Fatalf("soak = %+v, want done %v passed %v with %d problems", r, tc.done, tc.passed, tc.problems)
			}
			if tc.want != "" && r.Problems[0] != tc.want {
				t.Errorf("problem = %q\nwant      %q", r.Problems[0], tc.want)
			}
			if r.Deployment != 4 || !r.End.Equal(t0.Add(day)) {
				t.Errorf("soak = %+v", r)
			}
		})
	}
}
