package config_test

import (
	"strings"
	"testing"

	"github.com/safetynet-dev/safetynet/status"
)

func TestQuorumAndLocations(t *testing.T) {
	c := MustParse(t, base+`
checks:
  - id: everywhere
    component: api
    kind: http
    target: http://127.0.0.1:8081/health
    locations: [local, eu-west, us-east]
    quorum: 2
  - id: majority
    component: api
    kind: tcp
    target: 127.0.0.1:8081
    locations: [eu-west, us-east]
    quorum: majority
  - id: here
    component: api
    kind: tcp
    target: 127.0.0.1:8081
`, env(nil, nil))
	got := map[string]status.Check{}
	for _, ch := range c.Plan.Checks {
		got[ch.ID] = ch
	}
	if ch := got["everywhere"]; ch.Quorum != 2 || len(ch.Locations) != 3 || !ch.RunsAt("eu-west") || !ch.RunsAt(status.LocalLocation) {
		t.Errorf("everywhere = quorum %d, locations %v", ch.Quorum, ch.Locations)
	}
	if ch := got["majority"]; ch.Quorum != status.QuorumMajority || ch.RunsAt(status.LocalLocation) || !ch.Remote() {
		t.Errorf("majority = quorum %d, locations %v", ch.Quorum, ch.Locations)
	}
	if ch := got["here"]; ch.Remote() || !ch.RunsAt(status.LocalLocation) {
		t.Errorf("here = locations %v", ch.Locations)
	}
}

func TestQuorumErrors(t *testing.T) {
	got := parseErrors(t, base+`
checks:
  - id: too-many
    component: api
    kind: tcp
    target: 127.0.0.1:1
    locations: [eu-west, us-east]
    quorum: 3
  - id: words
    component: api
    kind: tcp
    target: 127.0.0.1:1
    quorum: most
  - id: twice
    component: api
    kind: tcp
    target: 127.0.0.1:1
    locations: [eu-west, eu-west]
  - id: beat
    component: api
    kind: heartbeat
    locations: [eu-west]
    heartbeat: {token_env: BEAT}
`, env(nil, nil))
	want := []string{
		`20:13: checks[too-many]: quorum "3" must be "majority" or a number of locations from 1 to 2`,
		`25:13: checks[words]: quorum "most" must be "majority" or a number of locations from 1 to 1`,
		`30:16: checks[twice].locations: "eu-west" is listed twice`,
		`34:16: checks[beat]: a heartbeat check runs at the server only`,
	}
	if len(got) != len(want) {
		t.Fatalf("errors:\n  %s\nwant %d", strings.Join(got, "\n  "), len(want))
	}
	for i := range want {
		if !strings.HasPrefix(got[i], want[i]) {
			t.Errorf("error %d = %q, want it to start %q", i, got[i], want[i])
		}
	}
}
