package main

import (
	"context"
	"sort"
	"strings"

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
}

func (d dashboard) Snapshot(ctx context.Context) (web.Snapshot, error) {
	snap, err := d.mon.Snapshot(ctx)
	if err != nil {
		return web.Snapshot{}, err
	}
	out := web.Snapshot{At: snap.At}
	for _, c := range snap.Components {
		st := c.Status
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

// publicPage feeds the Statuspage-compatible API from the monitor's live
// statuses and the stored incidents and maintenance windows.
type publicPage struct {
	mon   *monitor.Monitor
	store *store.DB
	page  config.Page
	url   string
	plan  func() status.Plan
}

func (p publicPage) Public(ctx context.Context) (web.PublicState, error) {
	snap, err := p.mon.Snapshot(ctx)
	if err != nil {
		return web.PublicState{}, err
	}
	st := web.PublicState{Page: web.PageInfo{ID: slugOf(p.page.Title), Name: p.page.Title, URL: p.url, UpdatedAt: snap.At}}
	for _, c := range snap.Components {
		if !c.Component.Public {
			continue
		}
		pc := web.PublicComponent{Component: c.Component, Status: c.Status, CreatedAt: snap.At, UpdatedAt: snap.At}
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
	return st, nil
}

func slugOf(s string) string {
	out := make([]rune, 0, len(s))
	for _, r := range strings.ToLower(s) {
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' {
			out = append(out, r)
		} else if len(out) > 0 && out[len(out)-1] != '-' {
			out = append(out, '-')
		}
	}
	return strings.Trim(string(out), "-")
}
