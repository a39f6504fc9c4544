package incident

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/safetynet-dev/safetynet/notify"
	"github.com/safetynet-dev/safetynet/status"
)

// Acknowledgement links. Alerts and incident notices carry a link a person
// opens from Slack or e-mail to say "I am on it"; time to acknowledge is
// measured from that. The link is
//
//	{baseURL}/ack/{kind}.{id}.{expiry}.{mac}
//
// where kind is "alert" or "incident", expiry a Unix time and mac the
// URL-safe HMAC-SHA256 of the rest under the ack key. The ack key is derived
// from the server's subscriber key (status.SubscriberStore.SubscriberKey),
// so nothing new is stored and a token for one thing cannot be turned into a
// token for another. Opening the link only shows a confirmation page; the
// acknowledgement is a POST from it, so mail scanners that follow links
// acknowledge nothing (web/ack.go).
//
// Notifications name what they acknowledge with Fields[FieldAck] (AckRef);
// AckLinks, wrapped around the team's notifiers, turns that into a fresh
// link at send time, so the outbox never holds a token. Subscriber
// notifiers are never wrapped: customers do not acknowledge.

// AckKind names what a link acknowledges.
type AckKind string

// The kinds of acknowledgement links.
const (
	AckAlert    AckKind = "alert"
	AckIncident AckKind = "incident"
)

// DefaultAckTTL is how long an acknowledgement link works: long enough for
// a night and a weekend, short enough that an old message in an archive is
// not a standing credential. Reminders carry fresh links.
const DefaultAckTTL = 72 * time.Hour

// The errors of VerifyAck. A forged or mangled token is ErrAckInvalid even
// when its expiry has passed, so only a real token is ever called expired.
var (
	ErrAckInvalid = errors.New("acknowledgement link is not valid")
	ErrAckExpired = errors.New("acknowledgement link has expired")
)

// KeySource is where the ack key comes from: the subscriber store.
type KeySource interface {
	SubscriberKey(ctx context.Context) ([]byte, error)
}

// AckKey derives the ack key from the server's subscriber key.
func AckKey(ctx context.Context, src KeySource) ([]byte, error) {
	k, err := src.SubscriberKey(ctx)
	if err != nil {
		return nil, fmt.Errorf("incident: ack key: %w", err)
	}
	return DeriveAckKey(k), nil
}

// DeriveAckKey derives the ack key from a subscriber key, so the two are
// never the same key used for two purposes.
func DeriveAckKey(subscriberKey []byte) []byte {
	m := hmac.New(sha256.New, subscriberKey)
	m.Write([]byte("safetynet ack key v1"))
	return m.Sum(nil)
}

// Acks makes and checks acknowledgement links under one key.
type Acks struct {
	// Key is the ack key (AckKey or DeriveAckKey).
	Key []byte
	// TTL is how long links work; zero means DefaultAckTTL.
	TTL time.Duration
}

func (a Acks) ttl() time.Duration {
	if a.TTL > 0 {
		return a.TTL
	}
	return DefaultAckTTL
}

// Token returns the token acknowledging kind id, valid until now+TTL.
func (a Acks) Token(kind AckKind, id int64, now time.Time) string {
	body := string(kind) + "." + strconv.FormatInt(id, 10) + "." + strconv.FormatInt(now.Add(a.ttl()).Unix(), 10)
	return body + "." + a.mac(body)
}

// AckLink returns the link acknowledging kind id: baseURL/ack/token. An
// empty baseURL gives a path alone.
func (a Acks) AckLink(baseURL string, kind AckKind, id int64, now time.Time) string {
	return strings.TrimSuffix(baseURL, "/") + "/ack/" + url.PathEscape(a.Token(kind, id, now))
}

