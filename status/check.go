package status

import (
	"encoding/json"
	"time"
)

// Kind is a type of check.
type Kind string

// The check kinds.
const (
	KindHTTP      Kind = "http"
	KindTCP       Kind = "tcp"
	KindUDP       Kind = "udp"
	KindSTUN      Kind = "stun"
	KindDNS       Kind = "dns"
	KindTLS       Kind = "tls"
	KindHeartbeat Kind = "heartbeat"
)

// Check is one configured probe of a component.
type Check struct {
	ID        string `json:"id"` // stable slug, unique across the config
	Name      string `json:"name"`
	Component string `json:"component"`
	Kind      Kind   `json:"kind"`
	// Target is what the probe reaches: a URL, host:port, or DNS name.
	Target   string        `json:"target"`
	Interval time.Duration `json:"interval"`
	Timeout  time.Duration `json:"timeout"`
	// Retries is how many immediate retries a failed attempt gets before it
	// counts as a failure.
	Retries int `json:"retries"`
	// FailuresToDown and SuccessesToUp debounce flapping.
	FailuresToDown int `json:"failures_to_down"`
	SuccessesToUp  int `json:"successes_to_up"`
	// DegradedAfter marks a successful result slower than this as degraded;
	// zero disables it.
	DegradedAfter time.Duration `json:"degraded_after"`
	// Customer tags the check with the tenant it stands for, if any.
	Customer string `json:"customer,omitempty"`
	// Peers names the outlier group: checks of one group (the same route on
	// each instance or region) are compared with each other.
	Peers string `json:"peers,omitempty"`
	// Locations are where the check runs; empty means "local".
	Locations []string `json:"locations,omitempty"`
	// Quorum is how many reporting locations must see the check down for
	// it to count as down (QuorumMajority, 0, means more than half).
	Quorum int `json:"quorum,omitempty"`
	// Spec holds the kind-specific settings (method, headers, conditions,
	// record type, ...) as the probe package defines them.
	Spec json.RawMessage `json:"spec,omitempty"`
	// Hash identifies this version of the check's settings, so a reload
	// restarts only checks that changed.
	Hash string `json:"hash"`
}

// Validate checks the fields the scheduler relies on.
func (c *Check) Validate() error {
	if c.ID == "" || !isSlug(c.ID) {
		return invalidf("check id %q must be lower-case letters, digits, '-', '_' and '/'", c.ID)
	}
	if c.Component == "" {
		return invalidf("check %s belongs to no component", c.ID)
	}
	if c.Interval < time.Second {
		return invalidf("check %s: interval %s is shorter than 1s", c.ID, c.Interval)
	}
	if c.Kind != KindHeartbeat && (c.Timeout <= 0 || c.Timeout > c.Interval) {
		return invalidf("check %s: timeout %s must be positive and at most the interval %s", c.ID, c.Timeout, c.Interval)
	}
	if c.FailuresToDown < 1 || c.SuccessesToUp < 1 {
		return invalidf("check %s: failures_to_down and successes_to_up must be at least 1", c.ID)
	}
	return c.ValidateQuorum()
}

// LocalLocation is where checks run when no agent location is configured.
const LocalLocation = "local"

// Result is the outcome of one run of a check at one location.
type Result struct {
	CheckID  string        `json:"check"`
	Location string        `json:"location"`
	At       time.Time     `json:"at"` // when the run started
	Latency  time.Duration `json:"latency"`
	OK       bool          `json:"ok"`
	// Error says what failed, in words for a person ("status 503, want 200").
	Error string `json:"error,omitempty"`
	// Warning marks a passing result that needs attention soon (a
	// certificate close to expiry): the check counts as degraded.
	Warning string `json:"warning,omitempty"`
	// Conditions are the evaluated conditions of an HTTP check.
	Conditions []ConditionResult `json:"conditions,omitempty"`
	// Values are numbers extracted from the response (JSON paths), recorded
	// as metrics too.
	Values map[string]float64 `json:"values,omitempty"`
}

// ConditionResult is one evaluated condition, as written in the config.
type ConditionResult struct {
	Expr   string `json:"expr"`
	OK     bool   `json:"ok"`
	Detail string `json:"detail,omitempty"` // the actual value, for messages
}

// State is a check's debounced state.
type State string

// The check states.
const (
	StateUnknown  State = "unknown" // no result yet
	StateUp       State = "up"
	StateDegraded State = "degraded" // up, but slower than DegradedAfter
	StateDown     State = "down"
)

// CheckState is the debounced state of one check at one location.
type CheckState struct {
	CheckID   string    `json:"check"`
	Location  string    `json:"location"`
	State     State     `json:"state"`
	Since     time.Time `json:"since"` // when State began
	Failures  int       `json:"failures"`
	Successes int       `json:"successes"`
	// LastResult is the latest result seen, for the dashboard.
	LastResult *Result `json:"last_result,omitempty"`
}

// Transition is a change of a check's state, which alerts are made of.
type Transition struct {
	CheckID  string
	Location string
	From, To State
	At       time.Time
	Result   Result
}

// Apply folds a result into a check's state, debouncing by the check's
// thresholds: FailuresToDown consecutive failures take an up check down,
// SuccessesToUp consecutive successes bring a down check back. The first
// result decides an unknown state at once, since there is nothing to
// debounce against. It returns the new state and the transition, if any.
func Apply(c *Check, st CheckState, r Result) (CheckState, *Transition) {
	next := st
	if next.State == "" {
		next.State = StateUnknown
	}
	next.CheckID, next.Location = r.CheckID, r.Location
	res := r
	next.LastResult = &res
	good := StateUp
	if r.OK && (r.Warning != "" || c.DegradedAfter > 0 && r.Latency > c.DegradedAfter) {
		good = StateDegraded
	}
	if r.OK {
		next.Successes++
		next.Failures = 0
	} else {
		next.Failures++
		next.Successes = 0
	}
	to := next.State
	switch next.State {
	case StateUnknown:
		if r.OK {
			to = good
		} else {
			to = StateDown
		}
	case StateUp, StateDegraded:
		switch {
		case !r.OK && next.Failures >= c.FailuresToDown:
			to = StateDown
		case r.OK:
			to = good
		}
	case StateDown:
		if r.OK && next.Successes >= c.SuccessesToUp {
			to = good
		}
	}
	if to == next.State {
		return next, nil
	}
	t := &Transition{CheckID: r.CheckID, Location: r.Location, From: next.State, To: to, At: r.At, Result: r}
	next.State, next.Since = to, r.At
	return next, t
}
