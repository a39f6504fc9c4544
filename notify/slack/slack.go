package slack

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"github.com/safetynet-dev/safetynet/notify"
	"github.com/safetynet-dev/safetynet/status"
)

// Kind is the notifier kind in the config.
const Kind = "slack"

func init() {
	notify.Register(Kind, func(name string, raw json.RawMessage, env notify.Env) (notify.Notifier, error) {
		var s Settings
		if err := notify.DecodeSettings(name, raw, &s); err != nil {
			return nil, err
		}
		return New(name, s, env)
	})
}

// Settings configure a Slack notifier.
type Settings struct {
	URLEnv  string `json:"url_env,omitempty"`
	URLFile string `json:"url_file,omitempty"`
}

// Notifier posts to one Slack incoming webhook.
type Notifier struct {
	url    *url.URL
	client *http.Client
}

var _ notify.Notifier = (*Notifier)(nil)

// New reads the webhook URL and returns the notifier.
func New(name string, s Settings, env notify.Env) (*Notifier, error) {
	u, err := env.SecretURL(name, "url", s.URLEnv, s.URLFile)
	if err != nil {
		return nil, err
	}
	return &Notifier{url: u, client: env.HTTP()}, nil
}

// Send posts m. Slack answers 200 "ok"; anything else is an error with
// Slack's reason ("invalid_payload", "channel_is_archived").
func (n *Notifier) Send(ctx context.Context, m status.Message) error {
	body, err := json.Marshal(Payload(m))
	if err != nil {
		return fmt.Errorf("slack: encode message: %w", err)
	}
	if _, err := notify.PostJSON(ctx, n.client, n.url, body, nil); err != nil {
		return fmt.Errorf("slack: %w", err)
	}
	return nil
}

// Block Kit limits this layout must respect.
const (
	maxHeader       = 150
	maxSectionText  = 3000
	maxFieldText    = 2000
	fieldsPerBlock  = 10
	maxFieldBlocks  = 5
	maxFallbackText = 3000
)

type text struct {
	Type  string `json:"type"`
	Text  string `json:"text"`
	Emoji bool   `json:"emoji,omitempty"` // plain_text only: render :shortcodes:
}

type element struct {
	Type string `json:"type"`
	Text *text  `json:"text,omitempty"`
	URL  string `json:"url,omitempty"`
}

type block struct {
	Type     string `json:"type"`
	Text     *text  `json:"text,omitempty"`
	Fields   []text `json:"fields,omitempty"`
	Elements []any  `json:"elements,omitempty"`
}

type payload struct {
	Text   string  `json:"text"`
	Blocks []block `json:"blocks"`
}

// Payload is the JSON body posted for m.
func Payload(m status.Message) any {
	title := emoji(m) + " " + m.Title
	p := payload{Text: notify.Truncate(title+fallbackText(m), maxFallbackText)}
	p.Blocks = append(p.Blocks, block{Type: "header", Text: &text{"plain_text", notify.Truncate(title, maxHeader), true}})
	if m.Text != "" {
		p.Blocks = append(p.Blocks, block{Type: "section", Text: &text{"mrkdwn", notify.Truncate(escape(m.Text), maxSectionText), false}})
	}
	facts := notify.Facts(m)
	for i := 0; i < len(facts) && i/fieldsPerBlock < maxFieldBlocks; i += fieldsPerBlock {
		var fs []text
		for _, f := range facts[i:min(i+fieldsPerBlock, len(facts))] {
			fs = append(fs, text{"mrkdwn", notify.Truncate("*"+escape(f.Name)+"*\n"+escape(f.Value), maxFieldText), false})
		}
		p.Blocks = append(p.Blocks, block{Type: "section", Fields: fs})
	}
	if m.URL != "" {
		p.Blocks = append(p.Blocks, block{Type: "actions", Elements: []any{
			element{Type: "button", Text: &text{"plain_text", "Open in safetynet", false}, URL: m.URL},
		}})
	}
	footer := escape(notify.Footer(m))
	if !m.At.IsZero() {
		// Slack renders <!date^unix^format|fallback> in the reader's time zone.
		footer += fmt.Sprintf(" · <!date^%d^{date_short_pretty} {time_secs}|%s>", m.At.Unix(), m.At.UTC().Format("2006-01-02 15:04:05 UTC"))
	}
	p.Blocks = append(p.Blocks, block{Type: "context", Elements: []any{text{"mrkdwn", footer, false}}})
	return p
}

func fallbackText(m status.Message) string {
	if m.Text == "" {
		return ""
	}
	return ": " + m.Text
}

// emoji marks the tone of a message where colour is not available.
func emoji(m status.Message) string {
	switch notify.ToneOf(m) {
	case notify.ToneBad:
		return ":red_circle:"
	case notify.ToneWarning:
		return ":large_orange_circle:"
	case notify.ToneGood:
		return ":large_green_circle:"
	}
	return ":information_source:"
}

// escape makes text literal in mrkdwn: Slack asks for &, < and > to be
// escaped, and reads <...> as links and mentions otherwise.
func escape(s string) string {
	return strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;").Replace(s)
}
