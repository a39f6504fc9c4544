// Package storetest is the conformance suite of status.Store: every storage
// backend runs it, so that the server behaves the same on each.
package storetest

import (
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/safetynet-dev/safetynet"
	"github.com/safetynet-dev/safetynet/status"
)

// base is a fixed moment in the past, so that filters defaulting to "now"
// include everything the tests write.
var base = time.Date(2025, 1, 6, 12, 0, 0, 0, time.UTC)

// elsewhere is a zone far from UTC: times written in it must come back in
// UTC and at the same instant.
var elsewhere = time.FixedZone("UTC+5:30", 5*3600+1800)

// Run runs the conformance suite. open returns a new, empty store for each
// subtest; it should close the store when the test ends.
func Run(t *testing.T, open func(t *testing.T) status.Store) {
	tests := []struct {
		name string
		fn   func(t *testing.T, s status.Store)
	}{
		{"Ping", testPing},
		{"Components", testComponents},
		{"ScheduleSync", testScheduleSync},
		{"ClaimDue", testClaimDue},
		{"ClaimDueLease", testClaimDueLease},
		{"ClaimDueConcurrent", testClaimDueConcurrent},
		{"ClaimDueAffinity", testClaimDueAffinity},
		{"ClaimDueLeaseCap", testClaimDueLeaseCap},
		{"NextDue", testNextDue},
		{"Results", testResults},
		{"ResultFilters", testResultFilters},
		{"Rollups", testRollups},
		{"RollupsMergeAcrossBatches", testRollupsMerge},
		{"RollupsConcurrent", testRollupsConcurrent},
		{"CheckStates", testCheckStates},
		{"Changes", testChanges},
		{"Samples", testSamples},
		{"Alerts", testAlerts},
		{"OpenAlertConcurrent", testOpenAlertConcurrent},
		{"Outbox", testOutbox},
		{"OutboxConcurrentEnqueue", testOutboxConcurrentEnqueue},
		{"OutboxConcurrentClaim", testOutboxConcurrentClaim},
		{"Heartbeats", testHeartbeats},
		{"Maintenances", testMaintenances},
		{"Prune", testPrune},
		{"TimesInUTC", testTimesUTC},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			tc.fn(t, open(t))
		})
	}
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func testPing(t *testing.T, s status.Store) {
	must(t, s.Ping(t.Context()))
}

func testComponents(t *testing.T, s status.Store) {
	ctx := t.Context()
	api := status.Component{ID: "api", Name: "API", Group: "core", Description: "public API", Owner: "platform", Customers: []string{"acme", "globex"}, Public: true, Position: 2}
	web := status.Component{ID: "web", Name: "Web", Position: 1}
	must(t, s.SyncComponents(ctx, []status.Component{api, web}))
	got, err := s.Components(ctx)
	must(t, err)
	if fmt.Sprint(got) != fmt.Sprint([]status.Component{web, api}) {
		t.Fatalf("components = %+v, want web then api in position order with every field", got)
	}

	// A changed config updates, and a component it drops disappears from the
	// list while its history stays (its status changes still resolve).
	api.Name, api.Customers = "Public API", nil
	must(t, s.SyncComponents(ctx, []status.Component{api}))
	got, err = s.Components(ctx)
	must(t, err)
	if len(got) != 1 || got[0].Name != "Public API" || got[0].Customers != nil {
		t.Fatalf("after sync = %+v, want only the updated api", got)
	}
	// Configured again, it comes back.
	must(t, s.SyncComponents(ctx, []status.Component{api, web}))
	got, err = s.Components(ctx)
	must(t, err)
	if len(got) != 2 {
		t.Fatalf("after re-adding web: %+v", got)
	}

	err = s.SyncComponents(ctx, []status.Component{{ID: "Bad ID", Name: "x"}})
	if safetynet.ErrorCode(err) != safetynet.EINVALID {
		t.Fatalf("bad component id: err = %v, want %s", err, safetynet.EINVALID)
	}
	got, err = s.Components(ctx)
	must(t, err)
	if len(got) != 2 {
		t.Fatalf("a rejected sync changed the components: %+v", got)
	}
}

// claimAll claims every due check at now for owner.
func claimAll(t *testing.T, s status.Store, owner string, now time.Time) map[string]time.Time {
	t.Helper()
	due, err := s.ClaimDue(t.Context(), owner, now, 100000, time.Minute)
	must(t, err)
	out := map[string]time.Time{}
	for _, d := range due {
		out[d.CheckID] = d.DueAt
	}
	return out
}

func testScheduleSync(t *testing.T, s status.Store) {
	ctx := t.Context()
	var entries []status.ScheduleEntry
	for i := range 50 {
		entries = append(entries, status.ScheduleEntry{CheckID: fmt.Sprintf("c%02d", i), Interval: time.Minute, Hash: "v1"})
	}
	must(t, s.SyncSchedule(ctx, entries, base))

	// First runs are spread over the interval: not all at once, none later
	// than one interval.
	nothing := claimAll(t, s, "probe", base.Add(-time.Nanosecond))
	if len(nothing) != 0 {
		t.Fatalf("checks due before the sync time: %v", nothing)
	}
	due := claimAll(t, s, "probe", base.Add(time.Minute))
	if len(due) != 50 {
		t.Fatalf("%d of 50 checks due within one interval", len(due))
	}
	seconds := map[int64]bool{}
	for id, at := range due {
		if at.Before(base) || !at.Before(base.Add(time.Minute)) {
			t.Errorf("%s first due at %s, outside [%s, +1m)", id, at, base)
		}
		seconds[at.Unix()] = true
	}
	if len(seconds) < 20 {
		t.Errorf("50 checks start in only %d distinct seconds: not spread", len(seconds))
	}
	for id := range due {
		must(t, s.Complete(ctx, "probe", id, base.Add(time.Hour)))
	}

	// An unchanged sync leaves runs alone; a changed hash reschedules within
	// the new interval; a dropped check is gone.
	entries[0].Hash, entries[0].Interval = "v2", 10*time.Second
	dropped := entries[49].CheckID
	must(t, s.SyncSchedule(ctx, entries[:49], base.Add(time.Minute)))
	due = claimAll(t, s, "probe", base.Add(time.Minute+10*time.Second))
	if len(due) != 1 || due[entries[0].CheckID].IsZero() {
		t.Fatalf("after changing %s: due = %v, want only it", entries[0].CheckID, due)
	}
	must(t, s.Complete(ctx, "probe", entries[0].CheckID, base.Add(3*time.Hour)))
	due = claimAll(t, s, "probe", base.Add(2*time.Hour))
	if len(due) != 48 {
		t.Fatalf("%d checks due after their next run, want the 48 unchanged ones", len(due))
	}
	if _, ok := due[dropped]; ok {
		t.Fatalf("%s was removed from the config but is still scheduled", dropped)
	}
}

