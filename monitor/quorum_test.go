package monitor_test

import (
	"context"
	"testing"
	"time"

	"github.com/safetynet-dev/safetynet/monitor"
	"github.com/safetynet-dev/safetynet/status"
)

var agentSites = []string{"eu-west", "us-east", "ap-south"}

// report posts one result per location for check id at the clock's time:
// ok[i] is the result of agentSites[i].
func report(t *testing.T, h *harness, id string, ok ...bool) {
	t.Helper()
	for i, loc := range agentSites {
		res := status.Result{CheckID: id, At: h.clk.Now(), OK: ok[i], Latency: 30 * time.Millisecond}
		if !ok[i] {
			res.Error = "connection refused from " + loc
		}
		rep, err := h.m.AgentResults(context.Background(), loc, []status.Result{res})
		if err != nil || rep.Accepted != 1 {
			t.Fatalf("AgentResults(%s) = %+v, %v", loc, rep, err)
		}
	}
}

func lastStatus(h *harness, component string) status.Status {
	cs := h.changes(component)
	if len(cs) == 0 {
		return ""
	}
	return cs[len(cs)-1].To
}

func remoteCheck() status.Check {
	c := check("edge", 30*time.Second)
	c.Locations = agentSites
	return c
}

func TestQuorumOfAgentLocationsDecidesTheComponent(t *testing.T) {
	h := newHarness(t, nil)
	h.setPlan(plan(remoteCheck()))
	h.start()

	report(t, h, "edge", true, true, true)
	if got := lastStatus(h, "api"); got != status.Operational {
		t.Fatalf("status with every location up = %q", got)
	}
	// One flaky path: the component stays operational and nobody is paged.
	h.run(30 * time.Second)
	report(t, h, "edge", false, true, true)
	if got := lastStatus(h, "api"); got != status.Operational {
		t.Fatalf("status with one location of three down = %q, want operational", got)
	}
	if n := len(h.st.notifications()); n != 0 {
		t.Fatalf("%d notifications for one location down: %+v", n, h.st.notifications())
	}
	// The location's own alert is there for the dashboard.
	open, _ := h.st.Alerts(context.Background(), status.AlertFilter{OpenOnly: true})
	if len(open) != 1 || open[0].Subject != "edge@eu-west" {
		t.Fatalf("open alerts %+v, want the eu-west check alert", open)
	}

	// Two of three agree: an outage, and one page per recipient.
	h.run(30 * time.Second)
	report(t, h, "edge", false, false, true)
	if got := lastStatus(h, "api"); got != status.MajorOutage {
		t.Fatalf("status with two locations of three down = %q, want major outage", got)
	}
	down := h.notes("check/edge/quorum/down/")
	if got := notifiers(down); len(got) != 3 {
		t.Fatalf("quorum down notified %v, want mail, pager and slack", got)
	}
	if down[0].Message.Fields["locations"] != "2 of 3 down" {
		t.Errorf("down message fields %v", down[0].Message.Fields)
	}

	h.run(30 * time.Second)
	report(t, h, "edge", true, true, true)
	if got := lastStatus(h, "api"); got != status.Operational {
		t.Fatalf("status after recovery = %q", got)
	}
	if len(h.notes("check/edge/quorum/up/")) != 2 { // team: slack and mail; the route is for down only
		t.Errorf("up notifications %+v", h.notes("check/edge/quorum/up/"))
	}
}

func TestConfiguredQuorum(t *testing.T) {
	h := newHarness(t, nil)
	c := remoteCheck()
	c.Quorum = 3
	h.setPlan(plan(c))
	h.start()
	report(t, h, "edge", false, false, true)
	if got := lastStatus(h, "api"); got != status.Operational {
		t.Fatalf("status with two of three down and quorum 3 = %q", got)
	}
	h.run(30 * time.Second)
	report(t, h, "edge", false, false, false)
	if got := lastStatus(h, "api"); got != status.MajorOutage {
		t.Fatalf("status with three of three down and quorum 3 = %q", got)
	}
}

func TestServerDoesNotRunAgentChecks(t *testing.T) {
	h := newHarness(t, nil)
	mixed := check("both", 10*time.Second)
	mixed.Locations = []string{status.LocalLocation, "eu-west"}
	h.setPlan(plan(remoteCheck(), mixed))
	h.start()
	h.run(time.Minute)
	if n := h.p.count("edge"); n != 0 {
		t.Errorf("the server probed the agents' check %d times", n)
	}
	if n := h.p.count("both"); n < 6 {
		t.Errorf("the check of local and eu-west ran %d times in a minute at the server, want every 10s", n)
	}
	for _, r := range h.st.resultsOf("both") {
		if r.Location != status.LocalLocation {
			t.Errorf("server result at %q", r.Location)
		}
	}

	checks, err := h.m.AgentChecks("eu-west")
	if err != nil || len(checks) != 2 {
		t.Fatalf("AgentChecks(eu-west) = %d checks, %v; want edge and both", len(checks), err)
	}
	checks, _ = h.m.AgentChecks("us-east")
	if len(checks) != 1 || checks[0].ID != "edge" {
		t.Errorf("AgentChecks(us-east) = %+v", checks)
	}
	if _, err := h.m.AgentChecks(status.LocalLocation); err == nil {
		t.Error("an agent may fetch the server's own checks")
	}
}

