package status

import (
	"time"
)

// Event is why a notification is sent.
type Event string

// The notification events.
const (
	EventDown      Event = "down"     // a check or alert opened
	EventUp        Event = "up"       // recovered, with the duration
	EventReminder  Event = "reminder" // still down
	EventAnomaly   Event = "anomaly"  // a metric anomaly or outlier
	EventEscalate  Event = "escalate" // red with no explanation for too long
	EventBuild     Event = "build"    // a build or pipeline failed
	EventIncident  Event = "incident" // an incident was opened or updated
	EventTestAlert Event = "test"     // sent by `safetynet notify test`
	// EventActionItem carries a postmortem action item to its team's
	// backlog when it is created, changes status or changes team.
	EventActionItem Event = "action_item"
	// EventComponentUpdate tells subscribers that a component's public
	// status changed and has held for the incident policy's minimum time.
	EventComponentUpdate Event = "component_update"
)

// Message is what a notifier delivers, independent of the channel.
type Message struct {
	// ID is stable across retries of the same notification, so receivers
	// can drop duplicates.
	ID        string    `json:"id"`
	Event     Event     `json:"event"`
	Title     string    `json:"title"`
	Text      string    `json:"text"`
	Component string    `json:"component,omitempty"`
	Team      string    `json:"team,omitempty"`
	Status    Status    `json:"status,omitempty"`
	URL       string    `json:"url,omitempty"` // where to look, or to acknowledge
	At        time.Time `json:"at"`
	// Fields are extra facts shown as a table (check, location, latency,
	// baseline, ...).
	Fields map[string]string `json:"fields,omitempty"`
}

// Notification is an outbox entry: one message for one notifier. Its Key is
// unique per state transition and notifier, so a transition is enqueued once
// however many servers see it.
type Notification struct {
	ID       int64     `json:"id"`
	Key      string    `json:"key"`
	Notifier string    `json:"notifier"` // notifier name from config
	Message  Message   `json:"message"`
	Created  time.Time `json:"created"`
	// Attempts and NextAttempt drive retries with backoff; a delivered
	// notification has Delivered set.
	Attempts    int        `json:"attempts"`
	NextAttempt time.Time  `json:"next_attempt"`
	LastError   string     `json:"last_error,omitempty"`
	Delivered   *time.Time `json:"delivered,omitempty"`
}

// Maintenance is a scheduled window during which components are expected to
// be disturbed.
type Maintenance struct {
	ID         int64     `json:"id"`
	Title      string    `json:"title"`
	Components []string  `json:"components"`
	Start      time.Time `json:"start"`
	End        time.Time `json:"end"`
}

// Active reports whether the window covers t.
func (m *Maintenance) Active(t time.Time) bool { return !t.Before(m.Start) && t.Before(m.End) }

// Covers reports whether the window names the component.
func (m *Maintenance) Covers(component string) bool {
	for _, c := range m.Components {
		if c == component {
			return true
		}
	}
	return false
}

// Validate checks a maintenance window.
func (m *Maintenance) Validate() error {
	if m.Title == "" {
		return invalidf("maintenance needs a title")
	}
	if !m.End.After(m.Start) {
		return invalidf("maintenance %q ends before it starts", m.Title)
	}
	if len(m.Components) == 0 {
		return invalidf("maintenance %q names no component", m.Title)
	}
	return nil
}