func testClaimDue(t *testing.T, s status.Store) {
	ctx := t.Context()
	var entries []status.ScheduleEntry
	for i := range 10 {
		entries = append(entries, status.ScheduleEntry{CheckID: fmt.Sprintf("c%d", i), Interval: time.Minute, Hash: "h"})
	}
	must(t, s.SyncSchedule(ctx, entries, base))
	due := claimAll(t, s, "a", base.Add(time.Minute))
	for id := range due {
		must(t, s.Complete(ctx, "a", id, base.Add(time.Duration(id[1]-'0')*time.Second)))
	}

	none, err := s.ClaimDue(ctx, "a", base.Add(time.Minute), 0, time.Minute)
	must(t, err)
	if len(none) != 0 {
		t.Fatalf("limit 0 claimed %v", none)
	}
	got, err := s.ClaimDue(ctx, "a", base.Add(5*time.Second), 3, time.Minute)
	must(t, err)
	if len(got) != 3 || got[0].CheckID != "c0" || got[1].CheckID != "c1" || got[2].CheckID != "c2" {
		t.Fatalf("claim with limit 3 = %v, want c0 c1 c2, earliest first", got)
	}
	if !got[1].DueAt.Equal(base.Add(time.Second)) {
		t.Fatalf("c1 due at %s, want %s", got[1].DueAt, base.Add(time.Second))
	}
	got, err = s.ClaimDue(ctx, "a", base.Add(5*time.Second), 10, time.Minute)
	must(t, err)
	if len(got) != 3 || got[0].CheckID != "c3" {
		t.Fatalf("second claim = %v, want c3 c4 c5 (c6.. are not due, c0..c2 are leased)", got)
	}
}

func testClaimDueLease(t *testing.T, s status.Store) {
	ctx := t.Context()
	must(t, s.SyncSchedule(ctx, []status.ScheduleEntry{{CheckID: "c", Interval: time.Minute, Hash: "h"}}, base))
	now := base.Add(time.Minute)
	got, err := s.ClaimDue(ctx, "a", now, 10, 30*time.Second)
	must(t, err)
	if len(got) != 1 {
		t.Fatalf("claim = %v", got)
	}
	// Held: nobody else gets it, not even a moment before expiry.
	if got := claimAll(t, s, "b", now.Add(30*time.Second-time.Microsecond)); len(got) != 0 {
		t.Fatalf("b claimed a leased check: %v", got)
	}
	// Expired: b takes it over (a crashed), and a's late Complete is ignored.
	if got := claimAll(t, s, "b", now.Add(30*time.Second)); len(got) != 1 {
		t.Fatalf("b could not take over an expired lease: %v", got)
	}
	must(t, s.Complete(ctx, "a", "c", now.Add(time.Hour)))
	if got := claimAll(t, s, "c", now.Add(time.Minute)); len(got) != 0 {
		t.Fatalf("a's Complete after losing the lease released b's lease: %v", got)
	}
	// The owner's Complete sets the next run and frees the check.
	must(t, s.Complete(ctx, "b", "c", now.Add(10*time.Minute)))
	if got := claimAll(t, s, "b", now.Add(10*time.Minute-time.Microsecond)); len(got) != 0 {
		t.Fatalf("claimed before the next run: %v", got)
	}
	got2 := claimAll(t, s, "b", now.Add(10*time.Minute))
	if !got2["c"].Equal(now.Add(10 * time.Minute)) {
		t.Fatalf("after Complete: claim = %v, want c due at %s", got2, now.Add(10*time.Minute))
	}
}

// testClaimDueAffinity: a check stays with the server that ran it, so one
// server sees all its results; another takes it only when it is overdue
// by half an interval (its owner died or is stuck).
func testClaimDueAffinity(t *testing.T, s status.Store) {
	ctx := t.Context()
	must(t, s.SyncSchedule(ctx, []status.ScheduleEntry{{CheckID: "c", Interval: 10 * time.Second, Hash: "h"}}, base))
	now := base.Add(10 * time.Second)
	if got := claimAll(t, s, "a", now); len(got) != 1 {
		t.Fatalf("a new check is anybody's: claim = %v", got)
	}
	next := now.Add(10 * time.Second)
	must(t, s.Complete(ctx, "a", "c", next))
	if got := claimAll(t, s, "b", next); len(got) != 0 {
		t.Fatalf("b took a's check at its next run: %v", got)
	}
	if got := claimAll(t, s, "b", next.Add(5*time.Second-time.Microsecond)); len(got) != 0 {
		t.Fatalf("b took a's check before it was half an interval overdue: %v", got)
	}
	if got := claimAll(t, s, "a", next.Add(time.Second)); len(got) != 1 {
		t.Fatalf("a could not claim its own check: %v", got)
	}
	must(t, s.Complete(ctx, "a", "c", next.Add(10*time.Second)))
	// a stops completing (dead): b takes over half an interval late.
	late := next.Add(15 * time.Second)
	if got := claimAll(t, s, "b", late); len(got) != 1 {
		t.Fatalf("b did not take over a check half an interval overdue: %v", got)
	}
	must(t, s.Complete(ctx, "b", "c", late.Add(5*time.Second)))
	if got := claimAll(t, s, "a", late.Add(5*time.Second)); len(got) != 0 {
		t.Fatalf("the check went back to a at once after b took it: %v", got)
	}
}

