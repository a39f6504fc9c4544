package teams_test

import (
	"context"
	"encoding/json"
	"net/http"
	"testing"

	"github.com/safetynet-dev/safetynet/notify"
	"github.com/safetynet-dev/safetynet/notify/notifytest"
	"github.com/safetynet-dev/safetynet/status"
)

func TestPostsAdaptiveCard(t *testing.T) {
	rcv := notifytest.NewReceiver(t, http.StatusAccepted, "")
	url := rcv.URL + "/workflows/abc/triggers/manual/paths/invoke?api-version=1&sig=SECRET"
	env := notifytest.Env(map[string]string{"TEAMS_URL": url}, nil)
	n, err := notify.New(status.NotifierSpec{Name: "ops-teams", Kind: "teams", Settings: json.RawMessage(`{"url_env":"TEAMS_URL"}`)}, env)
	if err != nil {
		t.Fatal(err)
	}
	if err := n.Send(context.Background(), notifytest.Message()); err != nil {
		t.Fatal(err)
	}
	req := rcv.Last(t)
	if req.Path != "/workflows/abc/triggers/manual/paths/invoke?api-version=1&sig=SECRET" {
		t.Errorf("path %q: the query (the signature) must be kept", req.Path)
	}
	notifytest.JSONEqual(t, req.Body, `{
	  "type": "message",
	  "attachments": [{
	    "contentType": "application/vnd.microsoft.card.adaptive",
	    "contentUrl": null,
	    "content": {
	      "$schema": "http://adaptivecards.io/schemas/adaptive-card.json",
	      "type": "AdaptiveCard",
	      "version": "1.4",
	      "msteams": {"width": "Full"},
	      "body": [
	        {"type": "TextBlock", "text": "checkout is down", "size": "Large", "weight": "Bolder", "color": "Attention", "wrap": true},
	        {"type": "TextBlock", "text": "GET https://shop.example.com/health failed 3 times: status 503 <want 200>", "wrap": true},
	        {"type": "FactSet", "facts": [
	          {"title": "Status", "value": "major outage"},
	          {"title": "Component", "value": "checkout"},
	          {"title": "Team", "value": "payments"},
	          {"title": "check", "value": "checkout-health"},
	          {"title": "location", "value": "local"},
	          {"title": "subject", "value": "checkout-health"}
	        ]},
	        {"type": "TextBlock", "text": "safetynet · down · id n-7f3a9c · 2026-03-01 21:04:05 UTC", "size": "Small", "isSubtle": true, "wrap": true}
	      ],
	      "actions": [{"type": "Action.OpenUrl", "title": "Open in safetynet", "url": "https://status.example.com/components/checkout"}]
	    }
	  }]
	}`)
}

func TestMinimalMessageHasNoEmptyParts(t *testing.T) {
	rcv := notifytest.NewReceiver(t, http.StatusAccepted, "")
	env := notifytest.Env(map[string]string{"U": rcv.URL}, nil)
	n, err := notify.New(status.NotifierSpec{Name: "t", Kind: "teams", Settings: json.RawMessage(`{"url_env":"U"}`)}, env)
	if err != nil {
		t.Fatal(err)
	}
	if err := n.Send(context.Background(), status.Message{ID: "t1", Event: status.EventTestAlert, Title: "test"}); err != nil {
		t.Fatal(err)
	}
	notifytest.JSONEqual(t, rcv.Last(t).Body, `{
	  "type": "message",
	  "attachments": [{
	    "contentType": "application/vnd.microsoft.card.adaptive",
	    "contentUrl": null,
	    "content": {
	      "$schema": "http://adaptivecards.io/schemas/adaptive-card.json",
	      "type": "AdaptiveCard", "version": "1.4", "msteams": {"width": "Full"},
	      "body": [
	        {"type": "TextBlock", "text": "test", "size": "Large", "weight": "Bolder", "color": "Accent", "wrap": true},
	        {"type": "TextBlock", "text": "safetynet · test · id t1", "size": "Small", "isSubtle": true, "wrap": true}
	      ]
	    }
	  }]
	}`)
}
