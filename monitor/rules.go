package monitor

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"slices"
	"time"

	"github.com/safetynet-dev/safetynet"
	"github.com/safetynet-dev/safetynet/detect"
	"github.com/safetynet-dev/safetynet/incident"
	"github.com/safetynet-dev/safetynet/status"
)

// Ingest validates and stores pushed metric samples. A bad sample rejects
// the whole batch with an EINVALID error naming it, so a client never
// wonders which part was kept.
func (m *Monitor) Ingest(ctx context.Context, ss []status.Sample) error {
	for i := range ss {
		if err := ss[i].Validate(); err != nil {
			return safetynet.Errorf(safetynet.EINVALID, "sample %d: %s", i, safetynet.ErrorMessage(err))
		}
	}
	if len(ss) == 0 {
		return nil
	}
	if err := m.store.SaveSamples(ctx, ss); err != nil {
		return fmt.Errorf("monitor: save samples: %w", err)
	}
	return nil
}

// evaluate runs Evaluate every EvalEvery until ctx is done.
func (m *Monitor) evaluate(ctx context.Context) {
	for {
		select {
		case <-ctx.Done():
			return
		case <-m.opts.Wait(m.now().Add(m.opts.EvalEvery)):
		}
		m.Evaluate(ctx)
	}
}

// Evaluate judges every metric rule and outlier group once, opening and
// resolving their alerts, and re-decides every component so that
// maintenance windows opening and closing show. Run calls it every
// EvalEvery; it is exported for tests and for a server that wants an
// evaluation now (after a reload).
func (m *Monitor) Evaluate(ctx context.Context) {
	m.evalMu.Lock()
	defer m.evalMu.Unlock()
	m.mu.Lock()
	rules := m.plan.MetricRules
	groups := m.plan.OutlierGroups
	m.mu.Unlock()
	now := m.now()
	m.mu.Lock()
	for key, st := range m.trackers {
		if !slices.ContainsFunc(rules, func(r status.MetricRule) bool { return r.ID == st.rule.ID }) {
			delete(m.trackers, key) // the rule was removed by a reload
		}
	}
	m.mu.Unlock()
	for _, r := range rules {
		if err := m.evaluateRule(ctx, r, now); err != nil && ctx.Err() == nil {
			m.log.Error("monitor: metric rule", "rule", r.ID, "err", err)
		}
	}
	for _, g := range groups {
		if err := m.evaluateGroup(ctx, g, now); err != nil && ctx.Err() == nil {
			m.log.Error("monitor: outlier group", "group", g.ID, "err", err)
		}
	}
	m.checkAgents(ctx, now)
	m.decideAll(ctx, nil)
}

// seriesTrack keeps a rule's judgement of one series between evaluations.
type seriesTrack struct {
	rule    status.MetricRule
	tracker *detect.Tracker
	fresh   bool // not yet told about an alert left open by an earlier run
}

// evaluateRule judges every series a rule covers.
func (m *Monitor) evaluateRule(ctx context.Context, r status.MetricRule, now time.Time) error {
	samples, err := m.store.Samples(ctx, status.SampleFilter{Name: r.Metric, Tags: r.Tags, Since: now.Add(-ruleHistory(r))})
	if err != nil {
		return fmt.Errorf("read samples: %w", err)
	}
	series := map[string][]detect.Point{}
	tags := map[string]map[string]string{}
	var order []string
	for i := range samples {
		s := &samples[i]
		k := s.SeriesKey()
		if _, ok := series[k]; !ok {
			order = append(order, k)
			tags[k] = s.Tags
		}
		series[k] = append(series[k], detect.Point{T: s.At, V: s.Value})
	}
	kind := status.AlertAnomaly
	if r.Kind == "threshold" {
		kind = status.AlertThreshold
	}
	var open []status.Alert // read once, when a new tracker needs it
	changed := false
	for _, k := range order {
		st, err := m.seriesTrack(r, k)
		if err != nil {
			return err
		}
		subject := r.ID + " " + k
		if st.fresh {
			// After a restart or a changed rule, an alert still open
			// carries on rather than being opened again.
			if open == nil {
				if open, err = m.store.Alerts(ctx, status.AlertFilter{OpenOnly: true, Component: r.Component}); err != nil {
					return fmt.Errorf("read open alerts: %w", err)
				}
			}
			for _, a := range open {
				if a.Kind == kind && a.Subject == subject {
					st.tracker.Restore(a.Started, a.Started)
				}
			}
			st.fresh = false
		}
		v, change := st.tracker.Update(series[k], now)
		switch change {
		case detect.Opened:
			if v.Since.IsZero() {
				v.Since = now
			}
			customer := r.Customer
			if customer == "" {
				customer = tags[k]["customer"]
			}
			a := status.Alert{
				Kind: kind, Component: r.Component, Customer: customer, Subject: subject,
				Summary: v.Summary, Status: r.Status, Started: v.Since,
			}
			// Never silenced: a maintenance script deleting users is exactly
			// what an anomaly alert is for (PRODUCT.md 11).
			a, created, err := m.store.OpenAlert(ctx, a)
			if err != nil {
				return fmt.Errorf("open alert on %s: %w", k, err)
			}
			if created {
				changed = true
				m.metrics.alerts.WithLabelValues(string(kind)).Inc()
				m.log.Warn("monitor: metric alert", "rule", r.ID, "series", k, "summary", v.Summary)
				m.notify(ctx, r.Component, status.EventAnomaly,
					fmt.Sprintf("%s/%s/%s/%d", kind, r.ID, k, a.Started.UnixMilli()),
					m.alertMessage(a, status.EventAnomaly, now))
			}
		case detect.Resolved:
			if err := m.resolveAlerts(ctx, kind, r.Component, subject, now); err != nil {
				return fmt.Errorf("resolve alert on %s: %w", k, err)
			}
			changed = true
			m.log.Info("monitor: metric alert resolved", "rule", r.ID, "series", k, "summary", v.Summary)
		}
	}
	if changed {
		m.decide(ctx, r.Component)
	}
	return nil
}

