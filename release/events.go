package release

import (
	"context"
	"fmt"
	"strings"

	"github.com/safetynet-dev/safetynet/status"
)

// Handled says what the server did with an AWS event, for the answer to
// EventBridge and for logs.
type Handled struct {
	Kind      string `json:"kind"`
	State     string `json:"state"`
	Duplicate bool   `json:"duplicate,omitempty"`
	// Actions are what happened: "notified platform", "deployment 12",
	// "alert opened on payments", "not mapped".
	Actions []string `json:"actions"`
}

// HandleAWS acts on one EventBridge event: it is kept for the admin page;
// a failed or stopped build, pipeline or action tells the owning team; a
// succeeded pipeline (or Deploy action of a mapped stage) is a deployment;
// an alarm in ALARM opens an alert that drives its component's status and
// OK resolves it. A redelivered event (same id) does nothing again.
func (s *Service) HandleAWS(ctx context.Context, body []byte, by string) (Handled, error) {
	e, err := ParseEvent(body)
	if err != nil {
		return Handled{}, err
	}
	st := s.settings()
	h := Handled{Kind: e.Kind, State: e.State, Actions: []string{}}
	t, mapped := st.AWS.find(&e)
	rec := status.BuildEvent{EventID: e.ID, Kind: e.Kind, Name: e.Name, Execution: e.Execution, State: e.State, Service: t.service, URL: e.URL, Summary: e.Reason, At: e.At}
	if e.Kind == KindAction {
		rec.Name = e.Name + "/" + e.Stage + "/" + e.Action
	}
	if len(t.components) > 0 {
		rec.Component = t.components[0]
	}
	if _, added, err := s.Store.SaveBuildEvent(ctx, rec); err != nil {
		return Handled{}, err
	} else if !added {
		h.Duplicate = true
		return h, nil
	}
	if !mapped {
		s.log().Warn("aws event for a resource the config does not map", "kind", e.Kind, "name", e.Name)
		h.Actions = append(h.Actions, "not mapped: add "+e.Name+" to aws_events in the config")
		return h, nil
	}
	switch {
	case e.Kind == KindAlarm:
		a, err := s.alarm(ctx, &e, t)
		if err != nil {
			return Handled{}, err
		}
		h.Actions = append(h.Actions, a...)
	case e.Failed():
		team := s.notify(ctx, &e, t, status.EventBuild, status.MajorOutage)
		h.Actions = append(h.Actions, "notified "+team)
	case e.State == "SUCCEEDED" && t.environment != "" && t.service != "":
		d, err := s.Store.RecordDeployment(ctx, status.Deployment{Service: t.service, Version: e.Execution, Environment: t.environment,
			Components: t.components, PipelineURL: e.URL, Source: "codepipeline", By: by, At: e.At})
		if err != nil {
			return Handled{}, err
		}
		h.Actions = append(h.Actions, fmt.Sprintf("deployment %d of %s %s to %s", d.ID, d.Service, d.Version, d.Environment))
	}
	return h, nil
}

