package detect

import (
	"fmt"
	"math"
	"time"

	"github.com/safetynet-dev/safetynet"
	"github.com/safetynet-dev/safetynet/status"
)

// Directions of a change.
const (
	Drop = "drop"
	Rise = "rise"
	Both = "both"
)

// HourOfWeek is the seasonality that compares each moment with the same
// moment of earlier weeks.
const HourOfWeek = "hour_of_week"

// Default anomaly settings: those documented on status.MetricRule.
const (
	DefaultBounds      = 3.0
	DefaultBaseline    = 24 * time.Hour
	DefaultAlertWindow = 5 * time.Minute
	DefaultShare       = 0.6
	DefaultRecovery    = 10 * time.Minute
	DefaultMinChange   = 0.2
)

const (
	// minBaseline is the fewest values a baseline may be made of: a median
	// of fewer says little about what is usual.
	minBaseline = 10
	week        = 7 * 24 * time.Hour
	// Seasonal baselines look back up to six weeks and need at least three,
	// so one odd week cannot set the expectation.
	seasonalWeeks    = 6
	minSeasonalWeeks = 3
	// seasonalHalfWidth is how far either side of the same moment of an
	// earlier week values are taken from: wide enough to have some, narrow
	// enough to follow a morning ramp.
	seasonalHalfWidth = 30 * time.Minute
	// maxDeviation caps Deviation so it stays a finite number (JSON has no
	// infinity) when the baseline had no spread at all.
	maxDeviation = 1000
)

// AnomalyConfig says how a series is compared with its own past. Evaluate
// replaces zero fields by the defaults, except MinChange and Recovery, for
// which zero means none; FromRule applies the defaults of a configured rule,
// where zero means default throughout.
type AnomalyConfig struct {
	// Name names the series in summaries ("users").
	Name string
	// Direction is drop, rise or both.
	Direction string
	// Bounds is how far from the baseline a value must be to count as
	// anomalous, in scaled MADs (about standard deviations for normal
	// noise).
	Bounds float64
	// Baseline is the history before the alert window that the usual
	// level is taken from (without seasonality).
	Baseline time.Duration
	// AlertWindow is the recent stretch that is judged.
	AlertWindow time.Duration
	// Share is the fraction (0-1] of the alert window's values that must be
	// anomalous, in one direction, for the series to be anomalous.
	Share float64
	// MinChange is the smallest change relative to the baseline that
	// counts, so a very steady series does not fire on a change nobody
	// would care about.
	MinChange float64
	// Recovery is how long an open alert must stay calm before it resolves
	// (used by Tracker).
	Recovery time.Duration
	// Seasonality is empty or hour_of_week: compare each value with the
	// same time of earlier weeks when three weeks of history are there.
	Seasonality string
}

// FromRule returns the anomaly settings of a configured metric rule, with
// the defaults documented on status.MetricRule.
func FromRule(r status.MetricRule) AnomalyConfig {
	c := AnomalyConfig{
		Name: r.Metric, Direction: r.Direction, Bounds: r.Bounds, Baseline: r.Baseline,
		AlertWindow: r.AlertWindow, Share: r.Share, MinChange: r.MinChange,
		Recovery: r.Recovery, Seasonality: r.Seasonality,
	}
	if c.MinChange == 0 {
		c.MinChange = DefaultMinChange
	}
	if c.Recovery == 0 {
		c.Recovery = DefaultRecovery
	}
	return c.withDefaults()
}

func (c AnomalyConfig) withDefaults() AnomalyConfig {
	if c.Direction == "" {
		c.Direction = Both
	}
	if c.Bounds == 0 {
		c.Bounds = DefaultBounds
	}
	if c.Baseline == 0 {
		c.Baseline = DefaultBaseline
	}
	if c.AlertWindow == 0 {
		c.AlertWindow = DefaultAlertWindow
	}
	if c.Share == 0 {
		c.Share = DefaultShare
	}
	return c
}