// seriesTrack returns the judge of one series of a rule, making a new one
// when the rule is new or changed by a reload.
func (m *Monitor) seriesTrack(r status.MetricRule, series string) (*seriesTrack, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	key := r.ID + "\x00" + series
	st := m.trackers[key]
	if st != nil && reflect.DeepEqual(st.rule, r) {
		return st, nil
	}
	t, err := detect.NewTracker(r)
	if err != nil {
		return nil, err
	}
	st = &seriesTrack{rule: r, tracker: t, fresh: true}
	m.trackers[key] = st
	return st, nil
}

// ruleHistory is how far back a rule reads its series: the baseline and the
// window judged.
func ruleHistory(r status.MetricRule) time.Duration {
	base, window := r.Baseline, r.AlertWindow
	if base <= 0 {
		base = 24 * time.Hour
	}
	if r.Seasonality == "hour_of_week" && base < 4*7*24*time.Hour {
		base = 4 * 7 * 24 * time.Hour
	}
	if window <= 0 {
		window = 5 * time.Minute
	}
	if r.For > window {
		window = r.For
	}
	return base + window + r.Recovery
}

// evaluateGroup compares the members of an outlier group over its window
// and opens an alert naming each member that left its peers.
func (m *Monitor) evaluateGroup(ctx context.Context, g status.OutlierGroup, now time.Time) error {
	window := g.Window
	if window <= 0 {
		window = 15 * time.Minute
	}
	cfg := detect.FromGroup(g)
	members := make([]detect.Member, 0, len(g.Checks))
	for _, id := range g.Checks {
		rs, err := m.store.Results(ctx, status.ResultFilter{CheckID: id, Since: now.Add(-window), Until: now})
		if err != nil {
			return fmt.Errorf("read results of %s: %w", id, err)
		}
		pts := make([]detect.Point, 0, len(rs))
		for _, r := range rs {
			switch cfg.Signal {
			case detect.SignalFailureRate:
				v := 0.0
				if !r.OK {
					v = 1
				}
				pts = append(pts, detect.Point{T: r.At, V: v})
			default:
				// A failed run's latency says how fast it failed, not how
				// fast the member serves.
				if r.OK {
					pts = append(pts, detect.Point{T: r.At, V: float64(r.Latency) / float64(time.Millisecond)})
				}
			}
		}
		members = append(members, detect.Member{Name: id, Points: pts})
	}
	outs, err := detect.Outliers(members, cfg)
	if errors.Is(err, detect.ErrTooFew) {
		return nil // not enough data yet to compare
	}
	if err != nil {
		return err
	}
	open, err := m.store.Alerts(ctx, status.AlertFilter{OpenOnly: true, Component: g.Component})
	if err != nil {
		return fmt.Errorf("read open alerts: %w", err)
	}
	prefix := g.ID + "/"
	outlying := map[string]bool{}
	changed := false
	for _, o := range outs {
		subject := prefix + o.Member
		outlying[subject] = true
		a := status.Alert{Kind: status.AlertOutlier, Component: g.Component, Subject: subject, Summary: o.Summary, Started: now}
		a, created, err := m.store.OpenAlert(ctx, a)
		if err != nil {
			return fmt.Errorf("open outlier alert on %s: %w", o.Member, err)
		}
		if created {
			changed = true
			m.metrics.alerts.WithLabelValues(string(status.AlertOutlier)).Inc()
			m.notify(ctx, g.Component, status.EventAnomaly,
				fmt.Sprintf("outlier/%s/%s/%d", g.ID, o.Member, a.Started.UnixMilli()),
				m.alertMessage(a, status.EventAnomaly, now))
		}
	}
	for _, a := range open {
		if a.Kind == status.AlertOutlier && len(a.Subject) > len(prefix) && a.Subject[:len(prefix)] == prefix && !outlying[a.Subject] {
			if err := m.store.ResolveAlert(ctx, a.ID, now); err != nil {
				return fmt.Errorf("resolve outlier alert %d: %w", a.ID, err)
			}
			changed = true
		}
	}
	if changed {
		m.decide(ctx, g.Component)
	}
	return nil
}

// alertMessage words a metric or outlier alert notification.
func (m *Monitor) alertMessage(a status.Alert, ev status.Event, now time.Time) status.Message {
	comp := m.component(a.Component)
	st := a.Status
	if st == "" {
		st = status.Degraded
	}
	return status.Message{
		Event: ev, Component: a.Component, Team: comp.Owner, Status: st, At: now,
		Title: fmt.Sprintf("%s: %s", comp.Name, a.Summary),
		Text:  a.Summary,
		URL:   m.policy().BaseURL,
		Fields: map[string]string{"kind": string(a.Kind), "subject": a.Subject, "started": a.Started.UTC().Format(time.RFC3339),
			incident.FieldAck: incident.AckRef(incident.AckAlert, a.ID)},
	}
}
