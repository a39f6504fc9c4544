package main

import (
	"context"
	"sort"

	"github.com/safetynet-dev/safetynet/monitor"
	"github.com/safetynet-dev/safetynet/status"
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
