package notify

import (
	"sort"
	"strings"

	"github.com/safetynet-dev/safetynet/status"
)

// Fact is one row of the table a channel shows under a message.
type Fact struct {
	Name, Value string
}

// Facts lists what a message says beyond its title and text, in the order
// every channel shows it: status, component, team, then the message's own
// fields sorted by name (maps have no order, and a receiver comparing two
// alerts wants the rows in the same place).
func Facts(m status.Message) []Fact {
	var fs []Fact
	if m.Status != "" {
		fs = append(fs, Fact{"Status", StatusText(m.Status)})
	}
	if m.Component != "" {
		fs = append(fs, Fact{"Component", m.Component})
	}
	if m.Team != "" {
		fs = append(fs, Fact{"Team", m.Team})
	}
	keys := make([]string, 0, len(m.Fields))
	for k := range m.Fields {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		fs = append(fs, Fact{k, m.Fields[k]})
	}
	return fs
}

// StatusText is a component status as a person reads it:
// "major_outage" becomes "major outage".
func StatusText(s status.Status) string { return strings.ReplaceAll(string(s), "_", " ") }

// Tone is how alarming a message is, for channels that colour it.
type Tone int

// The tones, from calm to alarming.
const (
	ToneInfo Tone = iota
	ToneGood
	ToneWarning
	ToneBad
)

// ToneOf picks a message's tone from its event and the status it reports.
func ToneOf(m status.Message) Tone {
	switch m.Event {
	case status.EventUp:
		return ToneGood
	case status.EventTestAlert:
		return ToneInfo
	}
	switch m.Status {
	case status.MajorOutage, status.PartialOutage:
		return ToneBad
	case status.Degraded:
		return ToneWarning
	case status.UnderMaintenance:
		return ToneInfo
	}
	switch m.Event {
	case status.EventDown, status.EventReminder, status.EventEscalate, status.EventBuild:
		return ToneBad
	case status.EventAnomaly, status.EventIncident:
		return ToneWarning
	}
	return ToneInfo
}

// Footer is the small print every channel shows: who sent it, the event and
// the message ID receivers deduplicate on.
func Footer(m status.Message) string {
	s := "safetynet · " + string(m.Event)
	if m.ID != "" {
		s += " · id " + m.ID
	}
	return s
}
