package status_test

import (
	"strings"
	"testing"

	"github.com/safetynet-dev/safetynet/status"
)

func TestDecideQuorumOfLocations(t *testing.T) {
	up, down, unknown := status.StateUp, status.StateDown, status.StateUnknown
	three := func(a, b, c status.State) []status.CheckState {
		return []status.CheckState{st("api", "eu-west", a), st("api", "us-east", b), st("api", "ap-south", c)}
	}
	tests := []struct {
		name   string
		checks []status.CheckState
		quorum int
		want   status.Status
	}{
		{"one of three down, majority", three(down, up, up), status.QuorumMajority, status.Operational},
		{"two of three down, majority", three(down, down, up), status.QuorumMajority, status.MajorOutage},
		{"two of three down, quorum 3", three(down, down, up), 3, status.Operational},
		{"one of three down, quorum 1", three(down, up, up), 1, status.MajorOutage},
		// A silent location is unknown: it neither helps nor blocks a
		// majority of those still reporting.
		{"one down, one silent, one up, majority", three(down, unknown, up), status.QuorumMajority, status.Operational},
		{"two down, one silent, majority", three(down, down, unknown), status.QuorumMajority, status.MajorOutage},
		{"one down, two silent, majority", three(down, unknown, unknown), status.QuorumMajority, status.MajorOutage},
		// A fixed quorum cannot be reached by too few reporting locations.
		{"one down, two silent, quorum 2", three(down, unknown, unknown), 2, status.Operational},
		{"all silent", three(unknown, unknown, unknown), 2, status.Operational},
	}
	for _, tt := range tests {
		in := status.Inputs{Checks: tt.checks, Quorums: map[string]int{"api": tt.quorum}}
		got := status.Decide(in)
		if got.Status != tt.want {
			t.Errorf("%s: %+v, want %s", tt.name, got, tt.want)
		}
	}
}

func TestDecideQuorumPerCheck(t *testing.T) {
	// Two checks of one component with different quorums: only the one
	// whose quorum is reached counts, so the outage is partial.
	in := status.Inputs{
		Checks: []status.CheckState{
			st("api", "eu", status.StateDown), st("api", "us", status.StateUp),
			st("web", "eu", status.StateDown), st("web", "us", status.StateUp),
		},
		Quorums: map[string]int{"api": 1, "web": 2},
	}
	got := status.Decide(in)
	if got.Status != status.PartialOutage || !strings.Contains(got.Cause, "api") || strings.Contains(got.Cause, "web") {
		t.Errorf("Decide = %+v, want a partial outage caused by api alone", got)
	}
}

func TestCheckSitesAndQuorum(t *testing.T) {
	local := &status.Check{ID: "a"}
	if !local.RunsAt(status.LocalLocation) || local.Remote() || local.RunsAt("eu") {
		t.Errorf("a check without locations runs locally only: sites %v", local.Sites())
	}
	mixed := &status.Check{ID: "b", Locations: []string{"local", "eu"}}
	if !mixed.RunsAt("eu") || !mixed.RunsAt(status.LocalLocation) || !mixed.Remote() {
		t.Errorf("mixed check: sites %v remote %v", mixed.Sites(), mixed.Remote())
	}
	for _, tt := range []struct {
		c  status.Check
		ok bool
	}{
		{status.Check{ID: "c", Locations: []string{"eu", "us"}, Quorum: 2}, true},
		{status.Check{ID: "c", Locations: []string{"eu", "us"}, Quorum: 3}, false},
		{status.Check{ID: "c", Quorum: -1}, false},
		{status.Check{ID: "c"}, true},
	} {
		if err := tt.c.ValidateQuorum(); (err == nil) != tt.ok {
			t.Errorf("ValidateQuorum(%v, quorum %d) = %v", tt.c.Locations, tt.c.Quorum, err)
		}
	}
}

func TestComponentLocations(t *testing.T) {
	checks := []status.Check{
		{ID: "edge", Component: "api", Locations: []string{"eu", "us", "ap"}},
		{ID: "login", Component: "api", Locations: []string{"eu", "us"}},
		{ID: "db", Component: "db"}, // the server alone: not counted
	}
	states := []status.CheckState{
		st("edge", "eu", status.StateUp), st("edge", "us", status.StateDown), st("edge", "ap", status.StateUnknown),
		st("login", "eu", status.StateDown), st("login", "us", status.StateDown),
		st("db", "local", status.StateDown),
	}
	got := status.ComponentLocations(checks, states)
	if want := (status.LocationCount{Down: 2, Reporting: 2, Total: 3}); got["api"] != want {
		t.Errorf("api = %+v, want %+v", got["api"], want)
	}
	if _, ok := got["db"]; ok || len(got) != 1 {
		t.Errorf("components counted: %+v, want api alone", got)
	}
}
