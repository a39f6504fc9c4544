package discord_test

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/safetynet-dev/safetynet/notify"
	"github.com/safetynet-dev/safetynet/notify/discord"
	"github.com/safetynet-dev/safetynet/notify/notifytest"
	"github.com/safetynet-dev/safetynet/status"
)

func TestPostsEmbed(t *testing.T) {
	rcv := notifytest.NewReceiver(t, http.StatusNoContent, "")
	env := notifytest.Env(map[string]string{"DISCORD_URL": rcv.URL + "/api/webhooks/123/tok"}, nil)
	n, err := notify.New(status.NotifierSpec{Name: "ops-discord", Kind: "discord",
		Settings: json.RawMessage(`{"url_env":"DISCORD_URL","username":"status bot"}`)}, env)
	if err != nil {
		t.Fatal(err)
	}
	if err := n.Send(context.Background(), notifytest.Message()); err != nil {
		t.Fatal(err)
	}
	req := rcv.Last(t)
	if req.Path != "/api/webhooks/123/tok" {
		t.Errorf("path %q", req.Path)
	}
	notifytest.JSONEqual(t, req.Body, `{
	  "username": "status bot",
	  "allowed_mentions": {"parse": []},
	  "embeds": [{
	    "title": "checkout is down",
	    "description": "GET https://shop.example.com/health failed 3 times: status 503 <want 200>",
	    "url": "https://status.example.com/components/checkout",
	    "color": 14232864,
	    "timestamp": "2026-03-01T21:04:05Z",
	    "fields": [
	      {"name": "Status", "value": "major outage", "inline": true},
	      {"name": "Component", "value": "checkout", "inline": true},
	      {"name": "Team", "value": "payments", "inline": true},
	      {"name": "check", "value": "checkout-health", "inline": true},
	      {"name": "location", "value": "local", "inline": true},
	      {"name": "subject", "value": "checkout-health", "inline": true}
	    ],
	    "footer": {"text": "safetynet · down · id n-7f3a9c"}
	  }]
	}`)
}

func TestRateLimitCarriesRetryAfter(t *testing.T) {
	rcv := notifytest.NewReceiver(t, http.StatusTooManyRequests, `{"message":"You are being rate limited.","retry_after":1.5,"global":false}`)
	rcv.Header.Set("Retry-After", "2")
	n, err := discord.New("d", discord.Settings{URLEnv: "U"}, notifytest.Env(map[string]string{"U": rcv.URL + "/api/webhooks/1/t"}, nil))
	if err != nil {
		t.Fatal(err)
	}
	err = n.Send(context.Background(), notifytest.Message())
	if d, ok := notify.RetryAfter(err); !ok || d != 2*time.Second {
		t.Errorf("RetryAfter(%v) = %v, %v; want 2s", err, d, ok)
	}
}

func TestRecoveryColourAndLimits(t *testing.T) {
	m := status.Message{ID: "x", Event: status.EventUp, Title: strings.Repeat("t", 300), Fields: map[string]string{}}
	for i := range 30 {
		m.Fields[strings.Repeat("k", i+1)] = "v"
	}
	b, _ := json.Marshal(discord.Payload("safetynet", m))
	var p struct {
		Embeds []struct {
			Title  string
			Color  int
			Fields []any
		}
	}
	if err := json.Unmarshal(b, &p); err != nil {
		t.Fatal(err)
	}
	e := p.Embeds[0]
	if e.Color != 0x12B76A || len([]rune(e.Title)) != 256 || len(e.Fields) != 25 {
		t.Errorf("colour %#x, title %d runes, %d fields; want green, 256, 25", e.Color, len([]rune(e.Title)), len(e.Fields))
	}
}
