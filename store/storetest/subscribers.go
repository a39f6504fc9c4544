package storetest

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/safetynet-dev/safetynet"
	"github.com/safetynet-dev/safetynet/status"
)

// RunSubscribers runs the contract of status.SubscriberStore against a
// fresh store from open for each subtest.
func RunSubscribers(t *testing.T, open func(t *testing.T) status.SubscriberStore) {
	t0 := time.Date(2026, 11, 26, 21, 2, 0, 0, time.UTC)
	pending := func(addr, nonce string) status.Subscriber {
		return status.Subscriber{Kind: status.SubscriberEmail, Address: addr, Components: []string{"api"}, Created: t0,
			Nonce: nonce, ConfirmHash: "c-" + nonce, UnsubscribeHash: "u-" + nonce}
	}

	t.Run("double opt-in, list, unsubscribe", func(t *testing.T) {
		s := open(t)
		ctx := t.Context()
		a, err := s.AddSubscriber(ctx, pending("ann@example.com", "n1"))
		if err != nil {
			t.Fatal(err)
		}
		if a.ID == 0 || a.Confirmed {
			t.Fatalf("added = %+v", a)
		}
		if subs, err := s.Subscribers(ctx, true); err != nil || len(subs) != 0 {
			t.Fatalf("confirmed before confirmation = %v, %v", subs, err)
		}
		if _, err := s.ConfirmSubscriber(ctx, "c-wrong", t0); safetynet.ErrorCode(err) != safetynet.ENOTFOUND {
			t.Fatalf("confirm with a wrong hash: err = %v, want not_found", err)
		}
		c, err := s.ConfirmSubscriber(ctx, "c-n1", t0.Add(time.Minute))
		if err != nil {
			t.Fatal(err)
		}
		if !c.Confirmed || c.ConfirmedAt == nil || !c.ConfirmedAt.Equal(t0.Add(time.Minute)) || c.ID != a.ID {
			t.Fatalf("confirmed = %+v", c)
		}
		if _, err := s.ConfirmSubscriber(ctx, "c-n1", t0); safetynet.ErrorCode(err) != safetynet.ENOTFOUND {
			t.Fatalf("a confirmation link works twice: err = %v", err)
		}
		got, err := s.Subscriber(ctx, a.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.Kind != status.SubscriberEmail || got.Address != "ann@example.com" || strings.Join(got.Components, ",") != "api" ||
			!got.Created.Equal(t0) || got.Created.Location() != time.UTC || got.Nonce != "n1" || got.UnsubscribeHash != "u-n1" || got.ConfirmHash != "" || !got.Confirmed {
			t.Fatalf("round trip = %+v", got)
		}
		subs, err := s.Subscribers(ctx, true)
		if err != nil || len(subs) != 1 || subs[0].ID != a.ID {
			t.Fatalf("confirmed subscribers = %+v, %v", subs, err)
		}
		gone, err := s.Unsubscribe(ctx, "u-n1")
		if err != nil || gone.ID != a.ID {
			t.Fatalf("unsubscribe = %+v, %v", gone, err)
		}
		if _, err := s.Unsubscribe(ctx, "u-n1"); safetynet.ErrorCode(err) != safetynet.ENOTFOUND {
			t.Fatalf("second unsubscribe: err = %v, want not_found", err)
		}
		if _, err := s.Subscriber(ctx, a.ID); safetynet.ErrorCode(err) != safetynet.ENOTFOUND {
			t.Fatalf("unsubscribed subscriber still there: err = %v", err)
		}
	})

	t.Run("a pending signup is replaced, a confirmed one conflicts", func(t *testing.T) {
		s := open(t)
		ctx := t.Context()
		if _, err := s.AddSubscriber(ctx, pending("bob@example.com", "n1")); err != nil {
			t.Fatal(err)
		}
		again := pending("bob@example.com", "n2")
		again.Components = nil
		b, err := s.AddSubscriber(ctx, again)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.ConfirmSubscriber(ctx, "c-n1", t0); safetynet.ErrorCode(err) != safetynet.ENOTFOUND {
			t.Fatalf("the replaced link still confirms: err = %v", err)
		}
		if _, err := s.ConfirmSubscriber(ctx, "c-n2", t0); err != nil {
			t.Fatal(err)
		}
		if _, err := s.AddSubscriber(ctx, pending("bob@example.com", "n3")); safetynet.ErrorCode(err) != safetynet.ECONFLICT {
			t.Fatalf("re-adding a confirmed subscriber: err = %v, want conflict", err)
		}
		all, err := s.Subscribers(ctx, false)
		if err != nil || len(all) != 1 || all[0].ID != b.ID || len(all[0].Components) != 0 {
			t.Fatalf("subscribers = %+v, %v", all, err)
		}
		// A webhook may be stored confirmed, with no confirmation hash.
		wh := status.Subscriber{Kind: status.SubscriberWebhook, Address: "https://hooks.example.com/x", Confirmed: true, ConfirmedAt: &t0, Nonce: "w1", UnsubscribeHash: "u-w1"}
		if _, err := s.AddSubscriber(ctx, wh); err != nil {
			t.Fatal(err)
		}
		if subs, err := s.Subscribers(ctx, true); err != nil || len(subs) != 2 || subs[1].Kind != status.SubscriberWebhook {
			t.Fatalf("confirmed subscribers = %+v, %v", subs, err)
		}
	})

	t.Run("invalid subscribers are refused", func(t *testing.T) {
		s := open(t)
		for _, bad := range []status.Subscriber{
			{Kind: status.SubscriberEmail, Address: "not an address", Nonce: "x", ConfirmHash: "c", UnsubscribeHash: "u"},
			{Kind: status.SubscriberWebhook, Address: "ftp://example.com/", Nonce: "x", Confirmed: true, UnsubscribeHash: "u"},
			{Kind: "sms", Address: "+15550100", Nonce: "x", ConfirmHash: "c", UnsubscribeHash: "u"},
			{Kind: status.SubscriberEmail, Address: "a@example.com", Nonce: "x", UnsubscribeHash: "u"},
		} {
			if _, err := s.AddSubscriber(t.Context(), bad); safetynet.ErrorCode(err) != safetynet.EINVALID {
				t.Errorf("AddSubscriber(%+v): err = %v, want invalid", bad, err)
			}
		}
	})

	t.Run("stale pending signups are forgotten", func(t *testing.T) {
		s := open(t)
		ctx := t.Context()
		old := pending("old@example.com", "n1")
		fresh := pending("fresh@example.com", "n2")
		fresh.Created = t0.Add(48 * time.Hour)
		confirmed := pending("kept@example.com", "n3")
		for _, sub := range []status.Subscriber{old, fresh, confirmed} {
			if _, err := s.AddSubscriber(ctx, sub); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := s.ConfirmSubscriber(ctx, "c-n3", t0); err != nil {
			t.Fatal(err)
		}
		n, err := s.DeletePendingSubscribers(ctx, t0.Add(24*time.Hour))
		if err != nil || n != 1 {
			t.Fatalf("DeletePendingSubscribers = %d, %v; want 1", n, err)
		}
		all, err := s.Subscribers(ctx, false)
		if err != nil || len(all) != 2 || all[0].Address != "fresh@example.com" || all[1].Address != "kept@example.com" {
			t.Fatalf("left = %+v, %v", all, err)
		}
	})

	t.Run("the key is made once and kept", func(t *testing.T) {
		s := open(t)
		k1, err := s.SubscriberKey(t.Context())
		if err != nil {
			t.Fatal(err)
		}
		k2, err := s.SubscriberKey(t.Context())
		if err != nil {
			t.Fatal(err)
		}
		if len(k1) != 32 || !bytes.Equal(k1, k2) || bytes.Equal(k1, make([]byte, 32)) {
			t.Fatalf("keys = %x, %x", k1, k2)
		}
	})
}
