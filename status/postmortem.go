package status

import (
	"encoding/json"
	"strconv"
	"strings"
	"time"
)

// The statuses of an action item.
const (
	ActionOpen       = "open"
	ActionInProgress = "in_progress"
	ActionDone       = "done"
)

// Valid reports whether k is one of the action item kinds.
func (k ActionKind) Valid() bool {
	switch k {
	case ActionProcess, ActionPlatform, ActionMonitoring, ActionTests:
		return true
	}
	return false
}

// Validate checks an action item before it is stored. An empty status
// means open. There is no field for a person, and none is accepted: every
// item is owned by a team.
func (a *ActionItem) Validate() error {
	if a.Status == "" {
		a.Status = ActionOpen
	}
	switch {
	case strings.TrimSpace(a.Title) == "":
		return invalidf("an action item needs a title")
	case len(a.Title) > 300:
		return invalidf("action item title is longer than 300 characters")
	case !a.Kind.Valid():
		return invalidf("action item kind %q is not one of process, platform, monitoring, tests", a.Kind)
	case strings.TrimSpace(a.Team) == "" || len(a.Team) > 100:
		return invalidf("an action item needs an owning team")
	case a.Due.IsZero():
		return invalidf("an action item needs a due date")
	}
	switch a.Status {
	case ActionOpen, ActionInProgress, ActionDone:
	default:
		return invalidf("action item status %q is not one of open, in_progress, done", a.Status)
	}
	return nil
}

// Action is an action item with the incident whose postmortem holds it, as
// listed across postmortems.
type Action struct {
	IncidentID int64 `json:"incident_id"`
	ActionItem
}

// Durations are how long an incident took to detect (first alert),
// acknowledge and resolve, each measured from the first failure; zero when
// it did not happen. In JSON they are whole seconds.
type Durations struct {
	Detect  time.Duration
	Ack     time.Duration
	Resolve time.Duration
}

type durationsJSON struct {
	Detect  int64 `json:"time_to_detect_seconds"`
	Ack     int64 `json:"time_to_acknowledge_seconds"`
	Resolve int64 `json:"time_to_resolve_seconds"`
}

// MarshalJSON writes the durations in whole seconds.
func (d Durations) MarshalJSON() ([]byte, error) {
	return json.Marshal(durationsJSON{int64(d.Detect / time.Second), int64(d.Ack / time.Second), int64(d.Resolve / time.Second)})
}

// UnmarshalJSON reads durations written by MarshalJSON.
func (d *Durations) UnmarshalJSON(b []byte) error {
	var j durationsJSON
	if err := json.Unmarshal(b, &j); err != nil {
		return err
	}
	*d = Durations{time.Duration(j.Detect) * time.Second, time.Duration(j.Ack) * time.Second, time.Duration(j.Resolve) * time.Second}
	return nil
}

// PostmortemRecord is a postmortem as it is kept: the three parts, the
// measured times of the incident, and when it was written and last edited.
type PostmortemRecord struct {
	Postmortem
	Times     Durations `json:"times"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
}

// Validate checks a postmortem before it is stored.
func (p *PostmortemRecord) Validate() error {
	switch {
	case p.IncidentID <= 0:
		return invalidf("a postmortem needs the incident it is about")
	case len(p.Apology) > 20000 || len(p.Summary) > 50000:
		return invalidf("postmortem text is too long (apology at most 20,000 characters, summary 50,000)")
	case len(p.Timeline) > 5000:
		return invalidf("postmortem timeline has more than 5,000 entries")
	case p.Times.Detect < 0 || p.Times.Ack < 0 || p.Times.Resolve < 0:
		return invalidf("postmortem times cannot be negative")
	}
	return nil
}

// SpokenDuration writes a duration the way people say it: "48 minutes",
// "2 hours 5 minutes", "3 days 4 hours", "40 seconds".
func SpokenDuration(d time.Duration) string {
	unit := func(n int64, word string) string {
		if n == 1 {
			return "1 " + word
		}
		return strconv.FormatInt(n, 10) + " " + word + "s"
	}
	d = d.Round(time.Second)
	switch {
	case d < time.Minute:
		return unit(int64(d/time.Second), "second")
	case d < time.Hour:
		return unit(int64(d/time.Minute), "minute")
	case d < 24*time.Hour:
		h, m := int64(d/time.Hour), int64(d%time.Hour/time.Minute)
		if m == 0 {
			return unit(h, "hour")
		}
		return unit(h, "hour") + " " + unit(m, "minute")
	}
	days, h := int64(d/(24*time.Hour)), int64(d%(24*time.Hour)/time.Hour)
	if h == 0 {
		return unit(days, "day")
	}
	return unit(days, "day") + " " + unit(h, "hour")
}
