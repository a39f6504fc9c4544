package status_test

import (
	"testing"
	"time"

	"github.com/safetynet-dev/safetynet/status"
)

func st(id, loc string, s status.State) status.CheckState {
	return status.CheckState{CheckID: id, Location: loc, State: s}
}

func TestDecide(t *testing.T) {
	up, down, slow := status.StateUp, status.StateDown, status.StateDegraded
	tests := []struct {
		name string
		in   status.Inputs
		want status.Status
	}{
		{"no checks", status.Inputs{}, status.Operational},
		{"all up", status.Inputs{Checks: []status.CheckState{st("a", "local", up), st("b", "local", up)}}, status.Operational},
		{"unknown checks are ignored", status.Inputs{Checks: []status.CheckState{st("a", "local", status.StateUnknown), st("b", "local", up)}}, status.Operational},
		{"some down is partial", status.Inputs{Checks: []status.CheckState{st("a", "local", down), st("b", "local", up)}}, status.PartialOutage},
		{"all down is major", status.Inputs{Checks: []status.CheckState{st("a", "local", down), st("b", "local", down)}}, status.MajorOutage},
		{"slow is degraded", status.Inputs{Checks: []status.CheckState{st("a", "local", slow), st("b", "local", up)}}, status.Degraded},
		{"one location of three down is not down", status.Inputs{Checks: []status.CheckState{st("a", "eu", down), st("a", "us", up), st("a", "ap", up)}}, status.Operational},
		{"quorum of locations down", status.Inputs{Checks: []status.CheckState{st("a", "eu", down), st("a", "us", down), st("a", "ap", up)}}, status.MajorOutage},
		{"metric alert degrades", status.Inputs{Checks: []status.CheckState{st("a", "local", up)}, Alerts: []status.Alert{{Kind: status.AlertAnomaly, Summary: "users fell"}}}, status.Degraded},
		{"alert with status", status.Inputs{Alerts: []status.Alert{{Kind: status.AlertAnomaly, Status: status.PartialOutage}}}, status.PartialOutage},
		{"maintenance with nothing wrong", status.Inputs{Maintenance: true, Checks: []status.CheckState{st("a", "local", up)}}, status.UnderMaintenance},
		{"maintenance that breaks things still shows", status.Inputs{Maintenance: true, Checks: []status.CheckState{st("a", "local", down)}}, status.MajorOutage},
		{"alarm", status.Inputs{Alarm: status.MajorOutage}, status.MajorOutage},
		{"override wins", status.Inputs{Override: status.Operational, Checks: []status.CheckState{st("a", "local", down)}}, status.Operational},
	}
	for _, tt := range tests {
		if got := status.Decide(tt.in); got.Status != tt.want || got.Cause == "" {
			t.Errorf("%s: %+v, want %s", tt.name, got, tt.want)
		}
	}
}

func TestApplyDebounces(t *testing.T) {
	c := &status.Check{ID: "api", FailuresToDown: 3, SuccessesToUp: 2, DegradedAfter: 500 * time.Millisecond}
	t0 := time.Date(2026, 11, 26, 21, 0, 0, 0, time.UTC)
	var s status.CheckState
	var got []string
	steps := []struct {
		ok      bool
		latency time.Duration
	}{{true, 10e6}, {false, 0}, {false, 0}, {false, 0}, {true, 10e6}, {true, 10e6}, {true, 900e6}, {true, 10e6}}
	for i, step := range steps {
		var tr *status.Transition
		s, tr = status.Apply(c, s, status.Result{CheckID: "api", Location: "local", At: t0.Add(time.Duration(i) * time.Minute), OK: step.ok, Latency: step.latency})
		if tr != nil {
			got = append(got, string(tr.From)+">"+string(tr.To))
		}
	}
	want := "unknown>up up>down down>up up>degraded degraded>up"
	if g := join(got); g != want {
		t.Errorf("transitions = %s, want %s", g, want)
	}
	if !s.Since.Equal(t0.Add(7 * time.Minute)) {
		t.Errorf("since = %v", s.Since)
	}
}

func join(ss []string) string {
	out := ""
	for i, s := range ss {
		if i > 0 {
			out += " "
		}
		out += s
	}
	return out
}

func TestHistogramMergesExactly(t *testing.T) {
	var a, b, all status.Histogram
	for i := 1; i <= 1000; i++ {
		d := time.Duration(i) * time.Millisecond
		if i%2 == 0 {
			a.Add(d)
		} else {
			b.Add(d)
		}
		all.Add(d)
	}
	a.Merge(&b)
	if a != all {
		t.Fatal("merged histogram differs from the histogram of all values")
	}
	p99 := all.Quantile(0.99)
	if p99 < 990*time.Millisecond || p99 > 990*time.Millisecond*5/4 {
		t.Errorf("p99 = %v, want within 25%% above 990ms", p99)
	}
	var empty status.Histogram
	if empty.Quantile(0.5) != 0 {
		t.Error("empty histogram has a quantile")
	}
}

func TestValidation(t *testing.T) {
	good := status.Check{ID: "web/health", Component: "web", Kind: status.KindHTTP, Interval: time.Minute, Timeout: 10 * time.Second, FailuresToDown: 1, SuccessesToUp: 1}
	if err := good.Validate(); err != nil {
		t.Fatal(err)
	}
	bad := good
	bad.Timeout = 2 * time.Minute
	if err := bad.Validate(); err == nil {
		t.Error("timeout longer than interval accepted")
	}
	s := status.Sample{Name: "users", Value: 1, At: time.Now(), Tags: map[string]string{"b": "2", "a": "1"}}
	if err := s.Validate(); err != nil || s.SeriesKey() != "users{a=1,b=2}" {
		t.Errorf("sample: %v %s", err, s.SeriesKey())
	}
}

func TestSlugAndGroupID(t *testing.T) {
	for in, want := range map[string]string{"Acme status": "acme-status", "  Data & APIs!": "data-apis", "EU-West 2": "eu-west-2", "": ""} {
		if got := status.Slug(in); got != want {
			t.Errorf("Slug(%q) = %q, want %q", in, got, want)
		}
	}
	if got := status.GroupID("Data & APIs"); got != "group-data-apis" {
		t.Errorf("GroupID = %q", got)
	}
}