func TestAgentResultsReplaysAndStrangers(t *testing.T) {
	h := newHarness(t, nil)
	h.setPlan(plan(remoteCheck(), check("here", 10*time.Second)))
	h.start()
	t0 := h.clk.Now()
	batch := []status.Result{
		{CheckID: "edge", At: t0, OK: true},
		{CheckID: "edge", At: t0.Add(30 * time.Second), OK: false, Error: "refused"},
	}
	ctx := context.Background()
	h.clk.Advance(time.Minute)
	rep, err := h.m.AgentResults(ctx, "eu-west", batch)
	if err != nil || rep != (monitor.AgentReport{Accepted: 2}) {
		t.Fatalf("first post = %+v, %v", rep, err)
	}
	// The same batch again (its answer was lost): nothing is counted twice.
	rep, _ = h.m.AgentResults(ctx, "eu-west", batch)
	if rep != (monitor.AgentReport{Duplicates: 2}) {
		t.Fatalf("second post = %+v, want two duplicates", rep)
	}
	waitFor(t, "two results stored", func() bool { return len(h.st.resultsOf("edge")) >= 2 })
	// A check of the server only, a check nobody has, a time far ahead.
	rep, _ = h.m.AgentResults(ctx, "eu-west", []status.Result{
		{CheckID: "here", At: h.clk.Now(), OK: true},
		{CheckID: "nope", At: h.clk.Now(), OK: true},
		{CheckID: "edge", At: h.clk.Now().Add(time.Hour), OK: true},
	})
	if rep != (monitor.AgentReport{Ignored: 3}) {
		t.Errorf("strangers = %+v, want three ignored", rep)
	}
	if _, err := h.m.AgentResults(ctx, status.LocalLocation, batch); err == nil {
		t.Error("an agent may report as the server's own location")
	}
	if n := len(h.st.resultsOf("edge")); n != 2 {
		t.Errorf("%d results stored, want 2", n)
	}
	for _, r := range h.st.resultsOf("edge") {
		if r.Location != "eu-west" {
			t.Errorf("result stored at %q, want the posting location", r.Location)
		}
	}
}

func TestSilentAgentStopsCountingAndIsAlerted(t *testing.T) {
	h := newHarness(t, nil)
	h.setPlan(plan(remoteCheck()))
	h.start()
	ctx := context.Background()
	h.m.Evaluate(ctx) // the monitor starts expecting its agents

	// eu-west and us-east see the target down; ap-south then goes quiet.
	report(t, h, "edge", false, false, true)
	if got := lastStatus(h, "api"); got != status.MajorOutage {
		t.Fatalf("status = %q", got)
	}
	for range 4 {
		h.clk.Advance(30 * time.Second)
		for _, loc := range agentSites[:2] {
			if _, err := h.m.AgentResults(ctx, loc, []status.Result{{CheckID: "edge", At: h.clk.Now(), OK: true}}); err != nil {
				t.Fatal(err)
			}
		}
		h.m.Evaluate(ctx)
	}
	open, _ := h.st.Alerts(ctx, status.AlertFilter{OpenOnly: true})
	var agent *status.Alert
	for i := range open {
		if open[i].Kind == status.AlertAgent {
			agent = &open[i]
		}
	}
	if agent == nil || agent.Subject != "agent/ap-south" || agent.Component != "api" {
		t.Fatalf("open alerts %+v, want an agent alert for ap-south", open)
	}
	if n := len(h.notes("agent/ap-south/down/")); n != 3 {
		t.Errorf("%d agent-silent notifications, want 3", n)
	}
	// The silent location no longer counts: with eu-west down again and
	// us-east up, one of two reporting is not a majority.
	h.clk.Advance(time.Second)
	if _, err := h.m.AgentResults(ctx, "eu-west", []status.Result{{CheckID: "edge", At: h.clk.Now(), OK: false, Error: "refused"}}); err != nil {
		t.Fatal(err)
	}
	if got := lastStatus(h, "api"); got != status.Operational {
		t.Fatalf("status = %q, want operational: one of the two locations still reporting is no majority", got)
	}
	snap, _ := h.m.Snapshot(ctx)
	for _, st := range snap.Components[0].Checks[0].States {
		if st.Location == "ap-south" && st.State != status.StateUnknown {
			t.Errorf("silent location's state = %s, want unknown", st.State)
		}
	}
	// It reports again: the alert resolves.
	if _, err := h.m.AgentResults(ctx, "ap-south", []status.Result{{CheckID: "edge", At: h.clk.Now(), OK: true}}); err != nil {
		t.Fatal(err)
	}
	open, _ = h.st.Alerts(ctx, status.AlertFilter{OpenOnly: true})
	for _, a := range open {
		if a.Kind == status.AlertAgent {
			t.Errorf("agent alert still open after the agent reported: %+v", a)
		}
	}
	if len(h.notes("agent/ap-south/up/")) == 0 {
		t.Error("no notification that the agent reports again")
	}
}

