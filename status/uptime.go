package status

import (
	"sort"
	"time"
)

// UptimeDay is one cell of an uptime bar: a UTC day, the worst status seen and the
// share of the day the component was up.
type UptimeDay struct {
	Date   time.Time `json:"date"` // midnight UTC
	Worst  Status    `json:"worst"`
	Uptime float64   `json:"uptime"` // 0..1; 1 when nothing is known
	// Known is false for days before the first recorded status.
	Known bool `json:"known"`
}

// isDown says which statuses count against uptime: a partial or major
// outage. Degraded performance and maintenance count as up, as most status
// pages count them, since the service answers.
func isDown(s Status) bool { return s == PartialOutage || s == MajorOutage }

// UptimeDays turns a component's status changes (any order) into one cell
// per UTC day for the days days ending with the day of now, oldest first,
// and the uptime over the whole window. Time before the first change is
// unknown and left out of the uptime.
func UptimeDays(changes []Change, days int, now time.Time) ([]UptimeDay, float64) {
	now = now.UTC()
	end := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, time.UTC).AddDate(0, 0, 1)
	start := end.AddDate(0, 0, -days)
	sorted := append([]Change(nil), changes...)
	sortChanges(sorted)

	out := make([]UptimeDay, days)
	for i := range out {
		out[i] = UptimeDay{Date: start.AddDate(0, 0, i), Worst: Operational, Uptime: 1}
	}
	var upTotal, knownTotal time.Duration
	down := make([]time.Duration, days)
	known := make([]time.Duration, days)
	// Walk the intervals between changes, clipped to the window and to now.
	for i, c := range sorted {
		from := c.At
		to := now
		if i+1 < len(sorted) {
			to = sorted[i+1].At
		}
		if to.After(now) {
			to = now
		}
		if from.Before(start) {
			from = start
		}
		if !to.After(from) {
			continue
		}
		for d := int(from.Sub(start) / (24 * time.Hour)); d < days; d++ {
			dayStart := start.AddDate(0, 0, d)
			dayEnd := dayStart.AddDate(0, 0, 1)
			a, b := maxTime(from, dayStart), minTime(to, dayEnd)
			if !b.After(a) {
				break
			}
			span := b.Sub(a)
			known[d] += span
			out[d].Known = true
			if c.To.Rank() > out[d].Worst.Rank() {
				out[d].Worst = c.To
			}
			if isDown(c.To) {
				down[d] += span
			}
		}
	}
	for d := range out {
		if known[d] > 0 {
			out[d].Uptime = 1 - float64(down[d])/float64(known[d])
			knownTotal += known[d]
			upTotal += known[d] - down[d]
		}
	}
	if knownTotal == 0 {
		return out, 1
	}
	return out, float64(upTotal) / float64(knownTotal)
}

func sortChanges(cs []Change) {
	sort.SliceStable(cs, func(i, j int) bool { return cs[i].At.Before(cs[j].At) })
}

func maxTime(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

func minTime(a, b time.Time) time.Time {
	if a.Before(b) {
		return a
	}
	return b
}
