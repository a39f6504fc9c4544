package status

import (
	"math"
	"sort"
	"strings"
	"time"
)

// Sample is one value of a metric: pushed through the API, or extracted from
// a check's response.
type Sample struct {
	Name  string            `json:"name"`
	Value float64           `json:"value"`
	At    time.Time         `json:"time"`
	Tags  map[string]string `json:"tags,omitempty"` // component, customer, instance, ...
}

// Validate checks a sample before it is stored.
func (s *Sample) Validate() error {
	if s.Name == "" || len(s.Name) > 200 || strings.ContainsAny(s.Name, " \t\n{}") {
		return invalidf("metric name %q must be 1-200 characters without spaces or braces", s.Name)
	}
	if math.IsNaN(s.Value) || math.IsInf(s.Value, 0) {
		return invalidf("metric %s: value must be a finite number", s.Name)
	}
	if s.At.IsZero() {
		return invalidf("metric %s: time is missing", s.Name)
	}
	if len(s.Tags) > 20 {
		return invalidf("metric %s: at most 20 tags", s.Name)
	}
	return nil
}

// SeriesKey identifies a series: the name and its sorted tags, so the same
// series always has the same key.
func (s *Sample) SeriesKey() string {
	if len(s.Tags) == 0 {
		return s.Name
	}
	keys := make([]string, 0, len(s.Tags))
	for k := range s.Tags {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var b strings.Builder
	b.WriteString(s.Name)
	b.WriteByte('{')
	for i, k := range keys {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(k)
		b.WriteByte('=')
		b.WriteString(s.Tags[k])
	}
	b.WriteByte('}')
	return b.String()
}

// AlertKind says what raised an alert.
type AlertKind string

// The alert kinds.
const (
	AlertCheck     AlertKind = "check"     // a check went down or came back
	AlertThreshold AlertKind = "threshold" // a metric crossed a fixed limit
	AlertAnomaly   AlertKind = "anomaly"   // a metric left its own baseline
	AlertOutlier   AlertKind = "outlier"   // one member of a peer group left the others
	AlertEvent     AlertKind = "event"     // an external event (build failed, alarm)
)

// Alert is an open or closed problem that a team is told about.
type Alert struct {
	ID        int64     `json:"id"`
	Kind      AlertKind `json:"kind"`
	Component string    `json:"component,omitempty"`
	Customer  string    `json:"customer,omitempty"`
	// Subject names what is wrong: a check ID, a metric series, a peer
	// group member.
	Subject string `json:"subject"`
	// Summary is one sentence for a person: "users fell to 5% of their
	// usual level (baseline 1,000, now 50)".
	Summary string `json:"summary"`
	// Status is the component status the alert implies; empty means
	// degraded.
	Status   Status     `json:"status,omitempty"`
	Started  time.Time  `json:"started"`
	Resolved *time.Time `json:"resolved,omitempty"`
	// Silenced is set for an alert raised during maintenance that the
	// maintenance silences (probe failures; never metric anomalies).
	Silenced bool `json:"silenced"`
	// AckedAt and AckedBy record who acknowledged it.
	AckedAt *time.Time `json:"acked_at,omitempty"`
	AckedBy string     `json:"acked_by,omitempty"`
}

// Open reports whether the alert has not been resolved.
func (a *Alert) Open() bool { return a.Resolved == nil }
