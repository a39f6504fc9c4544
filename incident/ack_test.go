package incident_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/safetynet-dev/safetynet/incident"
	"github.com/safetynet-dev/safetynet/status"
)

type keySource []byte

func (k keySource) SubscriberKey(context.Context) ([]byte, error) { return k, nil }

func TestAckLinkRoundTrip(t *testing.T) {
	key, err := incident.AckKey(context.Background(), keySource(strings.Repeat("k", 32)))
	if err != nil {
		t.Fatal(err)
	}
	if string(key) == strings.Repeat("k", 32) {
		t.Fatal("ack key is the subscriber key itself")
	}
	a := incident.Acks{Key: key}
	now := time.Date(2030, 1, 2, 3, 4, 5, 0, time.UTC)
	link := a.AckLink("https://status.example.com/", incident.AckIncident, 42, now)
	prefix := "https://status.example.com/ack/incident.42."
	if !strings.HasPrefix(link, prefix) {
		t.Fatalf("link %q does not start with %q", link, prefix)
	}
	tok := strings.TrimPrefix(link, "https://status.example.com/ack/")
	kind, id, err := a.VerifyAck(tok, now.Add(incident.DefaultAckTTL-time.Second))
	if err != nil || kind != incident.AckIncident || id != 42 {
		t.Fatalf("VerifyAck = %q, %d, %v; want incident, 42, nil", kind, id, err)
	}
	if _, _, err := a.VerifyAck(tok, now.Add(incident.DefaultAckTTL)); !errors.Is(err, incident.ErrAckExpired) {
		t.Errorf("after the TTL: err = %v, want ErrAckExpired", err)
	}
	short := incident.Acks{Key: key, TTL: time.Minute}
	if _, _, err := short.VerifyAck(short.Token(incident.AckAlert, 7, now), now.Add(2*time.Minute)); !errors.Is(err, incident.ErrAckExpired) {
		t.Errorf("TTL 1m after 2m: err = %v, want ErrAckExpired", err)
	}
}

func TestAckForged(t *testing.T) {
	a := incident.Acks{Key: incident.DeriveAckKey([]byte("one key"))}
	other := incident.Acks{Key: incident.DeriveAckKey([]byte("another key"))}
	now := time.Unix(1_900_000_000, 0)
	tok := a.Token(incident.AckAlert, 5, now)
	// Retarget the signed token at another alert, extend it, change kind.
	_, mac, _ := strings.Cut(tok[strings.LastIndexByte(tok, '.'):], ".")
	exp := strings.Split(tok, ".")[2]
	for name, bad := range map[string]string{
		"other key":   other.Token(incident.AckAlert, 5, now),
		"other id":    "alert.6." + exp + "." + mac,
		"other kind":  "incident.5." + exp + "." + mac,
		"later":       "alert.5.9999999999." + mac,
		"no mac":      "alert.5." + exp,
		"empty":       "",
		"garbage":     "%%%",
		"long":        strings.Repeat("a", 500),
		"expired+bad": "alert.5.1." + mac,
	} {
		if _, _, err := a.VerifyAck(bad, now); !errors.Is(err, incident.ErrAckInvalid) {
			t.Errorf("%s: err = %v, want ErrAckInvalid", name, err)
		}
	}
	// A token signed for a kind that does not exist is refused too.
	if _, _, err := a.VerifyAck(a.Token(incident.AckKind("user"), 5, now), now); !errors.Is(err, incident.ErrAckInvalid) {
		t.Errorf("unknown kind: err = %v, want ErrAckInvalid", err)
	}
	if _, _, err := (incident.Acks{}).VerifyAck(tok, now); !errors.Is(err, incident.ErrAckInvalid) {
		t.Errorf("no key: err = %v, want ErrAckInvalid", err)
	}
}

type sent []status.Message

func (s *sent) Send(_ context.Context, m status.Message) error { *s = append(*s, m); return nil }

type brokenKeys struct{}

func (brokenKeys) SubscriberKey(context.Context) ([]byte, error) {
	return nil, errors.New("database down")
}

func TestAckLinksAddLinkAtSendTime(t *testing.T) {
	var out sent
	now := time.Date(2030, 1, 2, 3, 4, 5, 0, time.UTC)
	keys := keySource(strings.Repeat("k", 32))
	l := &incident.AckLinks{Next: &out, Keys: keys, BaseURL: "https://status.example.com", Now: func() time.Time { return now }}
	fields := map[string]string{incident.FieldAck: incident.AckRef(incident.AckAlert, 42), "check": "api-health"}
	msgs := []status.Message{
		{Title: "down", URL: "https://status.example.com", Fields: fields},
		{Title: "plain", URL: "https://status.example.com", Fields: map[string]string{"check": "x"}},
		{Title: "bad ref", URL: "https://status.example.com", Fields: map[string]string{incident.FieldAck: "user/1"}},
	}
	for _, m := range msgs {
		if err := l.Send(t.Context(), m); err != nil {
			t.Fatal(err)
		}
	}
	if fields[incident.FieldAck] == "" {
		t.Error("Send changed the caller's fields")
	}
	key, _ := incident.AckKey(t.Context(), keys)
	tok, ok := strings.CutPrefix(out[0].URL, "https://status.example.com/ack/")
	if !ok {
		t.Fatalf("URL = %q, want an ack link", out[0].URL)
	}
	if kind, id, err := (incident.Acks{Key: key}).VerifyAck(tok, now); err != nil || kind != incident.AckAlert || id != 42 {
		t.Errorf("link names %q %d (%v), want alert 42", kind, id, err)
	}
	if _, has := out[0].Fields[incident.FieldAck]; has || out[0].Fields["check"] != "api-health" {
		t.Errorf("fields sent = %v, want the reference dropped and the rest kept", out[0].Fields)
	}
	if out[1].URL != "https://status.example.com" || out[2].URL != "https://status.example.com" {
		t.Errorf("messages without a valid reference changed: %q, %q", out[1].URL, out[2].URL)
	}

	// Without the key the alert still goes out, without a link.
	out = nil
	l = &incident.AckLinks{Next: &out, Keys: brokenKeys{}, BaseURL: "https://status.example.com"}
	if err := l.Send(t.Context(), msgs[0]); err != nil || len(out) != 1 || out[0].URL != "https://status.example.com" {
		t.Errorf("with no key: err %v, sent %+v", err, out)
	}
}
