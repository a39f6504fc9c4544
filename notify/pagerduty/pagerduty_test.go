package pagerduty_test

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/safetynet-dev/safetynet/notify"
	"github.com/safetynet-dev/safetynet/notify/notifytest"
	"github.com/safetynet-dev/safetynet/notify/pagerduty"
	"github.com/safetynet-dev/safetynet/status"
)

func newNotifier(t *testing.T, rcv *notifytest.Receiver, extra string) notify.Notifier {
	t.Helper()
	env := notifytest.Env(map[string]string{"PD_KEY": "R0UT1NGKEY0123456789012345678901"}, nil)
	n, err := notify.New(status.NotifierSpec{Name: "oncall", Kind: "pagerduty",
		Settings: json.RawMessage(`{"routing_key_env":"PD_KEY","url":"` + rcv.URL + `/v2/enqueue"` + extra + `}`)}, env)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func TestTriggerThenResolveShareTheDedupKey(t *testing.T) {
	rcv := notifytest.NewReceiver(t, http.StatusAccepted, `{"status":"success","message":"Event processed","dedup_key":"x"}`)
	n := newNotifier(t, rcv, "")
	down := notifytest.Message()
	if err := n.Send(context.Background(), down); err != nil {
		t.Fatal(err)
	}
	trig := rcv.Last(t)
	if trig.Path != "/v2/enqueue" {
		t.Errorf("path %q", trig.Path)
	}
	notifytest.JSONEqual(t, trig.Body, `{
	  "routing_key": "R0UT1NGKEY0123456789012345678901",
	  "event_action": "trigger",
	  "dedup_key": "safetynet:checkout-health",
	  "client": "safetynet",
	  "client_url": "https://status.example.com/components/checkout",
	  "links": [{"href": "https://status.example.com/components/checkout", "text": "Open in safetynet"}],
	  "payload": {
	    "summary": "checkout is down: GET https://shop.example.com/health failed 3 times: status 503 <want 200>",
	    "source": "checkout",
	    "severity": "critical",
	    "timestamp": "2026-03-01T21:04:05Z",
	    "component": "checkout",
	    "group": "payments",
	    "class": "down",
	    "custom_details": {
	      "notification_id": "n-7f3a9c",
	      "event": "down",
	      "status": "major_outage",
	      "text": "GET https://shop.example.com/health failed 3 times: status 503 <want 200>",
	      "check": "checkout-health",
	      "location": "local",
	      "subject": "checkout-health"
	    }
	  }
	}`)

	up := down
	up.ID, up.Event, up.Title, up.Status = "n-8b1", status.EventUp, "checkout recovered after 12m", status.Operational
	if err := n.Send(context.Background(), up); err != nil {
		t.Fatal(err)
	}
	notifytest.JSONEqual(t, rcv.Last(t).Body, `{
	  "routing_key": "R0UT1NGKEY0123456789012345678901",
	  "event_action": "resolve",
	  "dedup_key": "safetynet:checkout-health"
	}`)
}

func TestDedupKey(t *testing.T) {
	for _, c := range []struct {
		m    status.Message
		want string
	}{
		{status.Message{ID: "1", Component: "api", Fields: map[string]string{"subject": "users{customer=acme}"}}, "safetynet:users{customer=acme}"},
		{status.Message{ID: "2", Component: "api", Fields: map[string]string{"check": "api-health"}}, "safetynet:api/api-health"},
		{status.Message{ID: "3", Component: "api"}, "safetynet:api"},
		{status.Message{ID: "4"}, "safetynet:message/4"},
	} {
		if got := pagerduty.DedupKey(c.m); got != c.want {
			t.Errorf("DedupKey(%+v) = %q, want %q", c.m, got, c.want)
		}
	}
	long := status.Message{Fields: map[string]string{"subject": strings.Repeat("s", 300)}}
	if k := pagerduty.DedupKey(long); len(k) > 255 || k != pagerduty.DedupKey(long) {
		t.Errorf("long subject key %q: want ≤255 characters and stable", k)
	}
}

func TestSeverity(t *testing.T) {
	rcv := notifytest.NewReceiver(t, http.StatusAccepted, `{}`)
	n := newNotifier(t, rcv, `,"severity":"warning","source":"prod-eu"`)
	for _, c := range []struct {
		m        status.Message
		severity string
	}{
		{status.Message{ID: "a", Event: status.EventDown, Status: status.PartialOutage}, "error"},
		{status.Message{ID: "b", Event: status.EventDown, Status: status.Degraded}, "warning"},
		{status.Message{ID: "c", Event: status.EventAnomaly}, "warning"}, // from the settings
		{status.Message{ID: "d", Event: status.EventTestAlert, Status: status.MajorOutage}, "info"},
	} {
		if err := n.Send(context.Background(), c.m); err != nil {
			t.Fatal(err)
		}
		var e struct {
			Payload struct{ Severity, Source string }
		}
		if err := json.Unmarshal(rcv.Last(t).Body, &e); err != nil {
			t.Fatal(err)
		}
		if e.Payload.Severity != c.severity || e.Payload.Source != "prod-eu" {
			t.Errorf("%s: severity %q source %q, want %q prod-eu", c.m.ID, e.Payload.Severity, e.Payload.Source, c.severity)
		}
	}
}

func TestRejectedEventIsAnErrorWithoutTheKey(t *testing.T) {
	rcv := notifytest.NewReceiver(t, http.StatusBadRequest, `{"status":"invalid event","message":"Event object is invalid","errors":["Length of 'routing_key' is incorrect"]}`)
	n := newNotifier(t, rcv, "")
	err := n.Send(context.Background(), notifytest.Message())
	if err == nil || !strings.Contains(err.Error(), "400") || !strings.Contains(err.Error(), "Event object is invalid") {
		t.Fatalf("err = %v", err)
	}
	if strings.Contains(err.Error(), "R0UT1NGKEY") {
		t.Errorf("error leaks the routing key: %v", err)
	}
}

func TestSettings(t *testing.T) {
	env := notifytest.Env(map[string]string{"K": "key"}, nil)
	for settings, want := range map[string]string{
		`{}`: "routing_key_env: set routing_key_env or routing_key_file",
		`{"routing_key_env":"K","severity":"sev1"}`: `severity: "sev1" is not one of`,
		`{"routing_key":"abc"}`:                     `unknown field "routing_key"`,
	} {
		_, err := notify.New(status.NotifierSpec{Name: "pd", Kind: "pagerduty", Settings: json.RawMessage(settings)}, env)
		if err == nil || !strings.Contains(err.Error(), want) || !strings.Contains(err.Error(), `notifier "pd"`) {
			t.Errorf("%s: err = %v, want %q", settings, err, want)
		}
	}
	if _, err := pagerduty.New("pd", pagerduty.Settings{RoutingKeyEnv: "K"}, env); err != nil {
		t.Errorf("default endpoint: %v", err)
	}
}

func TestActionItemsPageNobody(t *testing.T) {
	rcv := notifytest.NewReceiver(t, http.StatusAccepted, `{"status":"success"}`)
	n := newNotifier(t, rcv, "")
	m := notifytest.Message()
	m.Event = status.EventActionItem
	if err := n.Send(context.Background(), m); err != nil {
		t.Fatal(err)
	}
	if got := len(rcv.Requests()); got != 0 {
		t.Errorf("an action item sent %d PagerDuty events, want none", got)
	}
}