func TestAgentReportingToAnotherServerIsNotSilent(t *testing.T) {
	h := newHarness(t, nil)
	h.setPlan(plan(remoteCheck()))
	h.start()
	ctx := context.Background()
	h.m.Evaluate(ctx)
	for range 4 {
		h.clk.Advance(30 * time.Second)
		// Another server of the fleet takes every agent's results and
		// stores them; this one hears nothing directly.
		var rs []status.Result
		for _, loc := range agentSites {
			rs = append(rs, status.Result{CheckID: "edge", Location: loc, At: h.clk.Now(), OK: true})
		}
		if err := h.st.SaveResults(ctx, rs); err != nil {
			t.Fatal(err)
		}
		h.m.Evaluate(ctx)
	}
	open, _ := h.st.Alerts(ctx, status.AlertFilter{OpenOnly: true})
	for _, a := range open {
		if a.Kind == status.AlertAgent {
			t.Errorf("agent alert for an agent that reports to another server: %+v", a)
		}
	}
}

func TestStatesOfAgentsReportingElsewhereAreShared(t *testing.T) {
	h := newHarness(t, nil)
	h.setPlan(plan(remoteCheck()))
	h.start()
	ctx := context.Background()
	h.m.Evaluate(ctx)
	h.clk.Advance(100 * time.Second) // past the silence window of this server
	// Another server took the agents' results: two locations down.
	now := h.clk.Now()
	for i, loc := range agentSites {
		st := status.CheckState{CheckID: "edge", Location: loc, State: status.StateUp, Since: now}
		if i < 2 {
			st.State = status.StateDown
		}
		h.st.SaveCheckState(ctx, st)
		h.st.SaveResults(ctx, []status.Result{{CheckID: "edge", Location: loc, At: now, OK: i >= 2}})
	}
	h.clk.Advance(time.Second)
	h.m.Evaluate(ctx)
	if got := lastStatus(h, "api"); got != status.MajorOutage {
		t.Fatalf("status on a server the agents do not post to = %q, want the fleet's major outage", got)
	}
	if n := len(h.st.notifications()); n != 0 {
		t.Errorf("the server the agents do not post to notified: %+v", h.st.notifications())
	}
}

func TestReloadResolvesAlertsOfLocationsNoLongerAssigned(t *testing.T) {
	h := newHarness(t, nil)
	h.setPlan(plan(remoteCheck()))
	h.start()
	ctx := context.Background()
	report(t, h, "edge", false, true, true)
	if open, _ := h.st.Alerts(ctx, status.AlertFilter{OpenOnly: true}); len(open) != 1 {
		t.Fatalf("open alerts before the reload: %+v, want eu-west's", open)
	}
	c := remoteCheck()
	c.Locations = []string{"us-east", "ap-south"}
	h.setPlan(plan(c))
	h.m.Evaluate(ctx)
	open, _ := h.st.Alerts(ctx, status.AlertFilter{OpenOnly: true})
	if len(open) != 0 {
		t.Errorf("open alerts after eu-west was removed from the check: %+v", open)
	}
}

func TestQuorumDownIsRemindedOnce(t *testing.T) {
	h := newHarness(t, nil)
	p := plan(remoteCheck())
	p.Alerting.RemindEvery = 5 * time.Minute
	h.setPlan(p)
	h.start()
	ctx := context.Background()
	h.m.Evaluate(ctx)
	report(t, h, "edge", false, false, true)
	for range 13 { // six and a half minutes of results, evaluated twice a minute
		h.clk.Advance(30 * time.Second)
		report(t, h, "edge", false, false, true)
		h.m.Evaluate(ctx)
	}
	if got := notifiers(h.notes("check/edge/quorum/reminder/")); len(got) != 2 {
		t.Fatalf("reminders after 6.5 minutes down with remind_every 5m: %v, want one to each of the team's two notifiers", got)
	}
	if got := notifiers(h.notes("check/edge/quorum/down/")); len(got) != 3 {
		t.Errorf("down notifications %v, want one per recipient", got)
	}
}
