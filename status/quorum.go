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