func (a Acks) mac(body string) string {
	m := hmac.New(sha256.New, a.Key)
	m.Write([]byte("safetynet ack\x00" + body))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

// VerifyAck checks a token and returns what it acknowledges: ErrAckInvalid
// when it was not made under this key (or is not a token at all),
// ErrAckExpired when it was but its time is up.
func (a Acks) VerifyAck(token string, now time.Time) (AckKind, int64, error) {
	if len(a.Key) == 0 || len(token) > 200 {
		return "", 0, ErrAckInvalid
	}
	i := strings.LastIndexByte(token, '.')
	if i < 0 {
		return "", 0, ErrAckInvalid
	}
	body, mac := token[:i], token[i+1:]
	if !hmac.Equal([]byte(mac), []byte(a.mac(body))) {
		return "", 0, ErrAckInvalid
	}
	parts := strings.Split(body, ".")
	if len(parts) != 3 {
		return "", 0, ErrAckInvalid
	}
	kind := AckKind(parts[0])
	id, err1 := strconv.ParseInt(parts[1], 10, 64)
	exp, err2 := strconv.ParseInt(parts[2], 10, 64)
	if (kind != AckAlert && kind != AckIncident) || err1 != nil || err2 != nil || id <= 0 {
		return "", 0, ErrAckInvalid
	}
	if now.Unix() >= exp {
		return kind, id, ErrAckExpired
	}
	return kind, id, nil
}

// FieldAck is the Message.Fields key naming what a notification can be
// acknowledged as: "alert/42" or "incident/7" (AckRef). The outbox keeps
// only this reference; AckLinks turns it into a signed link when the
// message is sent, so no credential is ever stored with a notification.
const FieldAck = "ack"

// AckRef is the FieldAck value for kind id.
func AckRef(kind AckKind, id int64) string { return string(kind) + "/" + strconv.FormatInt(id, 10) }

// parseRef reads an AckRef.
func parseRef(ref string) (AckKind, int64, bool) {
	k, v, ok := strings.Cut(ref, "/")
	id, err := strconv.ParseInt(v, 10, 64)
	kind := AckKind(k)
	if !ok || err != nil || id <= 0 || (kind != AckAlert && kind != AckIncident) {
		return "", 0, false
	}
	return kind, id, true
}

// AckLinks wraps a notifier so that messages carrying FieldAck are sent
// with URL set to a fresh acknowledgement link, and with the reference
// itself dropped from the fields. Messages without one pass unchanged.
type AckLinks struct {
	Next notify.Notifier
	// Keys supplies the ack key (the subscriber store); it is read once.
	Keys KeySource
	// BaseURL is the server's public URL (config Server.BaseURL).
	BaseURL string
	// TTL is how long links work; zero means DefaultAckTTL.
	TTL time.Duration
	// Now is the clock; nil means time.Now.
	Now func() time.Time

	mu  sync.Mutex
	key []byte
}

// Send adds the link and passes the message on. When the key cannot be
// read the message goes out without a link rather than not at all: an
// alert nobody can acknowledge by link is better than no alert.
func (l *AckLinks) Send(ctx context.Context, m status.Message) error {
	ref, ok := m.Fields[FieldAck]
	if !ok {
		return l.Next.Send(ctx, m)
	}
	fields := make(map[string]string, len(m.Fields))
	for k, v := range m.Fields {
		if k != FieldAck {
			fields[k] = v
		}
	}
	m.Fields = fields
	kind, id, ok := parseRef(ref)
	if !ok {
		return l.Next.Send(ctx, m)
	}
	key, err := l.ackKey(ctx)
	if err != nil {
		return l.Next.Send(ctx, m)
	}
	now := time.Now
	if l.Now != nil {
		now = l.Now
	}
	m.URL = Acks{Key: key, TTL: l.TTL}.AckLink(l.BaseURL, kind, id, now())
	return l.Next.Send(ctx, m)
}

func (l *AckLinks) ackKey(ctx context.Context) ([]byte, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.key == nil {
		k, err := AckKey(ctx, l.Keys)
		if err != nil {
			return nil, err
		}
		l.key = k
	}
	return l.key, nil
}
