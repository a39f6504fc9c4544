package config

import (
	"slices"
	"strconv"

	yaml "go.yaml.in/yaml/v3"

	"github.com/safetynet-dev/safetynet/status"
)

// quorum reads a check's quorum ("majority" or a number of locations) and
// checks its locations: each named once, and heartbeat checks only at
// the server, since jobs call the server and no agent sees the calls.
func (b *builder) quorum(n *yaml.Node, c *status.Check, q, path string) {
	for j, loc := range c.Locations {
		if slices.Index(c.Locations, loc) != j {
			b.errorf(at(n, "locations"), "%s.locations: %q is listed twice", path, loc)
		}
	}
	if c.Kind == status.KindHeartbeat && c.Remote() {
		b.errorf(at(n, "locations"), "%s: a heartbeat check runs at the server only; remove locations other than %q", path, status.LocalLocation)
	}
	switch q {
	case "", "majority":
		c.Quorum = status.QuorumMajority
		return
	}
	v, err := strconv.Atoi(q)
	sites := len(c.Sites())
	if err != nil || v < 1 || v > sites {
		b.errorf(at(n, "quorum"), "%s: quorum %q must be \"majority\" or a number of locations from 1 to %d (the check's locations: %v)", path, q, sites, c.Sites())
		return
	}
	c.Quorum = v
}
