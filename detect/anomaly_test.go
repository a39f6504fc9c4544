package detect_test

import (
	"math"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/safetynet-dev/safetynet/detect"
	"github.com/safetynet-dev/safetynet/status"
)

// users is a day of a user count at one-minute resolution, steady around
// 1,000 (whole users), until 21:02 on the second day when a script deletes
// all but 50.
func users(seed uint64) []detect.Point {
	r := noise(seed)
	drop := day0.Add(24*time.Hour + 21*time.Hour + 2*time.Minute)
	return series(day0, 2*24*60, time.Minute, func(_ int, t time.Time) float64 {
		if !t.Before(drop) {
			return 50
		}
		return math.Round(gauss(r, 1000, 5))
	})
}

func ruleConfig(r status.MetricRule) detect.AnomalyConfig { return detect.FromRule(r) }

// The outage this team remembers: a user count drops to 5%. It must fire
// within the alert window of the drop, and say what happened.
func TestEvaluateUserDrop(t *testing.T) {
	s := users(1)
	cfg := ruleConfig(status.MetricRule{Metric: "users", Kind: "anomaly", Direction: detect.Drop})
	drop := day0.Add(45*time.Hour + 2*time.Minute)
	var fired time.Time
	for now := drop.Add(-30 * time.Minute); now.Before(drop.Add(cfg.AlertWindow)); now = now.Add(time.Minute) {
		v := detect.Evaluate(upTo(s, now), now, cfg)
		if v.NoData {
			t.Fatalf("%s: no data: %s", now, v.Summary)
		}
		if v.Anomalous {
			fired = now
			if v.Direction != detect.Drop || !v.Since.Equal(drop) || v.Baseline != 1000 || v.Current != 50 {
				t.Errorf("verdict %+v, want a drop since %s from 1,000 to 50", v, drop)
			}
			want := "users fell to 5% of the usual level (baseline 1,000, now 50) since 21:02 UTC"
			if v.Summary != want {
				t.Errorf("summary %q, want %q", v.Summary, want)
			}
			break
		}
	}
	if fired.IsZero() {
		t.Fatal("the drop never fired")
	}
	// Three of five one-minute values must be low: 21:02, 21:03, 21:04.
	if want := drop.Add(2 * time.Minute); !fired.Equal(want) {
		t.Errorf("fired at %s, want %s", fired.Format("15:04"), want.Format("15:04"))
	}
}

// A latency that doubles is a rise; the same series judged for drops only
// stays quiet.
func TestEvaluateLatencyStep(t *testing.T) {
	r := noise(2)
	step := day0.Add(30 * time.Hour)
	s := series(day0, 31*60, time.Minute, func(_ int, t time.Time) float64 {
		if !t.Before(step) {
			return gauss(r, 400, 20)
		}
		return gauss(r, 200, 10)
	})
	now := step.Add(4 * time.Minute)
	v := detect.Evaluate(upTo(s, now), now, detect.AnomalyConfig{Name: "latency", MinChange: 0.2})
	if !v.Anomalous || v.Direction != detect.Rise || v.Share != 1 || v.Deviation < 10 {
		t.Fatalf("verdict %+v, want a rise over the whole window", v)
	}
	if want := regexp.MustCompile(`^latency rose to 2\.0× the usual level \(baseline 200, now (39\d|40\d)\) since 06:00 UTC$`); !want.MatchString(v.Summary) {
		t.Errorf("summary %q", v.Summary)
	}
	if v := detect.Evaluate(upTo(s, now), now, detect.AnomalyConfig{Direction: detect.Drop}); v.Anomalous {
		t.Errorf("drop-only rule fired on a rise: %+v", v)
	}
	// A smaller rise gets a percentage.
	s2 := series(day0, 25*60, time.Minute, func(i int, _ time.Time) float64 {
		if i >= 24*60 {
			return 130
		}
		return 100
	})
	now = day0.Add(24*time.Hour + 10*time.Minute)
	if v := detect.Evaluate(s2, now, detect.AnomalyConfig{Name: "queue"}); v.Summary != "queue rose 30% above the usual level (baseline 100, now 130) since 00:06 UTC" {
		t.Errorf("summary %q", v.Summary)
	}
}

// traffic is a series with a working-day shape: about 1,000 from 09:00 to
// 17:00 on weekdays, ramping over two hours from 100 at night and 300 at
// weekends, with 3% noise, one value a minute for the given weeks.
func traffic(seed uint64, weeks int) []detect.Point {
	r := noise(seed)
	return series(day0, weeks*7*24*60, time.Minute, func(_ int, t time.Time) float64 {
		h := float64(t.Hour()) + float64(t.Minute())/60
		day := smoothstep(7, 9, h) * (1 - smoothstep(17, 19, h))
		peak := 1000.0
		if wd := t.Weekday(); wd == time.Saturday || wd == time.Sunday {
			peak = 300
		}
		level := 100 + (peak-100)*day
		return gauss(r, level, 0.03*level)
	})
}