// testClaimDueLeaseCap: a lease never outlasts the check's interval, so a
// server that dies mid-run holds a 1 s check for at most 1 s.
func testClaimDueLeaseCap(t *testing.T, s status.Store) {
	ctx := t.Context()
	must(t, s.SyncSchedule(ctx, []status.ScheduleEntry{{CheckID: "fast", Interval: time.Second, Hash: "h"}, {CheckID: "slow", Interval: time.Hour, Hash: "h"}}, base))
	now := base.Add(time.Hour)
	got, err := s.ClaimDue(ctx, "a", now, 10, time.Minute)
	must(t, err)
	if len(got) != 2 {
		t.Fatalf("claim = %v", got)
	}
	after := claimAll(t, s, "b", now.Add(time.Second))
	if len(after) != 1 || after["fast"].IsZero() {
		t.Fatalf("1 s after a died mid-run, b claimed %v; want only the 1 s check", after)
	}
	if got := claimAll(t, s, "a", now.Add(time.Minute-time.Microsecond)); !got["slow"].IsZero() {
		t.Fatalf("the hourly check was claimed again before its one-minute lease ran out: %v", got)
	}
	if got := claimAll(t, s, "a", now.Add(time.Minute)); got["slow"].IsZero() {
		t.Fatalf("after the full lease a claimed %v; want the hourly check", got)
	}
}

