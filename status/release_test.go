package status_test

import (
	"testing"
	"time"

	"github.com/safetynet-dev/safetynet/status"
)

func TestDeploymentMarkers(t *testing.T) {
	t0 := time.Date(2026, 11, 26, 14, 0, 0, 0, time.UTC)
	deps := []status.Deployment{
		{Service: "api", Version: "2.1", Environment: "production", Components: []string{"api"}, By: "ci", At: t0.Add(time.Minute),
			Introduces: []status.Issue{{Title: "x", Severity: status.ImpactMinor}}},
		{Service: "web", Version: "9", Environment: "production", Components: []string{"web"}, At: t0.Add(2 * time.Minute)},
		{Service: "api", Version: "2.0", Environment: "production", Components: []string{"api"}, At: t0.Add(-3 * time.Hour)},
		{Service: "batch", Version: "1", Environment: "production", At: t0},
	}
	got := status.DeploymentMarkers(deps, []string{"api"}, t0.Add(-status.DeploymentLookback), t0.Add(time.Hour))
	if len(got) != 2 {
		t.Fatalf("markers = %+v, want batch 1 and api 2.1", got)
	}
	if got[0].Text != "batch 1 deployed to production" || got[1].Kind != "deployed" || got[1].Text != "api 2.1 deployed to production by ci with 1 known issue(s)" || !got[1].At.Equal(t0.Add(time.Minute)) {
		t.Errorf("markers = %+v", got)
	}
}

func TestDeploymentValidate(t *testing.T) {
	ok := status.Deployment{Service: "api", Version: "2.1", Environment: "staging", Components: []string{"api"}, PipelineURL: "https://ci.example.com/1"}
	if err := ok.Validate(); err != nil {
		t.Fatal(err)
	}
	for name, mod := range map[string]func(*status.Deployment){
		"no version":         func(d *status.Deployment) { d.Version = " " },
		"newline in version": func(d *status.Deployment) { d.Version = "1\n2" },
		"service not a slug": func(d *status.Deployment) { d.Service = "API Service" },
		"script url":         func(d *status.Deployment) { d.PipelineURL = "javascript:alert(1)" },
		"bad component":      func(d *status.Deployment) { d.Components = []string{"A B"} },
		"issue no severity":  func(d *status.Deployment) { d.Introduces = []status.Issue{{Title: "x"}} },
		"fix no title":       func(d *status.Deployment) { d.Fixes = []status.Issue{{Severity: status.ImpactMajor}} },
	} {
		d := ok
		mod(&d)
		if err := d.Validate(); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
	if err := status.ValidateOverride("because"); err == nil {
		t.Error("a seven-letter override reason was accepted")
	}
}
