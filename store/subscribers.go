package store

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/safetynet-dev/safetynet"
	"github.com/safetynet-dev/safetynet/status"
)

var _ status.SubscriberStore = (*DB)(nil)

const subscriberCols = `id, kind, address, components, confirmed, confirmed_us, created_us, nonce, confirm_hash, unsubscribe_hash`

// AddSubscriber stores a new subscriber, replacing a pending signup for the
// same kind and address; a confirmed one is an ECONFLICT error.
func (db *DB) AddSubscriber(ctx context.Context, s status.Subscriber) (status.Subscriber, error) {
	if s.Created.IsZero() {
		s.Created = db.now()
	}
	s.Created = s.Created.UTC()
	if err := s.Validate(); err != nil {
		return status.Subscriber{}, fmt.Errorf("store: add subscriber: %w", err)
	}
	err := db.write(ctx, "add subscriber", func(tx *sql.Tx) error {
		var confirmed bool
		err := tx.QueryRowContext(ctx, db.q(`SELECT confirmed FROM subscribers WHERE kind = ? AND address = ?`), string(s.Kind), s.Address).Scan(&confirmed)
		switch {
		case errors.Is(err, sql.ErrNoRows):
		case err != nil:
			return err
		case confirmed:
			return safetynet.Errorf(safetynet.ECONFLICT, "%s is already subscribed", s.Kind)
		default:
			if _, err := tx.ExecContext(ctx, db.q(`DELETE FROM subscribers WHERE kind = ? AND address = ?`), string(s.Kind), s.Address); err != nil {
				return err
			}
		}
		var confirmHash any
		if s.ConfirmHash != "" {
			confirmHash = s.ConfirmHash
		}
		return tx.QueryRowContext(ctx, db.q(`INSERT INTO subscribers (kind, address, components, confirmed, confirmed_us, created_us, nonce, confirm_hash, unsubscribe_hash)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`),
			string(s.Kind), s.Address, mustJSON(nonNil(s.Components)), s.Confirmed, nullUS(s.ConfirmedAt), us(s.Created), s.Nonce, confirmHash, s.UnsubscribeHash).Scan(&s.ID)
	})
	if err != nil {
		return status.Subscriber{}, fmt.Errorf("store: add subscriber: %w", err)
	}
	return s, nil
}

// ConfirmSubscriber confirms the subscriber whose confirmation token hashes
// to confirmHash. The hash is cleared, so a link works once.
func (db *DB) ConfirmSubscriber(ctx context.Context, confirmHash string, at time.Time) (status.Subscriber, error) {
	var s status.Subscriber
	err := db.write(ctx, "confirm subscriber", func(tx *sql.Tx) error {
		subs, err := db.scanSubscribers(ctx, tx, `SELECT `+subscriberCols+` FROM subscribers WHERE confirm_hash = ?`, confirmHash)
		if err != nil {
			return err
		}
		if len(subs) == 0 || confirmHash == "" {
			return safetynet.Errorf(safetynet.ENOTFOUND, "no pending subscription for this link")
		}
		s = subs[0]
		t := at.UTC()
		s.Confirmed, s.ConfirmedAt, s.ConfirmHash = true, &t, ""
		_, err = tx.ExecContext(ctx, db.q(`UPDATE subscribers SET confirmed = ?, confirmed_us = ?, confirm_hash = NULL WHERE id = ?`), true, us(t), s.ID)
		return err
	})
	if err != nil {
		return status.Subscriber{}, fmt.Errorf("store: confirm subscriber: %w", err)
	}
	return s, nil
}

// Unsubscribe deletes the subscriber whose unsubscribe token hashes to
// unsubscribeHash.
func (db *DB) Unsubscribe(ctx context.Context, unsubscribeHash string) (status.Subscriber, error) {
	var s status.Subscriber
	err := db.write(ctx, "unsubscribe", func(tx *sql.Tx) error {
		subs, err := db.scanSubscribers(ctx, tx, `SELECT `+subscriberCols+` FROM subscribers WHERE unsubscribe_hash = ?`, unsubscribeHash)
		if err != nil {
			return err
		}
		if len(subs) == 0 || unsubscribeHash == "" {
			return safetynet.Errorf(safetynet.ENOTFOUND, "no subscription for this link")
		}
		s = subs[0]
		_, err = tx.ExecContext(ctx, db.q(`DELETE FROM subscribers WHERE id = ?`), s.ID)
		return err
	})
	if err != nil {
		return status.Subscriber{}, fmt.Errorf("store: unsubscribe: %w", err)
	}
	return s, nil
}