// A daily and weekly pattern is not an anomaly once three weeks of history
// show it: judged by the hour of the week, the fourth week never fires,
// though a plain 24-hour baseline fires every morning. A real drop in the
// fourth week still fires.
func TestEvaluateSeasonalPattern(t *testing.T) {
	s := traffic(3, 4)
	plain := detect.FromRule(status.MetricRule{Metric: "calls", Kind: "anomaly"})
	seasonal := plain
	seasonal.Seasonality = detect.HourOfWeek
	start := day0.Add(3 * 7 * 24 * time.Hour)
	plainFires, seasonalFires, evals := 0, 0, 0
	for now := start; now.Before(start.Add(7 * 24 * time.Hour)); now = now.Add(10 * time.Minute) {
		past := upTo(s, now)
		evals++
		if detect.Evaluate(past, now, plain).Anomalous {
			plainFires++
		}
		v := detect.Evaluate(past, now, seasonal)
		if !v.Seasonal {
			t.Fatalf("%s: seasonal baseline not used with three weeks of history: %s", now, v.Summary)
		}
		if v.Anomalous {
			seasonalFires++
			t.Errorf("%s: fired on the usual pattern: %s", now.Format("Mon 15:04"), v.Summary)
		}
	}
	t.Logf("%d evaluations over the fourth week: plain baseline fired %d times, hour of week %d", evals, plainFires, seasonalFires)
	if plainFires == 0 {
		t.Error("the plain baseline never fired: the pattern does not test seasonality")
	}

	// Wednesday of week four, 11:00: calls drop to 5%.
	drop := start.Add(2*24*time.Hour + 11*time.Hour)
	for i := range s {
		if !s[i].T.Before(drop) {
			s[i].V *= 0.05
		}
	}
	now := drop.Add(4 * time.Minute)
	v := detect.Evaluate(upTo(s, now), now, seasonal)
	if !v.Anomalous || v.Direction != detect.Drop || !v.Seasonal {
		t.Fatalf("drop in week four: %+v", v)
	}
	if !strings.Contains(v.Summary, "of the usual level for this hour of the week") {
		t.Errorf("summary %q", v.Summary)
	}

	// With two weeks of history there is no seasonal baseline yet.
	now = day0.Add(14*24*time.Hour + 10*time.Hour)
	if v := detect.Evaluate(upTo(s, now), now, seasonal); v.Seasonal {
		t.Errorf("seasonal baseline used with two weeks of history")
	}
}

// Pure noise must not fire. Over 20 seeds, each a day of history and then
// 12 hours judged every minute with no minimum change (so only the bounds
// hold it back), Gaussian noise of 10% of the level must open fewer than one
// alert per 10,000 evaluations.
func TestEvaluateNoiseDoesNotFire(t *testing.T) {
	const seeds = 20
	rule := status.MetricRule{Metric: "signins", Kind: "anomaly", MinChange: 1e-9}
	opened, evals := 0, 0
	for seed := range uint64(seeds) {
		r := noise(100 + seed)
		s := series(day0, 36*60, time.Minute, func(int, time.Time) float64 { return gauss(r, 500, 50) })
		tr, err := detect.NewTracker(rule)
		if err != nil {
			t.Fatal(err)
		}
		for i := 24 * 60; i < len(s); i++ {
			now := s[i].T
			_, ch := tr.Update(s[:i+1], now)
			evals++
			if ch == detect.Opened {
				opened++
			}
		}
	}
	t.Logf("%d alerts opened in %d evaluations of noise", opened, evals)
	if float64(opened)/float64(evals) >= 1e-4 {
		t.Errorf("%d alerts opened in %d evaluations of noise, want under 1 in 10,000", opened, evals)
	}
}

