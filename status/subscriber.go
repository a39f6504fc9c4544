package status

import (
	"context"
	"net/mail"
	"net/url"
	"time"
)

// SubscriberKind is how a subscriber is told.
type SubscriberKind string

// The subscriber kinds.
const (
	SubscriberEmail   SubscriberKind = "email"
	SubscriberWebhook SubscriberKind = "webhook"
)

// The events sent to subscribers besides EventIncident.
const (
	// EventSubscribeConfirm asks a new e-mail subscriber to confirm.
	EventSubscribeConfirm Event = "subscribe_confirm"
	// EventMaintenance announces a maintenance window or its start or end.
	EventMaintenance Event = "maintenance"
)

// Subscriber is someone who asked to be told about incidents and
// maintenance: an e-mail address (confirmed by a link before anything else
// is sent) or a webhook URL (signed with a secret shown once at signup).
//
// The server never stores a token or secret: they are derived from the
// server's subscriber key and Nonce (see package incident), and only the
// SHA-256 digests used to look a subscriber up by token are kept.
type Subscriber struct {
	ID      int64          `json:"id"`
	Kind    SubscriberKind `json:"kind"`
	Address string         `json:"address"` // e-mail address or webhook URL
	// Components limits notices to incidents and maintenance touching one
	// of these component IDs; empty means all components.
	Components  []string   `json:"components"`
	Confirmed   bool       `json:"confirmed"`
	ConfirmedAt *time.Time `json:"confirmed_at,omitempty"`
	Created     time.Time  `json:"created"`
	// Nonce is random per signup; tokens and the webhook secret are derived
	// from it.
	Nonce           string `json:"-"`
	ConfirmHash     string `json:"-"` // hex SHA-256 of the confirmation token
	UnsubscribeHash string `json:"-"` // hex SHA-256 of the unsubscribe token
}

// maxAddress bounds an address or URL.
const maxAddress = 512

// Validate checks a subscriber before it is stored.
func (s *Subscriber) Validate() error {
	if s.Address == "" {
		return invalidf("a subscriber needs an address")
	}
	if len(s.Address) > maxAddress {
		return invalidf("the address is longer than %d bytes", maxAddress)
	}
	switch s.Kind {
	case SubscriberEmail:
		a, err := mail.ParseAddress(s.Address)
		if err != nil || a.Address != s.Address || a.Name != "" {
			return invalidf("%q is not an e-mail address", s.Address)
		}
	case SubscriberWebhook:
		u, err := url.Parse(s.Address)
		if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Hostname() == "" || u.User != nil {
			return invalidf("a webhook needs an http or https URL without a user name")
		}
	default:
		return invalidf("unknown subscriber kind %q", s.Kind)
	}
	if s.Nonce == "" || s.UnsubscribeHash == "" {
		return invalidf("a subscriber needs a nonce and an unsubscribe hash")
	}
	if !s.Confirmed && s.ConfirmHash == "" {
		return invalidf("an unconfirmed subscriber needs a confirmation hash")
	}
	if len(s.Components) > 1000 {
		return invalidf("too many components")
	}
	return nil
}

// Wants reports whether the subscriber wants news about any of components.
// A subscriber without a component choice wants everything, and so does an
// event that names no component.
func (s *Subscriber) Wants(components []string) bool {
	if len(s.Components) == 0 || len(components) == 0 {
		return true
	}
	for _, c := range components {
		for _, w := range s.Components {
			if c == w {
				return true
			}
		}
	}
	return false
}

// SubscriberStore keeps subscribers. Lookups by token take the token's hex
// SHA-256 digest.
type SubscriberStore interface {
	// AddSubscriber stores a new subscriber. A pending (unconfirmed)
	// signup for the same kind and address is replaced, so asking again
	// sends a fresh link; a confirmed one is an ECONFLICT error.
	AddSubscriber(ctx context.Context, s Subscriber) (Subscriber, error)
	// ConfirmSubscriber confirms the subscriber whose confirmation token
	// hashes to confirmHash, and forgets that hash. ENOTFOUND if none.
	ConfirmSubscriber(ctx context.Context, confirmHash string, at time.Time) (Subscriber, error)
	// Unsubscribe deletes the subscriber whose unsubscribe token hashes to
	// unsubscribeHash and returns it. ENOTFOUND if none.
	Unsubscribe(ctx context.Context, unsubscribeHash string) (Subscriber, error)
	// Subscriber returns one subscriber; ENOTFOUND if none.
	Subscriber(ctx context.Context, id int64) (Subscriber, error)
	// Subscribers lists subscribers by ID, only the confirmed ones if
	// confirmedOnly.
	Subscribers(ctx context.Context, confirmedOnly bool) ([]Subscriber, error)
	// DeletePendingSubscribers forgets signups never confirmed that were
	// made before before, and returns how many.
	DeletePendingSubscribers(ctx context.Context, before time.Time) (int, error)
	// SubscriberKey returns the server's random 32-byte subscriber key,
	// creating it on first use. Tokens, webhook secrets and the signup
	// form's CSRF tokens are derived from it.
	SubscriberKey(ctx context.Context) ([]byte, error)
}
