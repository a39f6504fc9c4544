package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"sort"
	"time"

	"github.com/safetynet-dev/safetynet"
	"github.com/safetynet-dev/safetynet/status"
)

// Enqueue adds notifications; one whose Key is already queued (by this
// server or another) is skipped. It returns how many were added. A
// notification without Created is stamped now; without NextAttempt it is
// due at once.
func (db *DB) Enqueue(ctx context.Context, ns []status.Notification) (int, error) {
	if len(ns) == 0 {
		return 0, nil
	}
	now := db.now()
	byKey := map[string]bool{}
	args := make([]any, 0, len(ns)*6)
	for _, n := range ns {
		if n.Key == "" || n.Notifier == "" {
			return 0, fmt.Errorf("store: enqueue: %w", safetynet.Errorf(safetynet.EINVALID, "a notification needs a key and a notifier"))
		}
		if byKey[n.Key] {
			continue
		}
		byKey[n.Key] = true
		if n.Created.IsZero() {
			n.Created = now
		}
		if n.NextAttempt.IsZero() {
			n.NextAttempt = n.Created
		}
		msg, err := json.Marshal(n.Message)
		if err != nil {
			return 0, fmt.Errorf("store: enqueue %s: %w", n.Key, err)
		}
		args = append(args, n.Key, n.Notifier, string(msg), us(n.Created), us(n.NextAttempt), nullUS(n.Delivered))
	}
	var added int64
	err := db.write(ctx, "enqueue notifications", func(tx *sql.Tx) error {
		var err error
		added, err = db.execRows(ctx, tx, bulkOutbox, args)
		return err
	})
	return int(added), err
}

const outboxCols = `id, key, notifier, message, created_us, attempts, next_us, last_error, delivered_us`

// ClaimNotifications leases up to limit undelivered notifications whose
// next attempt has come and whose lease is free or expired, oldest first,
// to owner until now+lease.
func (db *DB) ClaimNotifications(ctx context.Context, owner string, now time.Time, limit int, lease time.Duration) ([]status.Notification, error) {
	if limit <= 0 {
		return nil, nil
	}
	var out []status.Notification
	err := db.write(ctx, "claim notifications", func(tx *sql.Tx) error {
		n := us(now)
		rows, err := tx.QueryContext(ctx, db.q(`UPDATE outbox SET owner = ?, lease_us = ?
			WHERE id IN (
				SELECT id FROM outbox WHERE delivered_us IS NULL AND next_us <= ? AND lease_us <= ?
				ORDER BY id LIMIT ?`+db.d.skipLocked+`)
			RETURNING `+outboxCols), owner, us(now.Add(lease)), n, n, limit)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var nt status.Notification
			var msg string
			var created, next int64
			var delivered sql.NullInt64
			if err := rows.Scan(&nt.ID, &nt.Key, &nt.Notifier, &msg, &created, &nt.Attempts, &next, &nt.LastError, &delivered); err != nil {
				return err
			}
			if err := json.Unmarshal([]byte(msg), &nt.Message); err != nil {
				return fmt.Errorf("notification %d message: %w", nt.ID, err)
			}
			nt.Message.At = nt.Message.At.UTC()
			nt.Created, nt.NextAttempt, nt.Delivered = fromUS(created), fromUS(next), fromNullUS(delivered)
			out = append(out, nt)
		}
		return rows.Err()
	})
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out, err
}

// MarkDelivered records a delivery and releases the lease.
func (db *DB) MarkDelivered(ctx context.Context, id int64, at time.Time) error {
	return db.updateOutbox(ctx, "mark delivered", id,
		`UPDATE outbox SET delivered_us = ?, attempts = attempts + 1, last_error = '', owner = '', lease_us = 0 WHERE id = ?`, us(at), id)
}

// MarkFailed records a failed attempt and when to try again, and releases
// the lease.
func (db *DB) MarkFailed(ctx context.Context, id int64, errText string, next time.Time) error {
	return db.updateOutbox(ctx, "mark failed", id,
		`UPDATE outbox SET attempts = attempts + 1, last_error = ?, next_us = ?, owner = '', lease_us = 0 WHERE id = ? AND delivered_us IS NULL`,
		errText, us(next), id)
}

func (db *DB) updateOutbox(ctx context.Context, what string, id int64, q string, args ...any) error {
	res, err := db.w.ExecContext(ctx, db.q(q), args...)
	if err == nil {
		var n int64
		if n, err = res.RowsAffected(); err == nil && n == 0 {
			var one int
			if err = db.w.QueryRowContext(ctx, db.q(`SELECT 1 FROM outbox WHERE id = ?`), id).Scan(&one); err == sql.ErrNoRows {
				err = safetynet.Errorf(safetynet.ENOTFOUND, "notification %d not found", id)
			}
		}
	}
	if err != nil {
		return fmt.Errorf("store: %s %d: %w", what, id, err)
	}
	return nil
}

// OutboxStats counts undelivered notifications and, of those, the ones
// that failed at least once.
func (db *DB) OutboxStats(ctx context.Context) (pending, failing int, err error) {
	err = db.r.QueryRowContext(ctx, `SELECT count(*), COALESCE(SUM(CASE WHEN attempts > 0 THEN 1 ELSE 0 END), 0)
		FROM outbox WHERE delivered_us IS NULL`).Scan(&pending, &failing)
	if err != nil {
		return 0, 0, fmt.Errorf("store: outbox stats: %w", err)
	}
	return pending, failing, nil
}
