package status

import (
	"fmt"
	"slices"
)

// Probing from several places. A check may list several locations: the
// server probes the "local" one itself and agents (safetynet agent) probe
// the others and report their results over the API. A check counts as down
// for its component only when a quorum of its reporting locations see it
// down, so one location's broken network path does not page anybody or
// turn the page red.

// QuorumMajority is Check.Quorum's default: more than half of the
// locations that report must see the check down.
const QuorumMajority = 0

// AlertAgent is the kind of the alert opened when an agent's location
// stops reporting. It is for the team, not the page: it never changes a
// component's status (the location's results just stop counting).
const AlertAgent AlertKind = "agent"

// AgentSilentAfter is how many of a location's shortest check interval
// may pass without a result before the location counts as silent: its
// states become unknown and stop counting toward quorums.
const AgentSilentAfter = 3

// Sites returns where a check runs: its locations, or LocalLocation when
// none are set.
func (c *Check) Sites() []string {
	if len(c.Locations) == 0 {
		return []string{LocalLocation}
	}
	return c.Locations
}

// RunsAt reports whether the check is assigned to location.
func (c *Check) RunsAt(location string) bool {
	return slices.Contains(c.Sites(), location)
}

// Remote reports whether an agent somewhere runs the check: some location
// other than LocalLocation.
func (c *Check) Remote() bool {
	return slices.ContainsFunc(c.Sites(), func(l string) bool { return l != LocalLocation })
}

// QuorumOf returns how many of known reporting locations must see a check
// down for it to count as down: quorum itself when set (locations that
// stopped reporting cannot make it up), else a majority of those
// reporting.
func QuorumOf(quorum, known int) int {
	if quorum > 0 {
		return quorum
	}
	return known/2 + 1
}

// quorumDown reports whether down of known locations reach the quorum.
func quorumDown(down, known, quorum int) bool {
	return known > 0 && down >= QuorumOf(quorum, known)
}

// ValidateQuorum checks a check's quorum against its locations.
func (c *Check) ValidateQuorum() error {
	n := len(c.Sites())
	if c.Quorum < 0 || c.Quorum > n {
		return invalidf("check %s: quorum %d must be from 1 to the number of its locations (%d)", c.ID, c.Quorum, n)
	}
	return nil
}

// LocationSummary says how many of a check's locations see it down, for
// the page: "2 of 3 locations".
func LocationSummary(states []CheckState) string {
	down, known := 0, 0
	for _, st := range states {
		switch st.State {
		case StateDown:
			down++
			known++
		case StateUp, StateDegraded:
			known++
		}
	}
	return fmt.Sprintf("%d of %d locations", down, known)
}

// AgentChecks is the answer to an agent asking for its checks
// (GET /api/v1/agent/checks): the checks assigned to its location, with
// only the settings a probe needs.
type AgentChecks struct {
	Location string  `json:"location"`
	Checks   []Check `json:"checks"`
}

// AgentBatch is a batch of results an agent reports
// (POST /api/v1/agent/results). ID is the agent's idempotency key: a batch
// sent again with the same ID (its answer was lost) is not counted twice.
type AgentBatch struct {
	ID       string   `json:"id"`
	Location string   `json:"location"`
	Results  []Result `json:"results"`
}

// AgentReport says what became of a batch of results from an agent.
type AgentReport struct {
	// Accepted results were recorded.
	Accepted int `json:"accepted"`
	// Duplicates were not newer than the last result recorded for their
	// check and location: a batch sent again after its answer was lost.
	Duplicates int `json:"duplicates"`
	// Ignored results name a check not assigned to the location (the
	// config changed since the agent fetched its checks) or a time too
	// far in the future.
	Ignored int `json:"ignored"`
	// Replayed is set when the batch ID was seen before and this is the
	// answer given then.
	Replayed bool `json:"replayed,omitempty"`
}

// ForAgent returns the check as an agent gets it: what its probe needs,
// without the component's customers, peers or other locations.
func (c Check) ForAgent() Check {
	return Check{
		ID: c.ID, Name: c.Name, Component: c.Component, Kind: c.Kind, Target: c.Target,
		Interval: c.Interval, Timeout: c.Timeout, Retries: c.Retries,
		FailuresToDown: c.FailuresToDown, SuccessesToUp: c.SuccessesToUp, DegradedAfter: c.DegradedAfter,
		Spec: c.Spec, Hash: c.Hash,
	}
}
