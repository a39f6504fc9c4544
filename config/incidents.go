package config

import (
	"reflect"
	"time"

	yaml "go.yaml.in/yaml/v3"

	"github.com/safetynet-dev/safetynet/status"
)

// fileIncidents is the incidents: section, the policy of automatic
// incidents (status.IncidentPolicy). Every key is optional:
//
//	incidents:
//	  min_duration: 3m      # post publicly and tell subscribers after this long
//	  quiet_period: 10m     # resolve this long after recovery
//	  wait_for_human: false # true: a person resolves recovered incidents
//	  explain_after: 10m    # escalate a red component with no human update; 0 turns it off
type fileIncidents struct {
	MinDuration  time.Duration `yaml:"min_duration"`
	QuietPeriod  time.Duration `yaml:"quiet_period"`
	WaitForHuman bool          `yaml:"wait_for_human"`
	ExplainAfter time.Duration `yaml:"explain_after"`
}

// maxIncidentDelay bounds the policy's waits: a longer one is a typo (an
// "h" for an "m"), and would keep an outage off the page for a day.
const maxIncidentDelay = 24 * time.Hour

// incidents reads the incidents: section into Config.Incidents, starting
// from status.DefaultIncidentPolicy.
func (b *builder) incidents(n *yaml.Node) {
	d := status.DefaultIncidentPolicy
	f := fileIncidents{MinDuration: d.MinDuration, QuietPeriod: d.QuietPeriod, WaitForHuman: d.WaitForHuman, ExplainAfter: d.ExplainAfter}
	b.d.decode(n, reflect.ValueOf(&f).Elem(), "incidents")
	for _, k := range []struct {
		key string
		v   time.Duration
	}{{"min_duration", f.MinDuration}, {"quiet_period", f.QuietPeriod}, {"explain_after", f.ExplainAfter}} {
		// The decoder has already refused negative durations.
		if k.v > maxIncidentDelay {
			b.errorf(at(n, k.key), "incidents.%s: at most %s, not %s", k.key, maxIncidentDelay, k.v)
		}
	}
	if f.ExplainAfter > 0 && f.ExplainAfter < time.Minute {
		b.errorf(at(n, "explain_after"), "incidents.explain_after: at least 1m (or 0 to turn the escalation off), not %s", f.ExplainAfter)
	}
	b.cfg.Incidents = status.IncidentPolicy(f)
}