// A perfectly flat series has no spread (MAD 0): the minimum change decides.
// A series flat but for rare blips gets its spread from the blips.
func TestEvaluateFlat(t *testing.T) {
	now := day0.Add(25 * time.Hour)
	flat := func(before, after float64) []detect.Point {
		return series(day0, 25*60+1, time.Minute, func(i int, _ time.Time) float64 {
			if i > 25*60-5 {
				return after
			}
			return before
		})
	}
	cfg := detect.FromRule(status.MetricRule{Metric: "users", Kind: "anomaly"})
	for _, tc := range []struct {
		name    string
		s       []detect.Point
		fire    bool
		summary string
	}{
		{"unchanged", flat(1000, 1000), false, "users: within its usual range (baseline 1,000, now 1,000)"},
		{"one user more", flat(1000, 1001), false, ""},
		{"19% fewer", flat(1000, 810), false, ""},
		{"half gone", flat(1000, 500), true, "users fell to 50% of the usual level (baseline 1,000, now 500) since 00:56 UTC"},
		{"all gone", flat(1000, 0), true, "users fell to zero (baseline 1,000, now 0) since 00:56 UTC"},
		{"from zero", flat(0, 3), true, "users rose from 0 to 3 since 00:56 UTC"},
	} {
		v := detect.Evaluate(tc.s, now, cfg)
		if v.Anomalous != tc.fire || v.NoData || math.IsInf(v.Deviation, 0) || math.IsNaN(v.Deviation) {
			t.Errorf("%s: %+v, want anomalous %v", tc.name, v, tc.fire)
		}
		if tc.summary != "" && v.Summary != tc.summary {
			t.Errorf("%s: summary %q, want %q", tc.name, v.Summary, tc.summary)
		}
	}

	// Blips of +1% every 20 minutes give a spread; a window at +1%
	// throughout is unusual for this series only if MinChange allows.
	blips := series(day0, 25*60+1, time.Minute, func(i int, _ time.Time) float64 {
		if i%20 == 0 || i > 25*60-5 {
			return 1010
		}
		return 1000
	})
	if v := detect.Evaluate(blips, now, cfg); v.Anomalous {
		t.Errorf("a 1%% change fired despite min_change 0.2: %+v", v)
	}
	if v := detect.Evaluate(blips, now, detect.AnomalyConfig{Name: "users"}); !v.Anomalous || v.Deviation <= 3 || v.Deviation >= 1000 {
		t.Errorf("without min_change a sustained blip level should fire with a finite deviation: %+v", v)
	}
	blips[len(blips)-4].V, blips[len(blips)-3].V, blips[len(blips)-2].V = 1000, 1000, 1000
	if v := detect.Evaluate(blips, now, detect.AnomalyConfig{Name: "users"}); v.Anomalous {
		t.Errorf("two blips in five values fired: %+v", v)
	}
}

func TestEvaluateTooLittleData(t *testing.T) {
	now := day0.Add(time.Hour)
	cfg := detect.AnomalyConfig{Name: "users"}
	for _, tc := range []struct {
		name string
		s    []detect.Point
		want string
	}{
		{"empty", nil, "users: no values in the last 5m0s"},
		{"short history", series(now.Add(-9*time.Minute), 10, time.Minute, func(int, time.Time) float64 { return 1 }),
			"users: not enough history yet (5 values in the baseline, need 10)"},
		{"silent", series(day0, 30, time.Minute, func(int, time.Time) float64 { return 1 }), "users: no values in the last 5m0s"},
		{"not numbers", series(now.Add(-time.Minute), 2, time.Minute, func(int, time.Time) float64 { return math.NaN() }), "users: no usable values in the last 5m0s"},
	} {
		v := detect.Evaluate(tc.s, now, cfg)
		if !v.NoData || v.Anomalous || v.Summary != tc.want {
			t.Errorf("%s: %+v, want no data: %q", tc.name, v, tc.want)
		}
	}
}

// Values may come in any order, and values after now are ignored.
func TestEvaluateUnorderedAndFuture(t *testing.T) {
	s := users(4)
	now := day0.Add(45*time.Hour + 5*time.Minute)
	want := detect.Evaluate(upTo(s, now), now, detect.AnomalyConfig{Name: "users"})
	rev := make([]detect.Point, len(s))
	for i, p := range s {
		rev[len(s)-1-i] = p
	}
	if got := detect.Evaluate(rev, now, detect.AnomalyConfig{Name: "users"}); got != want {
		t.Errorf("reversed series: %+v, want %+v", got, want)
	}
	if !want.Anomalous {
		t.Errorf("drop not found: %+v", want)
	}
}

func TestAnomalyConfig(t *testing.T) {
	got := detect.FromRule(status.MetricRule{Metric: "users", Kind: "anomaly"})
	want := detect.AnomalyConfig{Name: "users", Direction: detect.Both, Bounds: 3, Baseline: 24 * time.Hour,
		AlertWindow: 5 * time.Minute, Share: 0.6, MinChange: 0.2, Recovery: 10 * time.Minute}
	if got != want {
		t.Errorf("FromRule = %+v, want %+v", got, want)
	}
	for _, bad := range []detect.AnomalyConfig{
		{Direction: "sideways"}, {Bounds: -1}, {Share: 1.5}, {MinChange: -0.1},
		{Seasonality: "monthly"}, {AlertWindow: -time.Minute}, {Bounds: math.Inf(1)},
	} {
		if bad.Validate() == nil {
			t.Errorf("%+v: no error", bad)
		}
	}
	if err := (detect.AnomalyConfig{}).Validate(); err != nil {
		t.Errorf("zero config: %v", err)
	}
}
