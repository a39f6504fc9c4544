package detect_test

import (
	"math"
	"strings"
	"testing"
	"time"

	"github.com/safetynet-dev/safetynet"
	"github.com/safetynet-dev/safetynet/detect"
	"github.com/safetynet-dev/safetynet/status"
)

// replay feeds a tracker the series as it grows, one update each step from
// start to end, and returns the times at which the alert opened and
// resolved.
func replay(t *testing.T, tr *detect.Tracker, s []detect.Point, start, end time.Time, step time.Duration) (opened, resolved []time.Time, last detect.Verdict) {
	t.Helper()
	for now := start; !now.After(end); now = now.Add(step) {
		v, ch := tr.Update(upTo(s, now), now)
		last = v
		switch ch {
		case detect.Opened:
			opened = append(opened, now)
		case detect.Resolved:
			resolved = append(resolved, now)
		}
		if v.Anomalous != tr.Open() {
			t.Fatalf("%s: verdict anomalous %v but alert open %v", now, v.Anomalous, tr.Open())
		}
	}
	return opened, resolved, last
}

// withDip returns a steady user count with the given stretches at 5%.
func withDip(dips ...[2]time.Time) []detect.Point {
	r := noise(9)
	return series(day0, 2*24*60, time.Minute, func(_ int, t time.Time) float64 {
		for _, d := range dips {
			if !t.Before(d[0]) && t.Before(d[1]) {
				return 50
			}
		}
		return math.Round(gauss(r, 1000, 5))
	})
}

func mustTracker(t *testing.T, r status.MetricRule) *detect.Tracker {
	t.Helper()
	tr, err := detect.NewTracker(r)
	if err != nil {
		t.Fatal(err)
	}
	return tr
}

var usersRule = status.MetricRule{ID: "users-drop", Metric: "users", Kind: "anomaly", Direction: detect.Drop}

// A drop from 21:02 to 21:30: one alert, opened at 21:04 and resolved only
// after ten calm minutes, when the window no longer holds the drop.
func TestTrackerRecovery(t *testing.T) {
	at := func(hm string) time.Time {
		c, _ := time.Parse("15:04", hm)
		return day0.Add(24*time.Hour + time.Duration(c.Hour())*time.Hour + time.Duration(c.Minute())*time.Minute)
	}
	s := withDip([2]time.Time{at("21:02"), at("21:30")})
	opened, resolved, last := replay(t, mustTracker(t, usersRule), s, at("20:00"), at("23:00"), time.Minute)
	if len(opened) != 1 || !opened[0].Equal(at("21:04")) {
		t.Errorf("opened at %v, want once at 21:04", opened)
	}
	// The last low value is 21:29; from 21:33 at most one of five window
	// values is low, so 21:32 was the last bad minute and 21:42 resolves.
	if len(resolved) != 1 || !resolved[0].Equal(at("21:42")) {
		t.Errorf("resolved at %v, want once at 21:42", resolved)
	}
	tr := mustTracker(t, usersRule)
	replay(t, tr, s, at("20:00"), at("21:34"), time.Minute)
	v, _ := tr.Update(upTo(s, at("21:35")), at("21:35"))
	if want := "recovering since 21:32 UTC, resolves after 10m0s of calm: users: within its usual range (baseline 1,000, now "; !v.Anomalous || !strings.HasPrefix(v.Summary, want) {
		t.Errorf("while recovering: %+v, want summary %q", v, want)
	}
	if last.Anomalous || !strings.HasPrefix(last.Summary, "users: within its usual range") {
		t.Errorf("last verdict %+v", last)
	}
}

// A brief recovery in the middle of a drop does not resolve and reopen the
// alert: it stays open throughout and says when the problem began.
func TestTrackerNoFlapping(t *testing.T) {
	base := day0.Add(24*time.Hour + 21*time.Hour)
	s := withDip([2]time.Time{base, base.Add(20 * time.Minute)}, [2]time.Time{base.Add(26 * time.Minute), base.Add(40 * time.Minute)})
	tr := mustTracker(t, usersRule)
	opened, resolved, _ := replay(t, tr, s, base.Add(-time.Hour), base.Add(35*time.Minute), time.Minute)
	if len(opened) != 1 || len(resolved) != 0 {
		t.Fatalf("opened %v resolved %v, want one opening and no resolution", opened, resolved)
	}
	v, _ := tr.Update(upTo(s, base.Add(36*time.Minute)), base.Add(36*time.Minute))
	if !v.Anomalous || !v.Since.Equal(base) || !strings.HasSuffix(v.Summary, "since 21:00 UTC") {
		t.Errorf("verdict while open: %+v", v)
	}
}

// A lasting drop stays open while the baseline from before it is held (one
// Baseline, 24 hours), then resolves saying the level has changed.
func TestTrackerHoldsBaselineThenAcceptsNewLevel(t *testing.T) {
	r := noise(10)
	drop := day0.Add(24 * time.Hour)
	s := series(day0, 3*24*60, time.Minute, func(_ int, t time.Time) float64 {
		if !t.Before(drop) {
			return math.Round(gauss(r, 50, 1))
		}
		return math.Round(gauss(r, 1000, 5))
	})
	tr := mustTracker(t, usersRule)
	opened, resolved, _ := replay(t, tr, s, drop.Add(-time.Hour), drop.Add(47*time.Hour), 5*time.Minute)
	if len(opened) != 1 {
		t.Fatalf("opened %v, want once", opened)
	}
	if len(resolved) != 1 || resolved[0].Sub(opened[0]) < 24*time.Hour {
		t.Fatalf("resolved %v, want once, a day or more after opening at %s", resolved, opened[0])
	}
}

