package main

import (
	"context"
	"hash/fnv"
	"sort"
	"sync"
	"time"

	"github.com/safetynet-dev/safetynet/config"
	"github.com/safetynet-dev/safetynet/monitor"
	"github.com/safetynet-dev/safetynet/status"
	"github.com/safetynet-dev/safetynet/store"
	"github.com/safetynet-dev/safetynet/web"
)

// dashboard adapts the monitor's snapshot to the web package's view, so the
// two packages need not know each other.
type dashboard struct {
	mon   *monitor.Monitor
	store status.Outbox
	// shared is the database when several servers may share it
	// (PostgreSQL): each server knows live only the checks it runs, so
	// states and statuses come from the database, newest first.
	shared *store.DB
}

func (d dashboard) Snapshot(ctx context.Context) (web.Snapshot, error) {
	snap, err := d.mon.Snapshot(ctx)
	if err != nil {
		return web.Snapshot{}, err
	}
	var statuses map[string]status.Status
	states := map[[2]string]status.CheckState{}
	if d.shared != nil {
		if statuses, err = d.shared.CurrentStatuses(ctx); err != nil {
			return web.Snapshot{}, err
		}
		sts, err := d.shared.CheckStates(ctx)
		if err != nil {
			return web.Snapshot{}, err
		}
		for _, s := range sts {
			states[[2]string{s.CheckID, s.Location}] = s
		}
	}
	out := web.Snapshot{At: snap.At}
	for _, c := range snap.Components {
		st := c.Status
		if s, ok := statuses[c.Component.ID]; ok && s != st {
			st, c.Cause = s, "decided by another server"
		}
		if st == "" {
			st = status.Operational
		}
		cause := c.Cause
		if c.Status == "" {
			cause = "no results yet"
		}
		out.Components = append(out.Components, web.ComponentView{Component: c.Component, Status: st, Cause: cause})
		for _, ch := range c.Checks {
			if len(ch.States) == 0 {
				out.Checks = append(out.Checks, web.CheckView{ID: ch.Check.ID, Name: ch.Check.Name, Component: ch.Check.Component,
					Kind: ch.Check.Kind, Target: ch.Check.Target, Location: status.LocalLocation, State: status.StateUnknown})
				continue
			}
			for _, s := range ch.States {
				if stored, ok := states[[2]string{s.CheckID, s.Location}]; ok && newer(stored, s) {
					s = stored
				}
				out.Checks = append(out.Checks, web.CheckView{ID: ch.Check.ID, Name: ch.Check.Name, Component: ch.Check.Component,
					Kind: ch.Check.Kind, Target: ch.Check.Target, Location: s.Location, State: s.State, Since: s.Since, LastResult: s.LastResult})
			}
		}
		out.Alerts = append(out.Alerts, c.Alerts...)
	}
	sort.SliceStable(out.Alerts, func(i, j int) bool { return out.Alerts[i].Started.After(out.Alerts[j].Started) })
	pending, failing, err := d.store.OutboxStats(ctx)
	if err != nil {
		return web.Snapshot{}, err
	}
	out.Outbox = web.OutboxView{Pending: pending, Failing: failing}
	return out, nil
}

// newer reports whether a holds a later result than b (a check another
// server runs: b is what this server saw when it last ran it).
func newer(a, b status.CheckState) bool {
	switch {
	case a.LastResult == nil:
		return false
	case b.LastResult == nil:
		return true
	}
	return a.LastResult.At.After(b.LastResult.At)
}

// publicPage feeds the Statuspage-compatible API from the monitor's live
// statuses and the stored incidents and maintenance windows.
type publicPage struct {
	mon   *monitor.Monitor
	store *store.DB
	page  config.Page
	url   string
	plan  func() status.Plan
	// charts keeps each component's latency chart for a minute; nil
	// draws them every time.
	charts *chartCache
}

// chartCache keeps latency charts between page builds. A chart has one
// point per hour, so a minute-old chart shows nothing a visitor could
// miss, while drawing it reads one rollup series per check: with 10,000
// checks that was most of a page build, and a page build runs every few
// seconds during an incident.
type chartCache struct {
	mu     sync.Mutex
	ttl    time.Duration
	charts map[string]cachedChart
}

type cachedChart struct {
	at     time.Time
	points []web.LatencyPoint
}

// chartTTL is how long a latency chart is reused.
const chartTTL = time.Minute