// alarm opens or resolves the alert of a mapped alarm and has the
// component's status decided again, as a check's failure would.
func (s *Service) alarm(ctx context.Context, e *Event, t target) ([]string, error) {
	comp := t.components[0]
	subject := "cloudwatch-alarm " + e.Name
	// EventBridge does not promise order: a state older than one already
	// received for the same alarm is kept for the record and not acted on.
	recent, err := s.Store.BuildEvents(ctx, status.BuildEventFilter{Kind: KindAlarm, Limit: 500})
	if err != nil {
		return nil, err
	}
	for _, r := range recent {
		if r.Name == e.Name && r.EventID != e.ID && r.At.After(e.At) {
			return []string{fmt.Sprintf("stale: %s was already %s at %s", e.Name, r.State, r.At.Format("2006-01-02 15:04:05 MST"))}, nil
		}
	}
	var out []string
	switch e.State {
	case "ALARM":
		summary := fmt.Sprintf("CloudWatch alarm %s is in ALARM", e.Name)
		if e.Reason != "" {
			summary += ": " + e.Reason
		}
		_, opened, err := s.Store.OpenAlert(ctx, status.Alert{Kind: status.AlertEvent, Component: comp, Subject: subject, Summary: clip(summary, maxEventText), Status: t.status, Started: e.At})
		if err != nil {
			return nil, err
		}
		if !opened {
			return []string{"alert already open on " + comp}, nil
		}
		out = append(out, "alert opened on "+comp)
		out = append(out, "notified "+s.notify(ctx, e, t, status.EventDown, t.status))
	case "OK":
		open, err := s.Store.Alerts(ctx, status.AlertFilter{OpenOnly: true, Component: comp})
		if err != nil {
			return nil, err
		}
		for _, a := range open {
			if a.Kind == status.AlertEvent && a.Subject == subject {
				if err := s.Store.ResolveAlert(ctx, a.ID, e.At); err != nil {
					return nil, err
				}
				out = append(out, "alert resolved on "+comp)
				out = append(out, "notified "+s.notify(ctx, e, t, status.EventUp, status.Operational))
			}
		}
	default:
		// INSUFFICIENT_DATA says nothing about the component either way.
		return []string{"no change for " + e.State}, nil
	}
	if s.Redecide != nil {
		s.Redecide(ctx)
	}
	return out, nil
}

// notify queues a message about an event for the owning team's notifiers
// and the routes that take the event, and returns the team's name (or
// "nobody").
func (s *Service) notify(ctx context.Context, e *Event, t target, ev status.Event, st status.Status) string {
	if s.Plan == nil {
		return "nobody"
	}
	plan := s.Plan()
	team := t.team
	if team == "" {
		for _, id := range t.components {
			for _, c := range plan.Components {
				if c.ID == id && c.Owner != "" && team == "" {
					team = c.Owner
				}
			}
		}
	}
	var to []string
	seen := map[string]bool{}
	add := func(ns []string) {
		for _, n := range ns {
			if !seen[n] {
				seen[n] = true
				to = append(to, n)
			}
		}
	}
	for _, tm := range plan.Teams {
		if tm.Name == team {
			add(tm.Notifiers)
		}
	}
	for _, rt := range plan.Routes {
		if routeTakes(rt, t.components, ev) {
			add(rt.Notifiers)
		}
	}
	if len(to) == 0 {
		s.log().Warn("aws event: nobody to notify", "kind", e.Kind, "name", e.Name, "team", team)
		return "nobody"
	}
	text := fmt.Sprintf("%s at %s (account %s, %s).", e.Title(), e.At.Format("2006-01-02 15:04:05 MST"), e.Account, e.Region)
	if e.Reason != "" {
		text += " " + e.Reason
	}
	fields := map[string]string{"kind": e.Kind, "state": e.State}
	if t.service != "" {
		fields["service"] = t.service
	}
	if e.Execution != "" {
		fields["execution"] = e.Execution
	}
	msg := status.Message{ID: "aws/" + e.ID, Event: ev, Title: e.Title(), Text: text, Team: team, Status: st, URL: e.URL, At: e.At, Fields: fields}
	if len(t.components) > 0 {
		msg.Component = t.components[0]
	}
	now := s.now()
	ns := make([]status.Notification, 0, len(to))
	for _, n := range to {
		ns = append(ns, status.Notification{Key: msg.ID + "/" + n, Notifier: n, Message: msg, Created: now, NextAttempt: now})
	}
	if _, err := s.Store.Enqueue(ctx, ns); err != nil {
		s.log().Error("aws event: queue notifications", "kind", e.Kind, "name", e.Name, "err", err)
		return "nobody (queueing failed)"
	}
	if s.Poke != nil {
		s.Poke()
	}
	if team == "" {
		return strings.Join(to, ", ")
	}
	return team
}

func routeTakes(rt status.Route, comps []string, ev status.Event) bool {
	if len(rt.Events) > 0 && !contains(eventStrings(rt.Events), string(ev)) {
		return false
	}
	for _, c := range rt.Components {
		if c == "*" || contains(comps, c) {
			return true
		}
	}
	return false
}

func eventStrings(evs []status.Event) []string {
	out := make([]string, len(evs))
	for i, e := range evs {
		out[i] = string(e)
	}
	return out
}