// Validate reports the first setting that cannot work, as an EINVALID
// error. Zero fields are valid.
func (c AnomalyConfig) Validate() error {
	c = c.withDefaults()
	bad := func(format string, args ...any) error {
		return safetynet.Errorf(safetynet.EINVALID, "anomaly rule: "+format, args...)
	}
	switch {
	case c.Direction != Drop && c.Direction != Rise && c.Direction != Both:
		return bad("direction %q: want drop, rise or both", c.Direction)
	case !(c.Bounds > 0) || math.IsInf(c.Bounds, 0):
		return bad("bounds %v: want a positive number", c.Bounds)
	case c.Baseline < 0 || c.AlertWindow < 0 || c.Recovery < 0:
		return bad("durations must not be negative")
	case !(c.Share > 0 && c.Share <= 1):
		return bad("share %v: want a fraction above 0 and at most 1", c.Share)
	case !(c.MinChange >= 0) || math.IsInf(c.MinChange, 0):
		return bad("min_change %v: want a fraction of at least 0", c.MinChange)
	case c.Seasonality != "" && c.Seasonality != HourOfWeek:
		return bad("seasonality %q: want hour_of_week or nothing", c.Seasonality)
	}
	return nil
}

// Verdict is the judgement of a series at one moment.
type Verdict struct {
	// Anomalous is set when the series is outside its usual range (or
	// past its threshold) as the rule requires.
	Anomalous bool
	// Direction is drop or rise: the way most anomalous values went; empty
	// when none did.
	Direction string
	// Baseline is the usual level (for a threshold: the limit crossed);
	// Current is the median of the alert window (for a threshold: the
	// latest value).
	Baseline, Current float64
	// Deviation is how far Current is from Baseline in spreads (scaled
	// MADs), signed, capped at ±1000; for a threshold, in the metric's own
	// units past the limit.
	Deviation float64
	// Share is the fraction of the alert window's values that were
	// anomalous in Direction.
	Share float64
	// Since is when the problem began: the first anomalous value.
	Since time.Time
	// Seasonal is set when the baseline came from the same hour of earlier
	// weeks.
	Seasonal bool
	// NoData is set when there was too little data to judge; Summary says
	// what is missing.
	NoData bool
	// Summary says it for a person: "users fell to 5% of the usual level
	// (baseline 1,000, now 50) since 21:02 UTC".
	Summary string
}

// Evaluate judges series (values in any order; those after now are
// ignored) at now: the values of the last AlertWindow are compared with the
// baseline, and the series is anomalous when at least Share of them lie
// beyond Bounds spreads and MinChange of the baseline, in an allowed
// direction. It is a pure function; Tracker adds the memory that turns
// verdicts into alerts.
func Evaluate(series []Point, now time.Time, cfg AnomalyConfig) Verdict {
	cfg = cfg.withDefaults()
	return evaluate(sortedByTime(series), now, cfg, now.Add(-cfg.AlertWindow))
}

// evaluate judges a sorted series against a baseline that ends at baseEnd:
// the start of the alert window, or earlier when Tracker holds the
// baseline from before an open alert.
func evaluate(s []Point, now time.Time, cfg AnomalyConfig, baseEnd time.Time) Verdict {
	name := label(cfg.Name)
	window := s[after(s, now.Add(-cfg.AlertWindow)):after(s, now)]
	if len(window) == 0 {
		return Verdict{NoData: true, Summary: fmt.Sprintf("%s: no values in the last %s", name, cfg.AlertWindow)}
	}
	usable := 0
	for _, p := range window {
		if finite(p.V) {
			usable++
		}
	}
	if usable == 0 {
		return Verdict{NoData: true, Summary: fmt.Sprintf("%s: no usable values in the last %s", name, cfg.AlertWindow)}
	}
	exp := make([]float64, len(window))
	spread := make([]float64, len(window))
	seasonal := cfg.Seasonality == HourOfWeek && seasonalBaseline(s, window, baseEnd, exp, spread)
	if !seasonal {
		base := s[after(s, baseEnd.Add(-cfg.Baseline)):after(s, baseEnd)]
		vals := make([]float64, 0, len(base))
		for _, p := range base {
			if finite(p.V) {
				vals = append(vals, p.V)
			}
		}
		if len(vals) < minBaseline {
			return Verdict{NoData: true, Summary: fmt.Sprintf("%s: not enough history yet (%d values in the baseline, need %d)", name, len(vals), minBaseline)}
		}
		m, sp := center(vals, make([]float64, len(vals)))
		for k := range window {
			exp[k], spread[k] = m, sp
		}
	}

	var drops, rises int
	var firstDrop, firstRise time.Time
	cur := make([]float64, 0, len(window))
	devs := make([]float64, 0, len(window))
	for k, p := range window {
		if !finite(p.V) {
			continue
		}
		cur = append(cur, p.V)
		d := p.V - exp[k]
		// A spread below a billionth of the level is rounding, not
		// steadiness.
		sp := max(spread[k], 1e-9*math.Abs(exp[k]))
		devs = append(devs, deviation(d, sp))
		if d == 0 || math.Abs(d) <= cfg.Bounds*sp || math.Abs(d) < cfg.MinChange*math.Abs(exp[k]) {
			continue
		}
		if d < 0 && cfg.Direction != Rise {
			if drops == 0 {
				firstDrop = p.T
			}
			drops++
		}
		if d > 0 && cfg.Direction != Drop {
			if rises == 0 {
				firstRise = p.T
			}
			rises++
		}
	}
	v := Verdict{Seasonal: seasonal, Current: median(cur), Baseline: median(exp), Deviation: median(devs)}
	n := float64(len(cur))
	switch {
	case drops > 0 && drops >= rises:
		v.Direction, v.Share, v.Since = Drop, float64(drops)/n, firstDrop
	case rises > 0:
		v.Direction, v.Share, v.Since = Rise, float64(rises)/n, firstRise
	}
	v.Anomalous = v.Share > 0 && v.Share >= cfg.Share
	if !v.Anomalous {
		v.Since = time.Time{}
	}
	v.Summary = anomalySummary(v, name, now)
	return v
}

