package slack_test

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/safetynet-dev/safetynet/notify"
	"github.com/safetynet-dev/safetynet/notify/notifytest"
	"github.com/safetynet-dev/safetynet/notify/slack"
	"github.com/safetynet-dev/safetynet/status"
)

func TestPostsBlockKitMessage(t *testing.T) {
	rcv := notifytest.NewReceiver(t, http.StatusOK, "ok")
	env := notifytest.Env(nil, map[string]string{"/run/secrets/slack": rcv.URL + "/services/T0/B0/XXXX\n"})
	n, err := notify.New(status.NotifierSpec{Name: "payments-slack", Kind: "slack",
		Settings: json.RawMessage(`{"url_file":"/run/secrets/slack"}`)}, env)
	if err != nil {
		t.Fatal(err)
	}
	if err := n.Send(context.Background(), notifytest.Message()); err != nil {
		t.Fatal(err)
	}
	req := rcv.Last(t)
	if req.Method != http.MethodPost || req.Path != "/services/T0/B0/XXXX" || req.Header.Get("Content-Type") != "application/json" {
		t.Errorf("request %s %s %s", req.Method, req.Path, req.Header.Get("Content-Type"))
	}
	notifytest.JSONEqual(t, req.Body, `{
	  "text": ":red_circle: checkout is down: GET https://shop.example.com/health failed 3 times: status 503 <want 200>",
	  "blocks": [
	    {"type": "header", "text": {"type": "plain_text", "text": ":red_circle: checkout is down", "emoji": true}},
	    {"type": "section", "text": {"type": "mrkdwn", "text": "GET https://shop.example.com/health failed 3 times: status 503 &lt;want 200&gt;"}},
	    {"type": "section", "fields": [
	      {"type": "mrkdwn", "text": "*Status*\nmajor outage"},
	      {"type": "mrkdwn", "text": "*Component*\ncheckout"},
	      {"type": "mrkdwn", "text": "*Team*\npayments"},
	      {"type": "mrkdwn", "text": "*check*\ncheckout-health"},
	      {"type": "mrkdwn", "text": "*location*\nlocal"},
	      {"type": "mrkdwn", "text": "*subject*\ncheckout-health"}
	    ]},
	    {"type": "actions", "elements": [
	      {"type": "button", "text": {"type": "plain_text", "text": "Open in safetynet"}, "url": "https://status.example.com/components/checkout"}
	    ]},
	    {"type": "context", "elements": [
	      {"type": "mrkdwn", "text": "safetynet · down · id n-7f3a9c · <!date^1772399045^{date_short_pretty} {time_secs}|2026-03-01 21:04:05 UTC>"}
	    ]}
	  ]
	}`)
}

func TestRecoveryAndLimits(t *testing.T) {
	m := status.Message{ID: "n-2", Event: status.EventUp, Title: strings.Repeat("x", 200), Fields: map[string]string{}}
	for i := range 23 {
		m.Fields[string(rune('a'+i))] = "v"
	}
	b, err := json.Marshal(slack.Payload(m))
	if err != nil {
		t.Fatal(err)
	}
	var p struct {
		Blocks []struct {
			Type   string
			Text   struct{ Text string }
			Fields []any
		}
	}
	if err := json.Unmarshal(b, &p); err != nil {
		t.Fatal(err)
	}
	header := p.Blocks[0].Text.Text
	if !strings.HasPrefix(header, ":large_green_circle:") || len([]rune(header)) != 150 || !strings.HasSuffix(header, "…") {
		t.Errorf("header %q: want green, cut to Slack's 150 characters", header)
	}
	var sizes []int
	for _, bl := range p.Blocks {
		if bl.Type == "section" && bl.Fields != nil {
			sizes = append(sizes, len(bl.Fields))
		}
	}
	if len(sizes) != 3 || sizes[0] != 10 || sizes[1] != 10 || sizes[2] != 3 {
		t.Errorf("field sections %v, want 10+10+3 (Slack allows 10 per section)", sizes)
	}
	if last := p.Blocks[len(p.Blocks)-1]; last.Type != "context" {
		t.Errorf("last block %q, want the context footer", last.Type)
	}
}

func TestSlackErrorIsReturnedWithoutWebhookPath(t *testing.T) {
	rcv := notifytest.NewReceiver(t, http.StatusNotFound, "no_service")
	n, err := slack.New("s", slack.Settings{URLEnv: "SLACK"}, notifytest.Env(map[string]string{"SLACK": rcv.URL + "/services/T0/B0/SECRETPATH"}, nil))
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	err = n.Send(ctx, notifytest.Message())
	if err == nil || !strings.Contains(err.Error(), "no_service") || !strings.Contains(err.Error(), "404") {
		t.Fatalf("err = %v, want Slack's 404 no_service", err)
	}
	if strings.Contains(err.Error(), "SECRETPATH") {
		t.Errorf("error leaks the webhook path: %v", err)
	}
}

func TestSettingsNeedASecretSource(t *testing.T) {
	_, err := notify.New(status.NotifierSpec{Name: "s", Kind: "slack", Settings: json.RawMessage(`{"url":"https://hooks.slack.com/services/x"}`)}, notifytest.Env(nil, nil))
	if err == nil || !strings.Contains(err.Error(), `unknown field "url"`) {
		t.Errorf("err = %v: a webhook URL in the config itself must be refused", err)
	}
}