func testClaimDueConcurrent(t *testing.T, s status.Store) {
	ctx := t.Context()
	const checks = 300
	var entries []status.ScheduleEntry
	for i := range checks {
		entries = append(entries, status.ScheduleEntry{CheckID: fmt.Sprintf("c%03d", i), Interval: time.Minute, Hash: "h"})
	}
	must(t, s.SyncSchedule(ctx, entries, base))
	now := base.Add(time.Minute)
	var mu sync.Mutex
	owners := map[string][]string{}
	var wg sync.WaitGroup
	errs := make(chan error, 4)
	for w := range 4 {
		owner := fmt.Sprintf("server-%d", w)
		wg.Go(func() {
			for {
				due, err := s.ClaimDue(ctx, owner, now, 7, time.Minute)
				if err != nil {
					errs <- err
					return
				}
				if len(due) == 0 {
					return
				}
				mu.Lock()
				for _, d := range due {
					owners[d.CheckID] = append(owners[d.CheckID], owner)
				}
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	if len(owners) != checks {
		t.Fatalf("%d of %d checks claimed", len(owners), checks)
	}
	for id, os := range owners {
		if len(os) != 1 {
			t.Errorf("%s claimed by %v: a check must have one owner", id, os)
		}
	}
}

func testNextDue(t *testing.T, s status.Store) {
	ctx := t.Context()
	if _, ok, err := s.NextDue(ctx); err != nil || ok {
		t.Fatalf("NextDue on an empty schedule = %v, %v; want false", ok, err)
	}
	must(t, s.SyncSchedule(ctx, []status.ScheduleEntry{{CheckID: "a", Interval: time.Minute, Hash: "h"}, {CheckID: "b", Interval: time.Minute, Hash: "h"}}, base))
	claimAll(t, s, "p", base.Add(time.Minute))
	must(t, s.Complete(ctx, "p", "a", base.Add(90*time.Second)))
	must(t, s.Complete(ctx, "p", "b", base.Add(80*time.Second)))
	next, ok, err := s.NextDue(ctx)
	must(t, err)
	if !ok || !next.Equal(base.Add(80*time.Second)) {
		t.Fatalf("NextDue = %s, %v; want %s", next, ok, base.Add(80*time.Second))
	}
}

func result(check, loc string, at time.Time, lat time.Duration, ok bool) status.Result {
	r := status.Result{CheckID: check, Location: loc, At: at, Latency: lat, OK: ok}
	if !ok {
		r.Error = "status 503, want 200"
	}
	return r
}

func testResults(t *testing.T, s status.Store) {
	ctx := t.Context()
	full := status.Result{
		CheckID: "api/health", Location: "local", At: base.Add(1500 * time.Millisecond), Latency: 123456789 * time.Nanosecond,
		OK: false, Error: "status 503, want 200", Warning: "certificate expires in 3 days",
		Conditions: []status.ConditionResult{{Expr: "[STATUS] == 200", OK: false, Detail: "503"}, {Expr: "[RESPONSE_TIME] < 300", OK: true}},
		Values:     map[string]float64{"users": 1234.5},
	}
	plain := result("api/health", "local", base.Add(2*time.Second), time.Millisecond, true)
	must(t, s.SaveResults(ctx, []status.Result{full, plain}))
	must(t, s.SaveResults(ctx, nil))
	got, err := s.Results(ctx, status.ResultFilter{CheckID: "api/health"})
	must(t, err)
	if len(got) != 2 {
		t.Fatalf("got %d results, want 2", len(got))
	}
	if fmt.Sprintf("%+v", got[0]) != fmt.Sprintf("%+v", full) || fmt.Sprintf("%+v", got[1]) != fmt.Sprintf("%+v", plain) {
		t.Fatalf("results do not round-trip:\n got %+v\nwant %+v", got, []status.Result{full, plain})
	}

	// A batch of a thousand is one call.
	var batch []status.Result
	for i := range 1000 {
		batch = append(batch, result(fmt.Sprintf("c%d", i%100), "local", base.Add(time.Duration(i)*time.Second), time.Duration(i)*time.Millisecond, i%10 != 0))
	}
	must(t, s.SaveResults(ctx, batch))
	got, err = s.Results(ctx, status.ResultFilter{CheckID: "c7"})
	must(t, err)
	if len(got) != 10 {
		t.Fatalf("c7 has %d results, want 10", len(got))
	}
}

func testResultFilters(t *testing.T, s status.Store) {
	ctx := t.Context()
	var rs []status.Result
	for i := range 10 {
		rs = append(rs, result("c", "eu", base.Add(time.Duration(i)*time.Minute), time.Millisecond, true))
		rs = append(rs, result("c", "us", base.Add(time.Duration(i)*time.Minute), time.Millisecond, true))
	}
	rs = append(rs, result("other", "eu", base, time.Millisecond, true))
	must(t, s.SaveResults(ctx, rs))

	got, err := s.Results(ctx, status.ResultFilter{CheckID: "c", Location: "eu", Since: base.Add(2 * time.Minute), Until: base.Add(5 * time.Minute)})
	must(t, err)
	if len(got) != 3 || !got[0].At.Equal(base.Add(2*time.Minute)) || !got[2].At.Equal(base.Add(4*time.Minute)) {
		t.Fatalf("eu results in [2m, 5m) = %v, want 3 oldest first", got)
	}
	for _, r := range got {
		if r.Location != "eu" || r.CheckID != "c" {
			t.Fatalf("filter let through %+v", r)
		}
	}
	got, err = s.Results(ctx, status.ResultFilter{CheckID: "c", Location: "us", Limit: 2})
	must(t, err)
	if len(got) != 2 || !got[0].At.Equal(base.Add(9*time.Minute)) || !got[1].At.Equal(base.Add(8*time.Minute)) {
		t.Fatalf("limit 2 = %v, want the two newest, newest first", got)
	}
	got, err = s.Results(ctx, status.ResultFilter{CheckID: "c"})
	must(t, err)
	if len(got) != 20 {
		t.Fatalf("all locations: %d results, want 20", len(got))
	}
}

func testRollups(t *testing.T, s status.Store) {
	ctx := t.Context()
	var rs []status.Result
	var want status.Histogram
	// Two minutes of 1 s results in one hour, one failure in ten.
	for i := range 120 {
		lat := time.Duration(10+i) * time.Millisecond
		rs = append(rs, result("c", "local", base.Add(time.Duration(i)*time.Second), lat, i%10 != 0))
		want.Add(lat)
	}
	// And one result in the next hour and the next day.
	rs = append(rs, result("c", "local", base.Add(time.Hour), 5*time.Millisecond, true))
	rs = append(rs, result("c", "local", base.Add(24*time.Hour), 5*time.Millisecond, false))
	must(t, s.SaveResults(ctx, rs))

	mins, err := s.Rollups(ctx, status.RollupFilter{CheckID: "c", Resolution: status.Minute, Since: base, Until: base.Add(2 * time.Minute)})
	must(t, err)
	if len(mins) != 2 || !mins[0].Start.Equal(base) || !mins[1].Start.Equal(base.Add(time.Minute)) {
		t.Fatalf("minute rollups = %+v, want 2 starting at %s", mins, base)
	}
	for _, m := range mins {
		if m.Count != 60 || m.Failures != 6 || m.Latency.Total() != 60 || m.Resolution != status.Minute || m.Location != "local" || m.CheckID != "c" {
			t.Fatalf("minute rollup %+v: want 60 results, 6 failures", m)
		}
	}
	hours, err := s.Rollups(ctx, status.RollupFilter{CheckID: "c", Resolution: status.Hour, Since: base, Until: base.Add(2 * time.Hour)})
	must(t, err)
	if len(hours) != 2 || hours[0].Count != 120 || hours[0].Failures != 12 || hours[0].Latency != want || hours[1].Count != 1 {
		t.Fatalf("hour rollups = %+v, want 120/12 with every latency, then 1", hours)
	}
	if q := hours[0].Latency.Quantile(0.99); q != want.Quantile(0.99) {
		t.Fatalf("p99 of the hour = %s, want %s", q, want.Quantile(0.99))
	}
	days, err := s.Rollups(ctx, status.RollupFilter{CheckID: "c", Resolution: status.Day, Since: base.Add(-48 * time.Hour)})
	must(t, err)
	midnight := time.Date(2025, 1, 6, 0, 0, 0, 0, time.UTC)
	if len(days) != 2 || !days[0].Start.Equal(midnight) || days[0].Count != 121 || days[1].Count != 1 || days[1].Failures != 1 {
		t.Fatalf("day rollups = %+v, want 121 on %s and 1 failure the next day", days, midnight)
	}
}

func testRollupsMerge(t *testing.T, s status.Store) {
	ctx := t.Context()
	var whole status.Histogram
	for b := range 5 {
		var rs []status.Result
		for i := range 20 {
			lat := time.Duration(1+b*20+i) * time.Millisecond
			rs = append(rs, result("c", "eu", base.Add(time.Duration(b*10+i)*time.Millisecond), lat, i != 0))
			whole.Add(lat)
		}
		rs = append(rs, result("c", "us", base, time.Millisecond, true))
		must(t, s.SaveResults(ctx, rs))
	}
	for _, res := range []status.Resolution{status.Minute, status.Hour, status.Day} {
		got, err := s.Rollups(ctx, status.RollupFilter{CheckID: "c", Location: "eu", Resolution: res, Since: base.Add(-24 * time.Hour)})
		must(t, err)
		if len(got) != 1 || got[0].Count != 100 || got[0].Failures != 5 || got[0].Latency != whole {
			t.Fatalf("%s rollup after 5 batches = %+v, want one with 100 results, 5 failures and the merged histogram", res, got)
		}
	}
	both, err := s.Rollups(ctx, status.RollupFilter{CheckID: "c", Resolution: status.Minute, Since: base})
	must(t, err)
	if len(both) != 2 || both[0].Location != "eu" || both[1].Location != "us" || both[1].Count != 5 {
		t.Fatalf("rollups of all locations = %+v, want eu then us", both)
	}
}

func testRollupsConcurrent(t *testing.T, s status.Store) {
	ctx := t.Context()
	var wg sync.WaitGroup
	errs := make(chan error, 4)
	for w := range 4 {
		wg.Go(func() {
			for b := range 10 {
				var rs []status.Result
				for i := range 10 {
					rs = append(rs, result("c", "local", base.Add(time.Duration(w*1000+b*10+i)*time.Millisecond), time.Millisecond, true))
					rs = append(rs, result(fmt.Sprintf("w%d", w), "local", base, time.Millisecond, true))
				}
				if err := s.SaveResults(ctx, rs); err != nil {
					errs <- err
					return
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	got, err := s.Rollups(ctx, status.RollupFilter{CheckID: "c", Resolution: status.Minute, Since: base})
	must(t, err)
	if len(got) != 1 || got[0].Count != 400 || got[0].Latency.Total() != 400 {
		t.Fatalf("rollup written by 4 concurrent writers = %+v, want 400 results: no update may be lost", got)
	}
}

func testCheckStates(t *testing.T, s status.Store) {
	ctx := t.Context()
	last := result("c", "eu", base, 5*time.Millisecond, false)
	st := status.CheckState{CheckID: "c", Location: "eu", State: status.StateDown, Since: base, Failures: 3, LastResult: &last}
	must(t, s.SaveCheckState(ctx, st))
	must(t, s.SaveCheckState(ctx, status.CheckState{CheckID: "c", Location: "us", State: status.StateUp, Since: base, Successes: 1}))
	got, err := s.CheckStates(ctx)
	must(t, err)
	if len(got) != 2 || fmt.Sprintf("%+v", *got[0].LastResult) != fmt.Sprintf("%+v", last) || got[0].State != status.StateDown || got[0].Failures != 3 || got[1].LastResult != nil {
		t.Fatalf("states = %+v", got)
	}
	st.State, st.Since, st.Failures, st.Successes = status.StateUp, base.Add(time.Minute), 0, 2
	must(t, s.SaveCheckState(ctx, st))
	got, err = s.CheckStates(ctx)
	must(t, err)
	if len(got) != 2 || got[0].State != status.StateUp || !got[0].Since.Equal(base.Add(time.Minute)) || got[0].Successes != 2 {
		t.Fatalf("after replacing eu: %+v", got)
	}
}

func testChanges(t *testing.T, s status.Store) {
	ctx := t.Context()
	var ids []int64
	for i, to := range []status.Status{status.MajorOutage, status.Operational, status.Degraded} {
		c, err := s.RecordChange(ctx, status.Change{Component: "api", From: "", To: to, At: base.Add(time.Duration(i) * time.Minute), Cause: fmt.Sprint("cause ", i)})
		must(t, err)
		ids = append(ids, c.ID)
	}
	if _, err := s.RecordChange(ctx, status.Change{Component: "web", To: status.PartialOutage, At: base, Cause: "1 of 2 checks failing"}); err != nil {
		t.Fatal(err)
	}
	if ids[0] == 0 || ids[0] >= ids[1] || ids[1] >= ids[2] {
		t.Fatalf("change IDs %v are not increasing", ids)
	}
	got, err := s.Changes(ctx, status.ChangeFilter{Component: "api"})
	must(t, err)
	if len(got) != 3 || got[0].To != status.MajorOutage || got[2].To != status.Degraded || got[1].Cause != "cause 1" || got[0].ID != ids[0] {
		t.Fatalf("changes of api = %+v, want 3 oldest first", got)
	}
	got, err = s.Changes(ctx, status.ChangeFilter{Since: base.Add(time.Minute), Until: base.Add(2 * time.Minute)})
	must(t, err)
	if len(got) != 1 || got[0].To != status.Operational {
		t.Fatalf("changes in [1m, 2m) = %+v", got)
	}
	got, err = s.Changes(ctx, status.ChangeFilter{Component: "api", Limit: 2})
	must(t, err)
	if len(got) != 2 || got[0].To != status.Operational || got[1].To != status.Degraded {
		t.Fatalf("latest 2 changes = %+v, want the newest two, oldest first", got)
	}
	cur, err := s.CurrentStatuses(ctx)
	must(t, err)
	if len(cur) != 2 || cur["api"] != status.Degraded || cur["web"] != status.PartialOutage {
		t.Fatalf("current statuses = %v", cur)
	}
}

func testSamples(t *testing.T, s status.Store) {
	ctx := t.Context()
	var ss []status.Sample
	for i := range 10 {
		at := base.Add(time.Duration(i) * time.Minute)
		ss = append(ss,
			status.Sample{Name: "users", Value: float64(1000 + i), At: at, Tags: map[string]string{"customer": "acme", "region": "eu"}},
			status.Sample{Name: "users", Value: float64(2000 + i), At: at, Tags: map[string]string{"customer": "globex", "region": "eu"}},
			status.Sample{Name: "signins", Value: float64(i), At: at},
		)
	}
	must(t, s.SaveSamples(ctx, ss))

	got, err := s.Samples(ctx, status.SampleFilter{Name: "users", Tags: map[string]string{"customer": "acme"}})
	must(t, err)
	if len(got) != 10 || got[0].Value != 1000 || got[9].Value != 1009 || got[0].Tags["region"] != "eu" || !got[3].At.Equal(base.Add(3*time.Minute)) {
		t.Fatalf("acme users = %+v, want 10 oldest first with their tags", got)
	}
	got, err = s.Samples(ctx, status.SampleFilter{Name: "users", Tags: map[string]string{"region": "eu"}, Since: base.Add(8 * time.Minute)})
	must(t, err)
	if len(got) != 4 {
		t.Fatalf("eu users since 8m = %+v, want both customers' last 2", got)
	}
	got, err = s.Samples(ctx, status.SampleFilter{Name: "users", Tags: map[string]string{"region": "us"}})
	must(t, err)
	if len(got) != 0 {
		t.Fatalf("a tag no series has matched %+v", got)
	}
	got, err = s.Samples(ctx, status.SampleFilter{Name: "signins", Since: base.Add(2 * time.Minute), Until: base.Add(5 * time.Minute)})
	must(t, err)
	if len(got) != 3 || got[0].Value != 2 || got[0].Tags != nil {
		t.Fatalf("signins in [2m, 5m) = %+v", got)
	}
	got, err = s.Samples(ctx, status.SampleFilter{Name: "signins", Limit: 2})
	must(t, err)
	if len(got) != 2 || got[0].Value != 8 || got[1].Value != 9 {
		t.Fatalf("last 2 signins = %+v, want 8 then 9", got)
	}

	// A sample at a time already stored replaces it; the series is the same
	// whatever order its tags come in.
	must(t, s.SaveSamples(ctx, []status.Sample{{Name: "users", Value: 5, At: base, Tags: map[string]string{"region": "eu", "customer": "acme"}}}))
	got, err = s.Samples(ctx, status.SampleFilter{Name: "users", Tags: map[string]string{"customer": "acme"}, Until: base.Add(time.Minute)})
	must(t, err)
	if len(got) != 1 || got[0].Value != 5 {
		t.Fatalf("after replacing: %+v", got)
	}

	err = s.SaveSamples(ctx, []status.Sample{{Name: "bad name", Value: 1, At: base}})
	if safetynet.ErrorCode(err) != safetynet.EINVALID {
		t.Fatalf("bad sample: err = %v, want %s", err, safetynet.EINVALID)
	}
}

func testAlerts(t *testing.T, s status.Store) {
	ctx := t.Context()
	a := status.Alert{Kind: status.AlertAnomaly, Component: "api", Customer: "acme", Subject: "users{customer=acme}", Summary: "users fell to 5%", Status: status.MajorOutage, Started: base}
	first, created, err := s.OpenAlert(ctx, a)
	must(t, err)
	if !created || first.ID == 0 {
		t.Fatalf("OpenAlert = %+v, %v; want a new alert", first, created)
	}
	again := a
	again.Started, again.Summary = base.Add(time.Minute), "users fell to 4%"
	dup, created, err := s.OpenAlert(ctx, again)
	must(t, err)
	if created || dup.ID != first.ID || dup.Summary != a.Summary || !dup.Started.Equal(base) {
		t.Fatalf("second OpenAlert = %+v, %v; want the open one unchanged", dup, created)
	}
	other, created, err := s.OpenAlert(ctx, status.Alert{Kind: status.AlertThreshold, Subject: a.Subject, Component: "web", Started: base.Add(time.Second), Silenced: true})
	must(t, err)
	if !created || other.ID == first.ID {
		t.Fatalf("an alert of another kind on the same subject was deduplicated")
	}

	must(t, s.AckAlert(ctx, first.ID, "ana", base.Add(2*time.Minute)))
	must(t, s.AckAlert(ctx, first.ID, "bob", base.Add(3*time.Minute)))
	must(t, s.ResolveAlert(ctx, first.ID, base.Add(time.Hour)))
	must(t, s.ResolveAlert(ctx, first.ID, base.Add(2*time.Hour)))
	got, err := s.Alerts(ctx, status.AlertFilter{Component: "api"})
	must(t, err)
	if len(got) != 1 || got[0].AckedBy != "ana" || !got[0].AckedAt.Equal(base.Add(2*time.Minute)) || got[0].Resolved == nil || !got[0].Resolved.Equal(base.Add(time.Hour)) ||
		got[0].Customer != "acme" || got[0].Status != status.MajorOutage || got[0].Open() {
		t.Fatalf("after ack and resolve: %+v, want the first ack and the first resolution kept", got)
	}

	// Resolved, the subject can alert again.
	next, created, err := s.OpenAlert(ctx, again)
	must(t, err)
	if !created || next.ID == first.ID {
		t.Fatalf("OpenAlert after resolution = %+v, %v; want a new alert", next, created)
	}

	open, err := s.Alerts(ctx, status.AlertFilter{OpenOnly: true})
	must(t, err)
	if len(open) != 2 || open[0].ID != next.ID || open[1].ID != other.ID || !open[1].Silenced {
		t.Fatalf("open alerts = %+v, want the new one then the threshold one, newest first", open)
	}
	recent, err := s.Alerts(ctx, status.AlertFilter{Since: base.Add(90 * time.Minute)})
	must(t, err)
	if len(recent) != 2 {
		t.Fatalf("alerts active since 90m = %+v, want the two open ones (the first was resolved at 60m)", recent)
	}
	limited, err := s.Alerts(ctx, status.AlertFilter{Limit: 1})
	must(t, err)
	if len(limited) != 1 || limited[0].ID != next.ID {
		t.Fatalf("limit 1 = %+v", limited)
	}

	if err := s.ResolveAlert(ctx, 999999, base); safetynet.ErrorCode(err) != safetynet.ENOTFOUND {
		t.Fatalf("resolving a missing alert: %v, want %s", err, safetynet.ENOTFOUND)
	}
	if err := s.AckAlert(ctx, 999999, "x", base); safetynet.ErrorCode(err) != safetynet.ENOTFOUND {
		t.Fatalf("acknowledging a missing alert: %v, want %s", err, safetynet.ENOTFOUND)
	}
}

func testOpenAlertConcurrent(t *testing.T, s status.Store) {
	ctx := t.Context()
	var wg sync.WaitGroup
	var mu sync.Mutex
	created := 0
	ids := map[int64]bool{}
	errs := make(chan error, 8)
	for w := range 8 {
		wg.Go(func() {
			a, ok, err := s.OpenAlert(ctx, status.Alert{Kind: status.AlertCheck, Subject: "api/health", Summary: fmt.Sprint("server ", w), Started: base})
			if err != nil {
				errs <- err
				return
			}
			mu.Lock()
			defer mu.Unlock()
			ids[a.ID] = true
			if ok {
				created++
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	if created != 1 || len(ids) != 1 {
		t.Fatalf("8 servers opening one alert created %d, saw IDs %v; want exactly one", created, ids)
	}
}

func notification(key, notifier string) status.Notification {
	return status.Notification{Key: key, Notifier: notifier, Created: base,
		Message: status.Message{ID: key, Event: status.EventDown, Title: "api is down", Text: "status 503", Component: "api", Status: status.MajorOutage, At: base, Fields: map[string]string{"check": "api/health"}}}
}

func testOutbox(t *testing.T, s status.Store) {
	ctx := t.Context()
	n, err := s.Enqueue(ctx, []status.Notification{notification("t1/slack", "slack"), notification("t1/mail", "mail"), notification("t1/slack", "slack")})
	must(t, err)
	if n != 2 {
		t.Fatalf("Enqueue added %d, want 2 (one key twice)", n)
	}
	n, err = s.Enqueue(ctx, []status.Notification{notification("t1/slack", "slack"), notification("t2/slack", "slack")})
	must(t, err)
	if n != 1 {
		t.Fatalf("Enqueue of a queued key and a new one added %d, want 1", n)
	}
	pending, failing, err := s.OutboxStats(ctx)
	must(t, err)
	if pending != 3 || failing != 0 {
		t.Fatalf("stats = %d pending, %d failing; want 3, 0", pending, failing)
	}

	now := base.Add(time.Second)
	got, err := s.ClaimNotifications(ctx, "a", now, 2, time.Minute)
	must(t, err)
	if len(got) != 2 || got[0].Key != "t1/slack" || got[1].Key != "t1/mail" {
		t.Fatalf("claim 2 = %+v, want the oldest two", got)
	}
	want := notification("t1/slack", "slack")
	want.ID, want.NextAttempt = got[0].ID, base
	if fmt.Sprintf("%+v", got[0]) != fmt.Sprintf("%+v", want) {
		t.Fatalf("notification does not round-trip:\n got %+v\nwant %+v", got[0], want)
	}
	more, err := s.ClaimNotifications(ctx, "b", now, 10, 90*time.Second)
	must(t, err)
	if len(more) != 1 || more[0].Key != "t2/slack" {
		t.Fatalf("b claimed %+v, want only the unleased t2/slack", more)
	}

	must(t, s.MarkDelivered(ctx, got[0].ID, now))
	must(t, s.MarkFailed(ctx, got[1].ID, "smtp: 421 try later", now.Add(time.Minute)))
	pending, failing, err = s.OutboxStats(ctx)
	must(t, err)
	if pending != 2 || failing != 1 {
		t.Fatalf("stats = %d pending, %d failing; want 2, 1", pending, failing)
	}
	// The failed one waits for its next attempt, though its lease is gone;
	// the delivered one never comes back.
	if got, _ := s.ClaimNotifications(ctx, "c", now.Add(time.Minute-time.Microsecond), 10, time.Minute); len(got) != 0 {
		t.Fatalf("claimed before the next attempt: %+v", got)
	}
	retry, err := s.ClaimNotifications(ctx, "c", now.Add(time.Minute), 10, 5*time.Minute)
	must(t, err)
	if len(retry) != 1 || retry[0].Key != "t1/mail" || retry[0].Attempts != 1 || retry[0].LastError != "smtp: 421 try later" || !retry[0].NextAttempt.Equal(now.Add(time.Minute)) {
		t.Fatalf("retry = %+v, want t1/mail after 1 attempt (t2/slack is still leased to b)", retry)
	}
	// b's lease on t2/slack expires and c takes it over; c's own lease on
	// t1/mail holds.
	late, err := s.ClaimNotifications(ctx, "c", now.Add(2*time.Minute), 10, time.Minute)
	must(t, err)
	if len(late) != 1 || late[0].Key != "t2/slack" {
		t.Fatalf("after b's lease expired: %+v", late)
	}
	if err := s.MarkDelivered(ctx, 999999, now); safetynet.ErrorCode(err) != safetynet.ENOTFOUND {
		t.Fatalf("MarkDelivered of a missing notification: %v", err)
	}
	// Delivered keys stay unique: a transition is never notified twice.
	if n, err := s.Enqueue(ctx, []status.Notification{notification("t1/slack", "slack")}); err != nil || n != 0 {
		t.Fatalf("re-enqueue of a delivered key = %d, %v", n, err)
	}
}

func testOutboxConcurrentEnqueue(t *testing.T, s status.Store) {
	ctx := t.Context()
	var wg sync.WaitGroup
	var mu sync.Mutex
	added := 0
	errs := make(chan error, 6)
	for range 6 {
		wg.Go(func() {
			var ns []status.Notification
			for i := range 50 {
				ns = append(ns, notification(fmt.Sprintf("k%02d", i), "slack"))
			}
			n, err := s.Enqueue(ctx, ns)
			if err != nil {
				errs <- err
				return
			}
			mu.Lock()
			added += n
			mu.Unlock()
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	pending, _, err := s.OutboxStats(ctx)
	must(t, err)
	if added != 50 || pending != 50 {
		t.Fatalf("6 servers enqueueing 50 keys: added %d, pending %d; want 50", added, pending)
	}
}

func testOutboxConcurrentClaim(t *testing.T, s status.Store) {
	ctx := t.Context()
	var ns []status.Notification
	for i := range 200 {
		ns = append(ns, notification(fmt.Sprintf("k%03d", i), "slack"))
	}
	_, err := s.Enqueue(ctx, ns)
	must(t, err)
	var wg sync.WaitGroup
	var mu sync.Mutex
	seen := map[string]int{}
	errs := make(chan error, 4)
	for w := range 4 {
		wg.Go(func() {
			for {
				got, err := s.ClaimNotifications(ctx, fmt.Sprint("w", w), base.Add(time.Second), 9, time.Minute)
				if err != nil {
					errs <- err
					return
				}
				if len(got) == 0 {
					return
				}
				mu.Lock()
				for _, n := range got {
					seen[n.Key]++
				}
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	if len(seen) != 200 {
		t.Fatalf("%d of 200 notifications claimed", len(seen))
	}
	for k, n := range seen {
		if n != 1 {
			t.Errorf("%s claimed %d times", k, n)
		}
	}
}

func testHeartbeats(t *testing.T, s status.Store) {
	ctx := t.Context()
	if _, ok, err := s.LastBeat(ctx, "backup"); err != nil || ok {
		t.Fatalf("LastBeat with none = %v, %v", ok, err)
	}
	must(t, s.Beat(ctx, "backup", base))
	must(t, s.Beat(ctx, "backup", base.Add(time.Hour)))
	must(t, s.Beat(ctx, "backup", base.Add(time.Minute))) // a late retry
	last, ok, err := s.LastBeat(ctx, "backup")
	must(t, err)
	if !ok || !last.Equal(base.Add(time.Hour)) {
		t.Fatalf("LastBeat = %s, %v; want %s", last, ok, base.Add(time.Hour))
	}
}

func testMaintenances(t *testing.T, s status.Store) {
	ctx := t.Context()
	m, err := s.CreateMaintenance(ctx, status.Maintenance{Title: "db upgrade", Components: []string{"api", "web"}, Start: base, End: base.Add(2 * time.Hour)})
	must(t, err)
	if m.ID == 0 {
		t.Fatal("maintenance has no ID")
	}
	_, err = s.CreateMaintenance(ctx, status.Maintenance{Title: "later", Components: []string{"api"}, Start: base.Add(3 * time.Hour), End: base.Add(4 * time.Hour)})
	must(t, err)
	if _, err := s.CreateMaintenance(ctx, status.Maintenance{Title: "backwards", Components: []string{"api"}, Start: base, End: base}); safetynet.ErrorCode(err) != safetynet.EINVALID {
		t.Fatalf("a window ending when it starts: %v, want %s", err, safetynet.EINVALID)
	}
	for _, tc := range []struct {
		from, to time.Time
		want     []string
	}{
		{base.Add(-time.Hour), base, nil}, // ends where the window starts
		{base.Add(-time.Hour), base.Add(time.Second), []string{"db upgrade"}},
		{base.Add(2 * time.Hour), base.Add(3 * time.Hour), nil}, // between the two
		{base.Add(time.Hour), base.Add(5 * time.Hour), []string{"db upgrade", "later"}},
	} {
		got, err := s.Maintenances(ctx, tc.from, tc.to)
		must(t, err)
		var titles []string
		for _, m := range got {
			titles = append(titles, m.Title)
		}
		if fmt.Sprint(titles) != fmt.Sprint(tc.want) {
			t.Errorf("Maintenances(%s, %s) = %v, want %v", tc.from, tc.to, titles, tc.want)
		}
	}
	got, err := s.Maintenances(ctx, base, base.Add(time.Hour))
	must(t, err)
	if len(got) != 1 || fmt.Sprint(got[0]) != fmt.Sprint(m) {
		t.Fatalf("maintenance does not round-trip: %+v, want %+v", got, m)
	}
}

func testPrune(t *testing.T, s status.Store) {
	ctx := t.Context()
	day := 24 * time.Hour
	now := base
	var rs []status.Result
	var ss []status.Sample
	// One result and sample per day for 500 days.
	for d := range 500 {
		at := now.Add(-time.Duration(d)*day - time.Minute)
		rs = append(rs, result("c", "local", at, time.Millisecond, true))
		ss = append(ss, status.Sample{Name: "users", Value: float64(d), At: at})
	}
	must(t, s.SaveResults(ctx, rs))
	must(t, s.SaveSamples(ctx, ss))
	_, err := s.RecordChange(ctx, status.Change{Component: "api", To: status.MajorOutage, At: now.Add(-499 * day), Cause: "old"})
	must(t, err)
	_, err = s.Enqueue(ctx, []status.Notification{notification("old", "slack"), notification("new", "slack")})
	must(t, err)
	claimed, err := s.ClaimNotifications(ctx, "p", now, 10, time.Minute)
	must(t, err)
	must(t, s.MarkDelivered(ctx, claimed[0].ID, now.Add(-30*day)))

	r := status.Retention{Raw: 14 * day, Minute: 14 * day, Hour: 90 * day, Day: 400 * day, Samples: 30 * day}
	must(t, s.Prune(ctx, now, r))

	count := func(res status.Resolution) int {
		got, err := s.Rollups(ctx, status.RollupFilter{CheckID: "c", Resolution: res, Since: now.Add(-1000 * day), Until: now})
		must(t, err)
		return len(got)
	}
	raw, err := s.Results(ctx, status.ResultFilter{CheckID: "c", Since: now.Add(-1000 * day)})
	must(t, err)
	samples, err := s.Samples(ctx, status.SampleFilter{Name: "users"})
	must(t, err)
	if len(raw) != 14 || count(status.Minute) != 14 || count(status.Hour) != 90 || count(status.Day) != 400 || len(samples) != 30 {
		t.Fatalf("kept %d results, %d/%d/%d minute/hour/day rollups, %d samples; want 14, 14/90/400, 30",
			len(raw), count(status.Minute), count(status.Hour), count(status.Day), len(samples))
	}
	changes, err := s.Changes(ctx, status.ChangeFilter{})
	must(t, err)
	if len(changes) != 1 {
		t.Fatalf("status changes are history and must never be pruned: %v", changes)
	}
	pending, _, err := s.OutboxStats(ctx)
	must(t, err)
	if pending != 1 {
		t.Fatalf("pruning touched undelivered notifications: %d pending", pending)
	}
	// A zero retention keeps everything of its kind.
	must(t, s.Prune(ctx, now.Add(1000*day), status.Retention{}))
	if count(status.Day) != 400 {
		t.Fatal("a zero retention pruned")
	}
}

func testTimesUTC(t *testing.T, s status.Store) {
	ctx := t.Context()
	at := time.Date(2025, 1, 6, 17, 30, 0, 123456000, elsewhere) // 12:00:00.123456 UTC
	if !at.Equal(base.Add(123456 * time.Microsecond)) {
		t.Fatal("test setup: wrong instant")
	}
	check := func(what string, got time.Time) {
		t.Helper()
		if !got.Equal(at) || got.Location() != time.UTC {
			t.Errorf("%s = %s, want %s in UTC", what, got, at.UTC())
		}
	}
	must(t, s.SaveResults(ctx, []status.Result{result("c", "local", at, time.Millisecond, true)}))
	rs, err := s.Results(ctx, status.ResultFilter{CheckID: "c"})
	must(t, err)
	check("result time", rs[0].At)

	c, err := s.RecordChange(ctx, status.Change{Component: "api", To: status.Degraded, At: at})
	must(t, err)
	check("recorded change", c.At)
	cs, err := s.Changes(ctx, status.ChangeFilter{})
	must(t, err)
	check("change time", cs[0].At)

	must(t, s.SaveSamples(ctx, []status.Sample{{Name: "m", Value: 1, At: at}}))
	ss, err := s.Samples(ctx, status.SampleFilter{Name: "m"})
	must(t, err)
	check("sample time", ss[0].At)

	a, _, err := s.OpenAlert(ctx, status.Alert{Kind: status.AlertCheck, Subject: "c", Started: at})
	must(t, err)
	must(t, s.ResolveAlert(ctx, a.ID, at))
	as, err := s.Alerts(ctx, status.AlertFilter{})
	must(t, err)
	check("alert start", as[0].Started)
	check("alert resolution", *as[0].Resolved)

	last := result("c", "local", at, time.Millisecond, true)
	must(t, s.SaveCheckState(ctx, status.CheckState{CheckID: "c", Location: "local", State: status.StateUp, Since: at, LastResult: &last}))
	sts, err := s.CheckStates(ctx)
	must(t, err)
	check("state since", sts[0].Since)
	check("state last result", sts[0].LastResult.At)

	must(t, s.Beat(ctx, "job", at))
	hb, _, err := s.LastBeat(ctx, "job")
	must(t, err)
	check("heartbeat", hb)

	m, err := s.CreateMaintenance(ctx, status.Maintenance{Title: "w", Components: []string{"api"}, Start: at, End: at.Add(time.Hour)})
	must(t, err)
	check("maintenance start", m.Start)
	ms, err := s.Maintenances(ctx, base, base.Add(time.Hour))
	must(t, err)
	check("stored maintenance start", ms[0].Start)

	_, err = s.Enqueue(ctx, []status.Notification{{Key: "k", Notifier: "n", Created: at, Message: status.Message{At: at}}})
	must(t, err)
	ns, err := s.ClaimNotifications(ctx, "o", at.Add(time.Second), 1, time.Minute)
	must(t, err)
	check("notification created", ns[0].Created)
	check("message time", ns[0].Message.At)
}
