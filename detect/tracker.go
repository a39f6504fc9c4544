package detect

import (
	"fmt"
	"time"

	"github.com/safetynet-dev/safetynet"
	"github.com/safetynet-dev/safetynet/status"
)

// Change is what an update did to a tracked alert.
type Change int

// The changes.
const (
	Unchanged Change = iota
	Opened
	Resolved
)

func (c Change) String() string {
	switch c {
	case Opened:
		return "opened"
	case Resolved:
		return "resolved"
	}
	return "unchanged"
}

// Tracker follows one series under one metric rule and turns its verdicts
// into an alert that opens and resolves. It opens on the first anomalous
// verdict (which already needs Share of the alert window) and resolves only
// after Recovery during which fewer than half that share of the window was
// anomalous, so a series hovering at the edge does not flap. While the alert
// is open, an anomaly rule keeps judging against the baseline from before it
// opened, for up to one Baseline: otherwise the drop itself would seep into
// the rolling baseline and "heal" the alert within hours. After that the
// new level is taken as usual and the alert resolves, saying so.
//
// A Tracker is not safe for concurrent use.
type Tracker struct {
	threshold *ThresholdConfig
	anomaly   *AnomalyConfig
	recovery  time.Duration

	open     bool
	openedAt time.Time
	lastBad  time.Time
	since    time.Time
	opening  Verdict
}

// NewTracker returns a tracker for a metric rule (kind "anomaly" or
// "threshold"), or an EINVALID error when the rule cannot work.
func NewTracker(rule status.MetricRule) (*Tracker, error) {
	recovery := rule.Recovery
	if recovery == 0 {
		recovery = DefaultRecovery
	}
	t := &Tracker{recovery: recovery}
	switch rule.Kind {
	case "threshold":
		c := ThresholdFromRule(rule)
		if err := c.Validate(); err != nil {
			return nil, fmt.Errorf("rule %s: %w", rule.ID, err)
		}
		t.threshold = &c
	case "anomaly", "":
		c := FromRule(rule)
		if err := c.Validate(); err != nil {
			return nil, fmt.Errorf("rule %s: %w", rule.ID, err)
		}
		t.anomaly = &c
		t.recovery = c.Recovery
	default:
		return nil, safetynet.Errorf(safetynet.EINVALID, "rule %s: kind %q: want anomaly or threshold", rule.ID, rule.Kind)
	}
	return t, nil
}

// Open reports whether the alert is open.
func (t *Tracker) Open() bool { return t.open }

// Restore reopens the alert after a restart, as stored: opened at openedAt
// for a problem that began at since.
func (t *Tracker) Restore(openedAt, since time.Time) {
	t.open, t.openedAt, t.lastBad, t.since = true, openedAt, openedAt, since
}

// Update judges the series at now and reports whether the alert opened or
// resolved. The verdict is as the alert sees it: while the alert is open,
// Anomalous stays set and Since is when the problem began. A verdict with
// NoData changes nothing.
func (t *Tracker) Update(series []Point, now time.Time) (Verdict, Change) {
	v := t.judge(series, now)
	if v.NoData {
		if t.open {
			v.Anomalous, v.Since = true, t.since
		}
		return v, Unchanged
	}
	if !t.open {
		if !v.Anomalous {
			return v, Unchanged
		}
		t.open, t.openedAt, t.lastBad, t.since, t.opening = true, now, now, v.Since, v
		return v, Opened
	}
	share := DefaultShare
	if t.anomaly != nil {
		share = t.anomaly.Share
	}
	if v.Anomalous || v.Share >= share/2 {
		t.lastBad = now
	}
	if now.Sub(t.lastBad) < t.recovery {
		if v.Anomalous {
			// Still bad: say when the problem began, not when the values
			// now in the window did.
			v.Since = t.since
			v.Summary = t.summary(v, now)
		} else {
			v.Anomalous, v.Since = true, t.since
			v.Summary = fmt.Sprintf("recovering since %s, resolves after %s of calm: %s", clock(t.lastBad, now), t.recovery, v.Summary)
		}
		return v, Unchanged
	}
	t.open = false
	if t.anomaly != nil && t.opening.Baseline != 0 && now.Sub(t.openedAt) >= t.anomaly.Baseline {
		if rel := (v.Current - t.opening.Baseline) / t.opening.Baseline; rel > t.anomaly.MinChange || -rel > t.anomaly.MinChange {
			v.Summary = fmt.Sprintf("%s settled at a new level (was %s, now %s) and is taken as usual from now on",
				label(t.anomaly.Name), number(t.opening.Baseline), number(v.Current))
		}
	}
	return v, Resolved
}

func (t *Tracker) summary(v Verdict, now time.Time) string {
	if t.threshold != nil {
		return thresholdSummary(v, label(t.threshold.Name), t.threshold.For, now)
	}
	return anomalySummary(v, label(t.anomaly.Name), now)
}

func (t *Tracker) judge(series []Point, now time.Time) Verdict {
	if t.threshold != nil {
		return Threshold(series, now, *t.threshold)
	}
	cfg := *t.anomaly
	baseEnd := now.Add(-cfg.AlertWindow)
	if t.open && now.Sub(t.openedAt) < cfg.Baseline {
		baseEnd = t.openedAt.Add(-cfg.AlertWindow)
	}
	return evaluate(sortedByTime(series), now, cfg, baseEnd)
}