func (c *chartCache) get(component string, now time.Time) ([]web.LatencyPoint, bool) {
	if c == nil {
		return nil, false
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.charts[component]
	// Each component's chart lasts a little longer or shorter than the
	// others', so they are redrawn one by one rather than all in the same
	// page build.
	ttl := c.ttl + time.Duration(fnv32(component)%16)*c.ttl/32
	if !ok || now.Sub(e.at) >= ttl || now.Before(e.at) {
		return nil, false
	}
	return e.points, true
}

func fnv32(s string) uint32 {
	h := fnv.New32a()
	_, _ = h.Write([]byte(s))
	return h.Sum32()
}

func (c *chartCache) put(component string, now time.Time, points []web.LatencyPoint) {
	if c == nil {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.charts == nil {
		c.charts = map[string]cachedChart{}
	}
	c.charts[component] = cachedChart{at: now, points: points}
}

func (p publicPage) Public(ctx context.Context) (web.PublicState, error) {
	snap, err := p.mon.Snapshot(ctx)
	if err != nil {
		return web.PublicState{}, err
	}
	st := web.PublicState{Page: web.PageInfo{ID: status.Slug(p.page.Title), Name: p.page.Title, URL: p.url, UpdatedAt: snap.At}}
	// Production deployments mark the latency charts, so a visitor can see
	// "deployed 14:01, slower from 14:03" without asking.
	deps, err := p.store.Deployments(ctx, status.DeploymentFilter{Environment: "production", Limit: 200})
	if err != nil {
		return web.PublicState{}, err
	}
	// Servers sharing a PostgreSQL database each know live only the checks
	// they run; the stored status, recorded by whichever server decided
	// it, is the one every server shows.
	var stored map[string]status.Status
	if p.store.Dialect() == "postgres" {
		if stored, err = p.store.CurrentStatuses(ctx); err != nil {
			return web.PublicState{}, err
		}
	}
	// Components probed from several places say how many see them failing.
	var checks []status.Check
	var states []status.CheckState
	for _, c := range snap.Components {
		for _, ch := range c.Checks {
			checks = append(checks, ch.Check)
			states = append(states, ch.States...)
		}
	}
	locations := status.ComponentLocations(checks, states)
	for _, c := range snap.Components {
		if !c.Component.Public {
			continue
		}
		pc := web.PublicComponent{Component: c.Component, Status: c.Status, CreatedAt: snap.At, UpdatedAt: snap.At}
		if s, ok := stored[c.Component.ID]; ok {
			pc.Status = s
		}
		if pc.Status == "" {
			pc.Status = status.Operational
		}
		changes, err := p.store.Changes(ctx, status.ChangeFilter{Component: c.Component.ID, Limit: 1})
		if err != nil {
			return web.PublicState{}, err
		}
		if len(changes) > 0 {
			pc.UpdatedAt = changes[0].At
		}
		// The store does not expose when a component was first configured;
		// its last change is the closest honest answer.
		pc.CreatedAt = pc.UpdatedAt
		history, err := p.store.Changes(ctx, status.ChangeFilter{Component: c.Component.ID, Since: snap.At.AddDate(0, 0, -uptimeDays)})
		if err != nil {
			return web.PublicState{}, err
		}
		pc.Days, pc.Uptime = status.UptimeDays(history, uptimeDays, snap.At)
		if points, ok := p.charts.get(c.Component.ID, snap.At); ok {
			pc.Latency = points
		} else {
			if pc.Latency, err = p.latency(ctx, c.Checks, snap.At); err != nil {
				return web.PublicState{}, err
			}
			p.charts.put(c.Component.ID, snap.At, pc.Latency)
		}
		if lc, ok := locations[c.Component.ID]; ok {
			pc.Locations = &lc
		}
		for _, m := range status.DeploymentMarkers(deps, []string{c.Component.ID}, snap.At.Add(-24*time.Hour), snap.At) {
			pc.Deploys = append(pc.Deploys, m.At)
		}
		st.Components = append(st.Components, pc)
	}
	incs, err := p.store.Incidents(ctx, status.IncidentFilter{PublicOnly: true, Limit: 100})
	if err != nil {
		return web.PublicState{}, err
	}
	st.Incidents = incs
	now := snap.At
	windows, err := p.store.Maintenances(ctx, now.AddDate(0, 0, -90), now.AddDate(1, 0, 0))
	if err != nil {
		return web.PublicState{}, err
	}
	st.Maintenances = append(windows, p.plan().Maintenances...)
	if st.KnownIssues, err = p.store.KnownIssues(ctx, false); err != nil {
		return web.PublicState{}, err
	}
	return st, nil
}

// uptimeDays is the length of the page's uptime bars.
const uptimeDays = 90

// latency charts a component's checks over the last day from the hourly
// rollups, merging the histograms of its checks so percentiles stay exact.
func (p publicPage) latency(ctx context.Context, checks []monitor.CheckSnapshot, now time.Time) ([]web.LatencyPoint, error) {
	byHour := map[time.Time]*status.Histogram{}
	for _, ch := range checks {
		if ch.Check.Kind == status.KindHeartbeat {
			continue
		}
		rs, err := p.store.Rollups(ctx, status.RollupFilter{CheckID: ch.Check.ID, Resolution: status.Hour, Since: now.Add(-24 * time.Hour), Until: now})
		if err != nil {
			return nil, err
		}
		for _, r := range rs {
			h := byHour[r.Start]
			if h == nil {
				h = &status.Histogram{}
				byHour[r.Start] = h
			}
			h.Merge(&r.Latency)
		}
	}
	var out []web.LatencyPoint
	for at, h := range byHour {
		out = append(out, web.LatencyPoint{At: at, P50: h.Quantile(0.5), P95: h.Quantile(0.95)})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].At.Before(out[j].At) })
	return out, nil
}
