package discord

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"time"

	"github.com/safetynet-dev/safetynet/notify"
	"github.com/safetynet-dev/safetynet/status"
)

// Kind is the notifier kind in the config.
const Kind = "discord"

func init() {
	notify.Register(Kind, func(name string, raw json.RawMessage, env notify.Env) (notify.Notifier, error) {
		var s Settings
		if err := notify.DecodeSettings(name, raw, &s); err != nil {
			return nil, err
		}
		return New(name, s, env)
	})
}

// Settings configure a Discord notifier.
type Settings struct {
	URLEnv   string `json:"url_env,omitempty"`
	URLFile  string `json:"url_file,omitempty"`
	Username string `json:"username,omitempty"`
}

// Notifier posts to one Discord webhook.
type Notifier struct {
	url      *url.URL
	username string
	client   *http.Client
}

var _ notify.Notifier = (*Notifier)(nil)

// New reads the webhook URL and returns the notifier.
func New(name string, s Settings, env notify.Env) (*Notifier, error) {
	u, err := env.SecretURL(name, "url", s.URLEnv, s.URLFile)
	if err != nil {
		return nil, err
	}
	if len([]rune(s.Username)) > 80 {
		return nil, notify.Invalid(name, "username", "longer than Discord's 80 characters")
	}
	if s.Username == "" {
		s.Username = "safetynet"
	}
	return &Notifier{url: u, username: s.Username, client: env.HTTP()}, nil
}

// Send posts m. Discord answers 204 No Content; a 429 carries Retry-After,
// which the dispatcher honours.
func (n *Notifier) Send(ctx context.Context, m status.Message) error {
	body, err := json.Marshal(Payload(n.username, m))
	if err != nil {
		return fmt.Errorf("discord: encode message: %w", err)
	}
	if _, err := notify.PostJSON(ctx, n.client, n.url, body, nil); err != nil {
		return fmt.Errorf("discord: %w", err)
	}
	return nil
}

// Discord's embed limits.
const (
	maxTitle       = 256
	maxDescription = 4096
	maxFields      = 25
	maxFieldName   = 256
	maxFieldValue  = 1024
	maxFooter      = 2048
)

type field struct {
	Name   string `json:"name"`
	Value  string `json:"value"`
	Inline bool   `json:"inline"`
}

type embed struct {
	Title       string  `json:"title"`
	Description string  `json:"description,omitempty"`
	URL         string  `json:"url,omitempty"`
	Color       int     `json:"color"`
	Timestamp   string  `json:"timestamp,omitempty"`
	Fields      []field `json:"fields,omitempty"`
	Footer      struct {
		Text string `json:"text"`
	} `json:"footer"`
}

type payload struct {
	Username        string  `json:"username"`
	Embeds          []embed `json:"embeds"`
	AllowedMentions struct {
		Parse []string `json:"parse"`
	} `json:"allowed_mentions"`
}

// Colours by tone, as 0xRRGGBB integers.
var colors = map[notify.Tone]int{
	notify.ToneBad:     0xD92D20,
	notify.ToneWarning: 0xF79009,
	notify.ToneGood:    0x12B76A,
	notify.ToneInfo:    0x2E90FA,
}

// Payload is the JSON body posted for m.
func Payload(username string, m status.Message) any {
	e := embed{
		Title:       notify.Truncate(m.Title, maxTitle),
		Description: notify.Truncate(m.Text, maxDescription),
		URL:         m.URL,
		Color:       colors[notify.ToneOf(m)],
	}
	if !m.At.IsZero() {
		e.Timestamp = m.At.UTC().Format(time.RFC3339)
	}
	for _, f := range notify.Facts(m) {
		if len(e.Fields) == maxFields {
			break
		}
		e.Fields = append(e.Fields, field{notify.Truncate(f.Name, maxFieldName), notify.Truncate(f.Value, maxFieldValue), true})
	}
	e.Footer.Text = notify.Truncate(notify.Footer(m), maxFooter)
	p := payload{Username: username, Embeds: []embed{e}}
	p.AllowedMentions.Parse = []string{} // no @everyone, no role or user pings
	return p
}
