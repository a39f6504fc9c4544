package config_test

import (
	"reflect"
	"testing"
	"time"

	"github.com/safetynet-dev/safetynet/status"
)

func TestIncidentsDefault(t *testing.T) {
	c := MustParse(t, "server:\n  listen: 127.0.0.1:8080\n", env(nil, nil))
	if c.Incidents != status.DefaultIncidentPolicy {
		t.Errorf("Incidents = %+v, want the default %+v", c.Incidents, status.DefaultIncidentPolicy)
	}
	want := status.IncidentPolicy{MinDuration: 3 * time.Minute, QuietPeriod: 10 * time.Minute, ExplainAfter: 10 * time.Minute}
	if c.Incidents != want {
		t.Errorf("Incidents = %+v, want %+v", c.Incidents, want)
	}
}

func TestIncidentsSection(t *testing.T) {
	src := `
incidents:
  min_duration: 5m
  quiet_period: 0s
  wait_for_human: true
  explain_after: 0s
`
	c := MustParse(t, src, env(nil, nil))
	want := status.IncidentPolicy{MinDuration: 5 * time.Minute, WaitForHuman: true}
	if c.Incidents != want {
		t.Errorf("Incidents = %+v, want %+v", c.Incidents, want)
	}
	// Only the keys given change; the rest keep their defaults.
	c = MustParse(t, "incidents:\n  quiet_period: 30m\n", env(nil, nil))
	want = status.DefaultIncidentPolicy
	want.QuietPeriod = 30 * time.Minute
	if c.Incidents != want {
		t.Errorf("Incidents = %+v, want %+v", c.Incidents, want)
	}
}

func TestIncidentsSumChanges(t *testing.T) {
	a := MustParse(t, "incidents:\n  min_duration: 3m\n", env(nil, nil))
	b := MustParse(t, "incidents:\n  min_duration: 4m\n", env(nil, nil))
	if a.Sum == b.Sum {
		t.Error("changing incidents.min_duration left Sum unchanged, so a reload would miss it")
	}
}

func TestIncidentsErrors(t *testing.T) {
	for _, tc := range []struct {
		name, src string
		want      []string
	}{
		{"negative", "incidents:\n  min_duration: -1m\n",
			[]string{`2:17: incidents.min_duration: duration "-1m" must not be negative`}},
		{"too long", "incidents:\n  quiet_period: 48h\n",
			[]string{"2:17: incidents.quiet_period: at most 24h0m0s, not 48h0m0s"}},
		{"explain too soon", "incidents:\n  explain_after: 10s\n",
			[]string{"2:18: incidents.explain_after: at least 1m (or 0 to turn the escalation off), not 10s"}},
		{"typo", "incidents:\n  min_durration: 3m\n", []string{`2:3: unknown key "min_durration" in incidents (did you mean "min_duration"?)`}},
		{"not a bool", "incidents:\n  wait_for_human: maybe\n", []string{`2:19: incidents.wait_for_human: want true or false, got "maybe"`}},
		{"not a mapping", "incidents: 3m\n", []string{`1:12: incidents: want a mapping (key: value lines), got "3m"`}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := parseErrors(t, tc.src, env(nil, nil))
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("errors:\n got %q\nwant %q", got, tc.want)
			}
		})
	}
}
