package teams

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"

	"github.com/safetynet-dev/safetynet/notify"
	"github.com/safetynet-dev/safetynet/status"
)

// Kind is the notifier kind in the config.
const Kind = "teams"

func init() {
	notify.Register(Kind, func(name string, raw json.RawMessage, env notify.Env) (notify.Notifier, error) {
		var s Settings
		if err := notify.DecodeSettings(name, raw, &s); err != nil {
			return nil, err
		}
		return New(name, s, env)
	})
}

// Settings configure a Teams notifier.
type Settings struct {
	URLEnv  string `json:"url_env,omitempty"`
	URLFile string `json:"url_file,omitempty"`
}

// Notifier posts to one Teams Workflows webhook.
type Notifier struct {
	url    *url.URL
	client *http.Client
}

var _ notify.Notifier = (*Notifier)(nil)

// New reads the workflow URL and returns the notifier.
func New(name string, s Settings, env notify.Env) (*Notifier, error) {
	u, err := env.SecretURL(name, "url", s.URLEnv, s.URLFile)
	if err != nil {
		return nil, err
	}
	return &Notifier{url: u, client: env.HTTP()}, nil
}

// Send posts m. Workflows answer 202 Accepted once the flow has the
// request.
func (n *Notifier) Send(ctx context.Context, m status.Message) error {
	body, err := json.Marshal(Payload(m))
	if err != nil {
		return fmt.Errorf("teams: encode message: %w", err)
	}
	if _, err := notify.PostJSON(ctx, n.client, n.url, body, nil); err != nil {
		return fmt.Errorf("teams: %w", err)
	}
	return nil
}

// Adaptive Card colours by tone (the host's palette names).
var colors = map[notify.Tone]string{
	notify.ToneBad:     "Attention",
	notify.ToneWarning: "Warning",
	notify.ToneGood:    "Good",
	notify.ToneInfo:    "Accent",
}

// Payload is the JSON body posted for m: a message activity with one
// Adaptive Card attachment, which is what the Workflows trigger reads.
func Payload(m status.Message) any {
	body := []map[string]any{{
		"type": "TextBlock", "text": m.Title, "size": "Large", "weight": "Bolder",
		"color": colors[notify.ToneOf(m)], "wrap": true,
	}}
	if m.Text != "" {
		body = append(body, map[string]any{"type": "TextBlock", "text": m.Text, "wrap": true})
	}
	if fs := notify.Facts(m); len(fs) > 0 {
		facts := make([]map[string]string, 0, len(fs))
		for _, f := range fs {
			facts = append(facts, map[string]string{"title": f.Name, "value": f.Value})
		}
		body = append(body, map[string]any{"type": "FactSet", "facts": facts})
	}
	footer := notify.Footer(m)
	if !m.At.IsZero() {
		footer += " · " + m.At.UTC().Format("2006-01-02 15:04:05 UTC")
	}
	body = append(body, map[string]any{"type": "TextBlock", "text": footer, "size": "Small", "isSubtle": true, "wrap": true})

	card := map[string]any{
		"$schema": "http://adaptivecards.io/schemas/adaptive-card.json",
		"type":    "AdaptiveCard",
		"version": "1.4",
		"body":    body,
		"msteams": map[string]string{"width": "Full"},
	}
	if m.URL != "" {
		card["actions"] = []map[string]string{{"type": "Action.OpenUrl", "title": "Open in safetynet", "url": m.URL}}
	}
	return map[string]any{
		"type": "message",
		"attachments": []map[string]any{{
			"contentType": "application/vnd.microsoft.card.adaptive",
			"contentUrl":  nil,
			"content":     card,
		}},
	}
}
