package pagerduty

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"time"

	"github.com/safetynet-dev/safetynet/notify"
	"github.com/safetynet-dev/safetynet/status"
)

// Kind is the notifier kind in the config.
const Kind = "pagerduty"

// DefaultURL is the Events API v2 endpoint.
const DefaultURL = "https://events.pagerduty.com/v2/enqueue"

func init() {
	notify.Register(Kind, func(name string, raw json.RawMessage, env notify.Env) (notify.Notifier, error) {
		var s Settings
		if err := notify.DecodeSettings(name, raw, &s); err != nil {
			return nil, err
		}
		return New(name, s, env)
	})
}

// Settings configure a PagerDuty notifier; see the package documentation.
type Settings struct {
	RoutingKeyEnv  string `json:"routing_key_env,omitempty"`
	RoutingKeyFile string `json:"routing_key_file,omitempty"`
	URL            string `json:"url,omitempty"`
	Source         string `json:"source,omitempty"`
	Severity       string `json:"severity,omitempty"`
}

// Notifier sends events to one PagerDuty service integration.
type Notifier struct {
	key      string
	url      *url.URL
	source   string
	severity string
	client   *http.Client
}

var _ notify.Notifier = (*Notifier)(nil)

// New reads the routing key and returns the notifier.
func New(name string, s Settings, env notify.Env) (*Notifier, error) {
	key, err := env.Secret(name, "routing_key", s.RoutingKeyEnv, s.RoutingKeyFile)
	if err != nil {
		return nil, err
	}
	if s.URL == "" {
		s.URL = DefaultURL
	}
	u, err := env.CheckURL(name, "url", s.URL)
	if err != nil {
		return nil, err
	}
	switch s.Severity {
	case "":
		s.Severity = "error"
	case "critical", "error", "warning", "info":
	default:
		return nil, notify.Invalid(name, "severity", "%q is not one of critical, error, warning, info", s.Severity)
	}
	return &Notifier{key: key, url: u, source: s.Source, severity: s.Severity, client: env.HTTP()}, nil
}

// Send triggers or resolves the alert m is about. PagerDuty answers 202;
// 400 means the event is malformed and 429 that we send too fast, both
// reported as errors for the dispatcher to retry.
func (n *Notifier) Send(ctx context.Context, m status.Message) error {
	if m.Event == status.EventActionItem {
		// A postmortem action item belongs in a backlog; paging someone
		// for it would wake them for work that is due in weeks.
		return nil
	}
	body, err := json.Marshal(n.event(m))
	if err != nil {
		return fmt.Errorf("pagerduty: encode event: %w", err)
	}
	if _, err := notify.PostJSON(ctx, n.client, n.url, body, nil); err != nil {
		return fmt.Errorf("pagerduty: %w", err)
	}
	return nil
}

type link struct {
	Href string `json:"href"`
	Text string `json:"text"`
}

type payload struct {
	Summary       string            `json:"summary"`
	Source        string            `json:"source"`
	Severity      string            `json:"severity"`
	Timestamp     string            `json:"timestamp,omitempty"`
	Component     string            `json:"component,omitempty"`
	Group         string            `json:"group,omitempty"`
	Class         string            `json:"class,omitempty"`
	CustomDetails map[string]string `json:"custom_details,omitempty"`
}

type event struct {
	RoutingKey  string   `json:"routing_key"`
	EventAction string   `json:"event_action"`
	DedupKey    string   `json:"dedup_key"`
	Payload     *payload `json:"payload,omitempty"`
	Client      string   `json:"client,omitempty"`
	ClientURL   string   `json:"client_url,omitempty"`
	Links       []link   `json:"links,omitempty"`
}

func (n *Notifier) event(m status.Message) event {
	e := event{RoutingKey: n.key, EventAction: "trigger", DedupKey: DedupKey(m)}
	if m.Event == status.EventUp {
		// A resolve needs only the key; PagerDuty ignores a payload on it.
		e.EventAction = "resolve"
		return e
	}
	summary := m.Title
	if m.Text != "" {
		summary += ": " + m.Text
	}
	details := map[string]string{"notification_id": m.ID, "event": string(m.Event)}
	if m.Status != "" {
		details["status"] = string(m.Status)
	}
	if m.Text != "" {
		details["text"] = m.Text
	}
	for k, v := range m.Fields {
		if _, taken := details[k]; !taken {
			details[k] = v
		}
	}
	source := n.source
	if source == "" {
		source = m.Component
	}
	if source == "" {
		source = "safetynet"
	}
	p := &payload{
		Summary:       notify.Truncate(summary, 1024),
		Source:        source,
		Severity:      n.severityOf(m),
		Component:     m.Component,
		Group:         m.Team,
		Class:         string(m.Event),
		CustomDetails: details,
	}
	if !m.At.IsZero() {
		p.Timestamp = m.At.UTC().Format(time.RFC3339)
	}
	e.Payload = p
	e.Client = "safetynet"
	if m.URL != "" {
		e.ClientURL = m.URL
		e.Links = []link{{Href: m.URL, Text: "Open in safetynet"}}
	}
	return e
}

func (n *Notifier) severityOf(m status.Message) string {
	if m.Event == status.EventTestAlert {
		return "info"
	}
	switch m.Status {
	case status.MajorOutage:
		return "critical"
	case status.PartialOutage:
		return "error"
	case status.Degraded:
		return "warning"
	case status.UnderMaintenance:
		return "info"
	}
	return n.severity
}

// DedupKey is the key that ties a message to the PagerDuty alert about the
// same thing; see the package documentation.
func DedupKey(m status.Message) string {
	var subject string
	switch {
	case m.Fields["subject"] != "":
		subject = m.Fields["subject"]
	case m.Component != "" && m.Fields["check"] != "":
		subject = m.Component + "/" + m.Fields["check"]
	case m.Component != "":
		subject = m.Component
	default:
		subject = "message/" + m.ID
	}
	key := "safetynet:" + subject
	if len(key) > 255 {
		sum := sha256.Sum256([]byte(subject))
		key = "safetynet:sha256:" + hex.EncodeToString(sum[:])
	}
	return key
}