// label names a series in summaries.
func label(name string) string {
	if name == "" {
		return "the metric"
	}
	return name
}

func deviation(d, spread float64) float64 {
	if spread > 0 {
		d /= spread
	} else if d != 0 {
		d = math.Copysign(maxDeviation, d)
	}
	return max(-maxDeviation, min(maxDeviation, d))
}

// seasonalBaseline fills the expected value and spread of each window value
// from values near the same moment of up to six earlier weeks (none after
// baseEnd). It reports false, leaving the plain baseline to be used, when
// any window value has fewer than three such weeks.
func seasonalBaseline(s, window []Point, baseEnd time.Time, exp, spread []float64) bool {
	// A cheap refusal when the history cannot reach three weeks back.
	if len(s) == 0 || s[0].T.After(window[len(window)-1].T.Add(-minSeasonalWeeks*week+seasonalHalfWidth)) {
		return false
	}
	var vals, scratch []float64
	for k, p := range window {
		vals = vals[:0]
		weeks := 0
		for w := 1; w <= seasonalWeeks; w++ {
			c := p.T.Add(-time.Duration(w) * week)
			from, to := c.Add(-seasonalHalfWidth), c.Add(seasonalHalfWidth)
			if to.After(baseEnd) {
				to = baseEnd
			}
			if !from.Before(to) {
				continue
			}
			got := 0
			for _, q := range s[after(s, from):after(s, to)] {
				if finite(q.V) {
					vals = append(vals, q.V)
					got++
				}
			}
			if got > 0 {
				weeks++
			}
		}
		if weeks < minSeasonalWeeks || len(vals) < minBaseline {
			return false
		}
		if cap(scratch) < len(vals) {
			scratch = make([]float64, len(vals))
		}
		exp[k], spread[k] = center(vals, scratch[:len(vals)])
	}
	return true
}

func anomalySummary(v Verdict, name string, now time.Time) string {
	usual := "the usual level"
	if v.Seasonal {
		usual = "the usual level for this hour of the week"
	}
	b, c := v.Baseline, v.Current
	nums := fmt.Sprintf("(baseline %s, now %s)", number(b), number(c))
	if !v.Anomalous {
		return fmt.Sprintf("%s: within its usual range %s", name, nums)
	}
	since := " since " + clock(v.Since, now)
	switch {
	case b <= 0 || c < 0:
		verb := "fell"
		if v.Direction == Rise {
			verb = "rose"
		}
		return fmt.Sprintf("%s %s from %s to %s%s", name, verb, number(b), number(c), since)
	case v.Direction == Drop && c == 0:
		return fmt.Sprintf("%s fell to zero %s%s", name, nums, since)
	case v.Direction == Drop:
		return fmt.Sprintf("%s fell to %s of %s %s%s", name, percent(c/b), usual, nums, since)
	case c/b >= 1.5:
		return fmt.Sprintf("%s rose to %s %s %s%s", name, times(c/b), usual, nums, since)
	default:
		return fmt.Sprintf("%s rose %s above %s %s%s", name, percent(c/b-1), usual, nums, since)
	}
}
