package release

import (
	"fmt"
	"sort"
	"time"

	"github.com/safetynet-dev/safetynet/status"
)

// Observations are what happened to a deployment's components around its
// soak: for each component the status change in effect when the soak began
// (if any) and every change during it, and the alerts that were open at
// some time during it.
type Observations struct {
	Changes map[string][]status.Change
	Alerts  []status.Alert
	// Next is the first later deployment of another version of the
	// service to the same environment, if any: from then on the
	// environment says nothing about this release.
	Next *status.Deployment
}

// EvaluateSoak judges a deployment's soak in its environment at now. The
// soak runs from the deployment for required; it passes when that time is
// over and its components had no outage or degradation (maintenance
// aside) and no alert of any kind (check, threshold, anomaly, outlier,
// external alarm) during it. A problem fails the soak at once, even before
// the time is over.
func EvaluateSoak(d status.Deployment, required time.Duration, obs Observations, now time.Time) status.SoakResult {
	start := d.At
	end := start.Add(required)
	r := status.SoakResult{Environment: d.Environment, Deployment: d.ID, Start: start, End: end, Required: status.Duration(required), Done: !now.Before(end)}
	judged := end
	if now.Before(end) {
		judged = now
	}
	comps := append([]string(nil), d.Components...)
	sort.Strings(comps)
	for _, c := range comps {
		for _, ch := range obs.Changes[c] {
			if ch.At.After(judged) || !bad(ch.To) {
				continue
			}
			// A change before the soak matters only while it lasts into it,
			// which is when it is the last change at or before the start.
			if ch.At.Before(start) && !lastBefore(obs.Changes[c], ch, start) {
				continue
			}
			from := ch.At
			if from.Before(start) {
				from = start
			}
			msg := fmt.Sprintf("%s was %s from %s", c, words(ch.To), from.UTC().Format("2006-01-02 15:04 MST"))
			if ch.Cause != "" {
				msg += " (" + ch.Cause + ")"
			}
			r.Problems = append(r.Problems, msg)
			break // one sentence per component is enough to hold
		}
	}
	for _, a := range obs.Alerts {
		if a.Silenced || !contains(comps, a.Component) || a.Started.After(judged) || a.Resolved != nil && a.Resolved.Before(start) {
			continue
		}
		what := a.Summary
		if what == "" {
			what = string(a.Kind) + " alert on " + a.Subject
		}
		r.Problems = append(r.Problems, fmt.Sprintf("%s alert on %s from %s: %s", a.Kind, a.Component, a.Started.UTC().Format("2006-01-02 15:04 MST"), what))
	}
	if n := obs.Next; n != nil && !n.At.After(judged) {
		r.Problems = append(r.Problems, fmt.Sprintf("%s replaced it in %s at %s, before its soak ended", n.Release(), d.Environment, n.At.UTC().Format("2006-01-02 15:04 MST")))
	}
	r.Passed = r.Done && len(r.Problems) == 0
	return r
}

// bad reports whether a status counts against a soak: anything but
// operational and maintenance.
func bad(s status.Status) bool {
	return s != status.Operational && s != status.UnderMaintenance && s != ""
}

func words(s status.Status) string {
	switch s {
	case status.Degraded:
		return "degraded"
	case status.PartialOutage:
		return "in a partial outage"
	case status.MajorOutage:
		return "in a major outage"
	}
	return string(s)
}

// lastBefore reports whether ch is the latest change at or before t.
func lastBefore(chs []status.Change, ch status.Change, t time.Time) bool {
	for _, o := range chs {
		if !o.At.After(t) && o.At.After(ch.At) {
			return false
		}
	}
	return true
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}
