package status

import (
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

// LocationCount is how a component looks from the locations probing it,
// for the page: "down from 2 of 3 locations".
type LocationCount struct {
	// Down is how many locations see at least one of the component's checks
	// down; Reporting how many have a known state (silent agents' do
	// not); Total how many are configured.
	Down, Reporting, Total int
}

// ComponentLocations counts, for each component with a check of several
// locations, the locations that see it down and those reporting. Checks of
// one location are left out: "1 of 1 locations" tells a visitor nothing.
func ComponentLocations(checks []Check, states []CheckState) map[string]LocationCount {
	type locs struct{ all, known, down map[string]bool }
	byComp := map[string]*locs{}
	compOf := map[string]string{}
	for _, c := range checks {
		if len(c.Sites()) < 2 {
			continue
		}
		l := byComp[c.Component]
		if l == nil {
			l = &locs{map[string]bool{}, map[string]bool{}, map[string]bool{}}
			byComp[c.Component] = l
		}
		for _, site := range c.Sites() {
			l.all[site] = true
		}
		compOf[c.ID] = c.Component
	}
	for _, st := range states {
		l := byComp[compOf[st.CheckID]]
		if l == nil || !l.all[st.Location] {
			continue
		}
		switch st.State {
		case StateDown:
			l.down[st.Location] = true
			l.known[st.Location] = true
		case StateUp, StateDegraded:
			l.known[st.Location] = true
		}
	}
	out := make(map[string]LocationCount, len(byComp))
	for id, l := range byComp {
		out[id] = LocationCount{Down: len(l.down), Reporting: len(l.known), Total: len(l.all)}
	}
	return out
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
