package incident_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/safetynet-dev/safetynet/incident"
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
