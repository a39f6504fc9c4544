package detect

import (
	"fmt"
	"math"
	"time"

	"github.com/safetynet-dev/safetynet"
	"github.com/safetynet-dev/safetynet/status"
)

// ThresholdConfig is a fixed limit on a series: it fires when the values
// have been below Below or above Above for at least For.
type ThresholdConfig struct {
	Name         string
	Below, Above *float64
	For          time.Duration
}

// ThresholdFromRule returns the threshold of a configured metric rule.
func ThresholdFromRule(r status.MetricRule) ThresholdConfig {
	return ThresholdConfig{Name: r.Metric, Below: r.Below, Above: r.Above, For: r.For}
}

// Validate reports a threshold that can never fire or always fires, as an
// EINVALID error.
func (c ThresholdConfig) Validate() error {
	switch {
	case c.Below == nil && c.Above == nil:
		return safetynet.Errorf(safetynet.EINVALID, "threshold rule: set below, above or both")
	case c.Below != nil && !finite(*c.Below), c.Above != nil && !finite(*c.Above):
		return safetynet.Errorf(safetynet.EINVALID, "threshold rule: limits must be finite numbers")
	case c.For < 0:
		return safetynet.Errorf(safetynet.EINVALID, "threshold rule: for must not be negative")
	}
	return nil
}

// breach returns the direction in which v crosses a limit, or "".
func (c ThresholdConfig) breach(v float64) (dir string, limit float64) {
	switch {
	case c.Below != nil && v < *c.Below:
		return Drop, *c.Below
	case c.Above != nil && v > *c.Above:
		return Rise, *c.Above
	}
	return "", math.NaN()
}

// Threshold judges series at now against fixed limits: it is anomalous
// when the latest value and every value since the crossing began, at least
// For ago, are past the same limit. Share is 1 while the latest value is
// past a limit, even before For has passed.
func Threshold(series []Point, now time.Time, cfg ThresholdConfig) Verdict {
	s := sortedByTime(series)
	s = s[:after(s, now)]
	name := label(cfg.Name)
	last := len(s) - 1
	for last >= 0 && !finite(s[last].V) {
		last--
	}
	if last < 0 {
		return Verdict{NoData: true, Summary: fmt.Sprintf("%s: no values", name)}
	}
	cur := s[last].V
	dir, limit := cfg.breach(cur)
	if dir == "" {
		v := Verdict{Current: cur}
		switch {
		case cfg.Below != nil && cfg.Above != nil:
			v.Summary = fmt.Sprintf("%s: %s, between %s and %s", name, number(cur), number(*cfg.Below), number(*cfg.Above))
		case cfg.Below != nil:
			v.Summary = fmt.Sprintf("%s: %s, not below %s", name, number(cur), number(*cfg.Below))
		default:
			v.Summary = fmt.Sprintf("%s: %s, not above %s", name, number(cur), number(*cfg.Above))
		}
		return v
	}
	since := s[last].T
	for i := last - 1; i >= 0; i-- {
		if !finite(s[i].V) {
			continue
		}
		if d, _ := cfg.breach(s[i].V); d != dir {
			break
		}
		since = s[i].T
	}
	v := Verdict{
		Anomalous: now.Sub(since) >= cfg.For,
		Direction: dir, Baseline: limit, Current: cur, Deviation: cur - limit,
		Share: 1, Since: since,
	}
	if !v.Anomalous {
		v.Since = time.Time{}
	}
	v.Summary = thresholdSummary(v, name, cfg.For, now)
	return v
}

func thresholdSummary(v Verdict, name string, forDur time.Duration, now time.Time) string {
	word := "below"
	if v.Direction == Rise {
		word = "above"
	}
	if !v.Anomalous {
		return fmt.Sprintf("%s is %s %s (now %s), for less than %s so far", name, word, number(v.Baseline), number(v.Current), forDur)
	}
	return fmt.Sprintf("%s has been %s %s since %s (now %s)", name, word, number(v.Baseline), clock(v.Since, now), number(v.Current))
}