func TestTrackerSettledSummary(t *testing.T) {
	drop := day0.Add(24 * time.Hour)
	s := series(day0, 3*24*60, time.Minute, func(_ int, t time.Time) float64 {
		if !t.Before(drop) {
			return 50
		}
		return 1000
	})
	tr := mustTracker(t, usersRule)
	var summary string
	for now := drop.Add(-time.Hour); now.Before(drop.Add(47 * time.Hour)); now = now.Add(10 * time.Minute) {
		if v, ch := tr.Update(upTo(s, now), now); ch == detect.Resolved {
			summary = v.Summary
			break
		}
	}
	want := "users settled at a new level (was 1,000, now 50) and is taken as usual from now on"
	if summary != want {
		t.Errorf("resolution summary %q, want %q", summary, want)
	}
}

// Missing data neither opens nor resolves an alert.
func TestTrackerNoData(t *testing.T) {
	drop := day0.Add(24*time.Hour + 21*time.Hour)
	s := withDip([2]time.Time{drop, drop.Add(10 * time.Hour)})
	tr := mustTracker(t, usersRule)
	now := drop.Add(5 * time.Minute)
	if _, ch := tr.Update(upTo(s, now), now); ch != detect.Opened {
		t.Fatalf("drop did not open: %v", ch)
	}
	// The pusher dies: no values at all for an hour.
	for later := now.Add(6 * time.Minute); later.Before(now.Add(time.Hour)); later = later.Add(time.Minute) {
		v, ch := tr.Update(upTo(s, now), later)
		if ch != detect.Unchanged || !v.NoData || !v.Anomalous {
			t.Fatalf("%s: %v %+v, want unchanged, no data, still open", later, ch, v)
		}
	}
}

func TestTrackerRestore(t *testing.T) {
	s := withDip()
	tr := mustTracker(t, usersRule)
	opened := day0.Add(30 * time.Hour)
	tr.Restore(opened, opened.Add(-2*time.Minute))
	if !tr.Open() {
		t.Fatal("restored alert not open")
	}
	// The series is normal: the restored alert resolves after Recovery.
	_, resolved, _ := replay(t, tr, s, opened, opened.Add(time.Hour), time.Minute)
	if len(resolved) != 1 || !resolved[0].Equal(opened.Add(10*time.Minute)) {
		t.Errorf("resolved %v, want once at %s", resolved, opened.Add(10*time.Minute))
	}
}

func TestTrackerThreshold(t *testing.T) {
	limit := 100.0
	rule := status.MetricRule{ID: "queue", Metric: "queue_depth", Kind: "threshold", Above: &limit, For: 5 * time.Minute, Recovery: 2 * time.Minute}
	start := day0.Add(21 * time.Hour)
	s := series(start, 60, time.Minute, func(i int, _ time.Time) float64 {
		if i >= 10 && i < 30 {
			return 250
		}
		return 20
	})
	tr := mustTracker(t, rule)
	opened, resolved, _ := replay(t, tr, s, start, start.Add(time.Hour), time.Minute)
	if len(opened) != 1 || !opened[0].Equal(start.Add(15*time.Minute)) {
		t.Errorf("opened %v, want once at 21:15", opened)
	}
	// The last value above is 21:29's; two calm minutes later it resolves.
	if len(resolved) != 1 || !resolved[0].Equal(start.Add(31*time.Minute)) {
		t.Errorf("resolved %v, want once at 21:31", resolved)
	}
	v := detect.Threshold(s, start.Add(20*time.Minute), detect.ThresholdFromRule(rule))
	if want := "queue_depth has been above 100 since 21:10 UTC (now 250)"; !v.Anomalous || v.Summary != want || v.Deviation != 150 {
		t.Errorf("verdict %+v, want summary %q", v, want)
	}
	v = detect.Threshold(s, start.Add(12*time.Minute), detect.ThresholdFromRule(rule))
	if want := "queue_depth is above 100 (now 250), for less than 5m0s so far"; v.Anomalous || v.Summary != want {
		t.Errorf("verdict %+v, want summary %q", v, want)
	}
	below := 10.0
	v = detect.Threshold(s, start.Add(time.Hour), detect.ThresholdConfig{Name: "queue_depth", Below: &below, Above: &limit})
	if want := "queue_depth: 20, between 10 and 100"; v.Anomalous || v.Summary != want {
		t.Errorf("verdict %+v, want summary %q", v, want)
	}
	if v := detect.Threshold(nil, start, detect.ThresholdFromRule(rule)); !v.NoData {
		t.Errorf("empty series: %+v", v)
	}
}

func TestNewTrackerRejects(t *testing.T) {
	nan := math.NaN()
	for _, r := range []status.MetricRule{
		{ID: "a", Kind: "threshold"},
		{ID: "b", Kind: "threshold", Below: &nan},
		{ID: "c", Kind: "anomaly", Direction: "up"},
		{ID: "d", Kind: "anomaly", Share: 2},
		{ID: "e", Kind: "forecast"},
	} {
		if _, err := detect.NewTracker(r); safetynet.ErrorCode(err) != safetynet.EINVALID {
			t.Errorf("rule %s: err %v, want EINVALID", r.ID, err)
		}
	}
}