// Subscriber returns one subscriber.
func (db *DB) Subscriber(ctx context.Context, id int64) (status.Subscriber, error) {
	subs, err := db.scanSubscribers(ctx, db.r, `SELECT `+subscriberCols+` FROM subscribers WHERE id = ?`, id)
	if err != nil {
		return status.Subscriber{}, fmt.Errorf("store: subscriber %d: %w", id, err)
	}
	if len(subs) == 0 {
		return status.Subscriber{}, safetynet.Errorf(safetynet.ENOTFOUND, "no subscriber %d", id)
	}
	return subs[0], nil
}

// Subscribers lists subscribers by ID.
func (db *DB) Subscribers(ctx context.Context, confirmedOnly bool) ([]status.Subscriber, error) {
	q := `SELECT ` + subscriberCols + ` FROM subscribers`
	var args []any
	if confirmedOnly {
		q += ` WHERE confirmed = ?`
		args = append(args, true)
	}
	subs, err := db.scanSubscribers(ctx, db.r, q+` ORDER BY id`, args...)
	if err != nil {
		return nil, fmt.Errorf("store: subscribers: %w", err)
	}
	return subs, nil
}

// DeletePendingSubscribers forgets unconfirmed signups made before before:
// an address nobody confirmed is not kept.
func (db *DB) DeletePendingSubscribers(ctx context.Context, before time.Time) (int, error) {
	var n int64
	err := db.write(ctx, "delete pending subscribers", func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, db.q(`DELETE FROM subscribers WHERE confirmed = ? AND created_us < ?`), false, us(before))
		if err != nil {
			return err
		}
		n, err = res.RowsAffected()
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("store: %w", err)
	}
	return int(n), nil
}

// SubscriberKey returns the server's subscriber key, creating it on first
// use; every server sharing the database gets the same key.
func (db *DB) SubscriberKey(ctx context.Context) ([]byte, error) {
	var key string
	err := db.r.QueryRowContext(ctx, `SELECT key FROM subscriber_key WHERE id = 1`).Scan(&key)
	if errors.Is(err, sql.ErrNoRows) {
		fresh := make([]byte, 32)
		rand.Read(fresh)
		err = db.write(ctx, "subscriber key", func(tx *sql.Tx) error {
			if _, err := tx.ExecContext(ctx, db.q(`INSERT INTO subscriber_key (id, key) VALUES (1, ?) ON CONFLICT (id) DO NOTHING`), hex.EncodeToString(fresh)); err != nil {
				return err
			}
			return tx.QueryRowContext(ctx, `SELECT key FROM subscriber_key WHERE id = 1`).Scan(&key)
		})
	}
	if err != nil {
		return nil, fmt.Errorf("store: subscriber key: %w", err)
	}
	b, err := hex.DecodeString(key)
	if err != nil || len(b) != 32 {
		return nil, fmt.Errorf("store: subscriber key: stored key is not 32 hex bytes")
	}
	return b, nil
}

func (db *DB) scanSubscribers(ctx context.Context, q querier, query string, args ...any) ([]status.Subscriber, error) {
	rows, err := q.QueryContext(ctx, db.q(query), args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []status.Subscriber
	for rows.Next() {
		var s status.Subscriber
		var kind, comps string
		var created int64
		var confirmedAt sql.NullInt64
		var confirmHash sql.NullString
		if err := rows.Scan(&s.ID, &kind, &s.Address, &comps, &s.Confirmed, &confirmedAt, &created, &s.Nonce, &confirmHash, &s.UnsubscribeHash); err != nil {
			return nil, err
		}
		s.Kind, s.Created, s.ConfirmedAt, s.ConfirmHash = status.SubscriberKind(kind), fromUS(created), fromNullUS(confirmedAt), confirmHash.String
		if err := json.Unmarshal([]byte(comps), &s.Components); err != nil {
			return nil, fmt.Errorf("subscriber %d components: %w", s.ID, err)
		}
		out = append(out, s)
	}
	return out, rows.Err()
}
