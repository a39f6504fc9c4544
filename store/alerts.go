package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/safetynet-dev/safetynet"
	"github.com/safetynet-dev/safetynet/status"
)

const alertCols = `id, kind, component, customer, subject, summary, status, started_us, resolved_us, silenced, acked_us, acked_by`

// OpenAlert records a new alert unless one of the same Kind and Subject is
// open, in which case it returns that one and false. The partial unique
// index alerts_open makes this hold across servers racing to open the same
// alert.
func (db *DB) OpenAlert(ctx context.Context, a status.Alert) (status.Alert, bool, error) {
	if a.Kind == "" || a.Subject == "" {
		return status.Alert{}, false, fmt.Errorf("store: open alert: %w", safetynet.Errorf(safetynet.EINVALID, "an alert needs a kind and a subject"))
	}
	if a.Started.IsZero() {
		a.Started = db.now()
	}
	a.Started = a.Started.UTC()
	// The open alert can be resolved between the failed insert and the
	// read; then the insert is tried again.
	for range 3 {
		err := db.w.QueryRowContext(ctx, db.q(`INSERT INTO alerts (kind, component, customer, subject, summary, status, started_us, resolved_us, silenced, acked_us, acked_by)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
			ON CONFLICT (kind, subject) WHERE resolved_us IS NULL DO NOTHING
			RETURNING id`),
			string(a.Kind), a.Component, a.Customer, a.Subject, a.Summary, string(a.Status), us(a.Started),
			nullUS(a.Resolved), a.Silenced, nullUS(a.AckedAt), a.AckedBy).Scan(&a.ID)
		if err == nil {
			return a, true, nil
		}
		if !errors.Is(err, sql.ErrNoRows) {
			return status.Alert{}, false, fmt.Errorf("store: open alert %s %s: %w", a.Kind, a.Subject, err)
		}
		open, err := scanAlerts(db.w.QueryContext(ctx, db.q(`SELECT `+alertCols+` FROM alerts WHERE kind = ? AND subject = ? AND resolved_us IS NULL`),
			string(a.Kind), a.Subject))
		if err != nil {
			return status.Alert{}, false, fmt.Errorf("store: open alert %s %s: %w", a.Kind, a.Subject, err)
		}
		if len(open) > 0 {
			return open[0], false, nil
		}
	}
	return status.Alert{}, false, fmt.Errorf("store: open alert %s %s: it keeps being opened and resolved concurrently", a.Kind, a.Subject)
}

// ResolveAlert marks an alert resolved; resolving a resolved alert keeps
// the first resolution time.
func (db *DB) ResolveAlert(ctx context.Context, id int64, at time.Time) error {
	return db.updateAlert(ctx, "resolve", id, `UPDATE alerts SET resolved_us = ? WHERE id = ? AND resolved_us IS NULL`, us(at), id)
}

// AckAlert records who acknowledged an alert; the first acknowledgement is
// kept.
func (db *DB) AckAlert(ctx context.Context, id int64, by string, at time.Time) error {
	return db.updateAlert(ctx, "acknowledge", id, `UPDATE alerts SET acked_us = ?, acked_by = ? WHERE id = ? AND acked_us IS NULL`, us(at), by, id)
}

// updateAlert runs an update that may change nothing because it was done
// before; an alert that does not exist is an ENOTFOUND error.
func (db *DB) updateAlert(ctx context.Context, what string, id int64, q string, args ...any) error {
	res, err := db.w.ExecContext(ctx, db.q(q), args...)
	if err == nil {
		var n int64
		if n, err = res.RowsAffected(); err == nil && n == 0 {
			var one int
			err = db.w.QueryRowContext(ctx, db.q(`SELECT 1 FROM alerts WHERE id = ?`), id).Scan(&one)
			if errors.Is(err, sql.ErrNoRows) {
				err = safetynet.Errorf(safetynet.ENOTFOUND, "alert %d not found", id)
			}
		}
	}
	if err != nil {
		return fmt.Errorf("store: %s alert %d: %w", what, id, err)
	}
	return nil
}

// Alert returns one alert by ID; ENOTFOUND if there is none. The
// acknowledgement page looks alerts up this way, however many have fired
// since the link was sent.
func (db *DB) Alert(ctx context.Context, id int64) (status.Alert, error) {
	as, err := scanAlerts(db.r.QueryContext(ctx, db.q(`SELECT `+alertCols+` FROM alerts WHERE id = ?`), id))
	if err != nil {
		return status.Alert{}, fmt.Errorf("store: alert %d: %w", id, err)
	}
	if len(as) == 0 {
		return status.Alert{}, safetynet.Errorf(safetynet.ENOTFOUND, "no alert %d", id)
	}
	return as[0], nil
}

// Alerts lists alerts newest first. Since selects alerts active at some
// point since then: open ones, and those resolved at or after it.
func (db *DB) Alerts(ctx context.Context, f status.AlertFilter) ([]status.Alert, error) {
	var where []string
	var args []any
	if f.OpenOnly {
		where = append(where, "resolved_us IS NULL")
	}
	if f.Component != "" {
		where, args = append(where, "component = ?"), append(args, f.Component)
	}
	if !f.Since.IsZero() {
		where, args = append(where, "(resolved_us IS NULL OR resolved_us >= ?)"), append(args, us(f.Since))
	}
	q := `SELECT ` + alertCols + ` FROM alerts`
	if len(where) > 0 {
		q += ` WHERE ` + strings.Join(where, " AND ")
	}
	q += ` ORDER BY started_us DESC, id DESC`
	if f.Limit > 0 {
		q += ` LIMIT ?`
		args = append(args, f.Limit)
	}
	out, err := scanAlerts(db.r.QueryContext(ctx, db.q(q), args...))
	if err != nil {
		return nil, fmt.Errorf("store: alerts: %w", err)
	}
	return out, nil
}

func scanAlerts(rows *sql.Rows, err error) ([]status.Alert, error) {
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []status.Alert
	for rows.Next() {
		var a status.Alert
		var kind, st string
		var started int64
		var resolved, acked sql.NullInt64
		if err := rows.Scan(&a.ID, &kind, &a.Component, &a.Customer, &a.Subject, &a.Summary, &st, &started, &resolved, &a.Silenced, &acked, &a.AckedBy); err != nil {
			return nil, err
		}
		a.Kind, a.Status, a.Started = status.AlertKind(kind), status.Status(st), fromUS(started)
		a.Resolved, a.AckedAt = fromNullUS(resolved), fromNullUS(acked)
		out = append(out, a)
	}
	return out, rows.Err()
}
