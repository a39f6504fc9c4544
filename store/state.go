package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/safetynet-dev/safetynet/status"
)

// CheckStates returns every stored check state.
func (db *DB) CheckStates(ctx context.Context) ([]status.CheckState, error) {
	rows, err := db.r.QueryContext(ctx, `SELECT check_id, location, state, since_us, failures, successes, last_result
		FROM check_states ORDER BY check_id, location`)
	if err != nil {
		return nil, fmt.Errorf("store: check states: %w", err)
	}
	defer rows.Close()
	var out []status.CheckState
	for rows.Next() {
		var st status.CheckState
		var state string
		var since int64
		var last sql.NullString
		if err := rows.Scan(&st.CheckID, &st.Location, &state, &since, &st.Failures, &st.Successes, &last); err != nil {
			return nil, fmt.Errorf("store: check states: %w", err)
		}
		st.State, st.Since = status.State(state), fromUS(since)
		if last.Valid {
			st.LastResult = new(status.Result)
			if err := json.Unmarshal([]byte(last.String), st.LastResult); err != nil {
				return nil, fmt.Errorf("store: state of %s: %w", st.CheckID, err)
			}
			st.LastResult.At = st.LastResult.At.UTC()
		}
		out = append(out, st)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: check states: %w", err)
	}
	return out, nil
}

// SaveCheckState stores a check's state at one location, replacing the
// previous one.
func (db *DB) SaveCheckState(ctx context.Context, st status.CheckState) error {
	loc := st.Location
	if loc == "" {
		loc = status.LocalLocation
	}
	var last any
	if st.LastResult != nil {
		r := *st.LastResult
		r.At = r.At.UTC()
		b, err := json.Marshal(r)
		if err != nil {
			return fmt.Errorf("store: save state of %s: %w", st.CheckID, err)
		}
		last = string(b)
	}
	_, err := db.w.ExecContext(ctx, db.q(`INSERT INTO check_states (check_id, location, state, since_us, failures, successes, last_result)
		VALUES (?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (check_id, location) DO UPDATE SET state = excluded.state, since_us = excluded.since_us,
			failures = excluded.failures, successes = excluded.successes, last_result = excluded.last_result`),
		st.CheckID, loc, string(st.State), us(st.Since), st.Failures, st.Successes, last)
	if err != nil {
		return fmt.Errorf("store: save state of %s: %w", st.CheckID, err)
	}
	return nil
}

// RecordChange appends a component status change and returns it with its
// ID.
func (db *DB) RecordChange(ctx context.Context, c status.Change) (status.Change, error) {
	c.At = c.At.UTC()
	err := db.w.QueryRowContext(ctx, db.q(`INSERT INTO changes (component, from_status, to_status, at_us, cause)
		VALUES (?, ?, ?, ?, ?) RETURNING id`),
		c.Component, string(c.From), string(c.To), us(c.At), c.Cause).Scan(&c.ID)
	if err != nil {
		return status.Change{}, fmt.Errorf("store: record change of %s: %w", c.Component, err)
	}
	return c, nil
}

// Changes lists changes in [Since, Until) oldest first (a zero bound is
// open). With a Limit it lists the newest Limit of them, still oldest
// first, as a "recent changes" list wants.
func (db *DB) Changes(ctx context.Context, f status.ChangeFilter) ([]status.Change, error) {
	var where []string
	var args []any
	if f.Component != "" {
		where, args = append(where, "component = ?"), append(args, f.Component)
	}
	if !f.Since.IsZero() {
		where, args = append(where, "at_us >= ?"), append(args, us(f.Since))
	}
	if !f.Until.IsZero() {
		where, args = append(where, "at_us < ?"), append(args, us(f.Until))
	}
	q := `SELECT id, component, from_status, to_status, at_us, cause FROM changes`
	if len(where) > 0 {
		q += ` WHERE ` + strings.Join(where, " AND ")
	}
	if f.Limit > 0 {
		q = `SELECT * FROM (` + q + ` ORDER BY at_us DESC, id DESC LIMIT ?) t`
		args = append(args, f.Limit)
	}
	q += ` ORDER BY at_us, id`
	rows, err := db.r.QueryContext(ctx, db.q(q), args...)
	if err != nil {
		return nil, fmt.Errorf("store: changes: %w", err)
	}
	defer rows.Close()
	var out []status.Change
	for rows.Next() {
		var c status.Change
		var from, to string
		var at int64
		if err := rows.Scan(&c.ID, &c.Component, &from, &to, &at, &c.Cause); err != nil {
			return nil, fmt.Errorf("store: changes: %w", err)
		}
		c.From, c.To, c.At = status.Status(from), status.Status(to), fromUS(at)
		out = append(out, c)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: changes: %w", err)
	}
	return out, nil
}

// CurrentStatuses returns the latest status of every component that has
// one: the destination of its latest change.
func (db *DB) CurrentStatuses(ctx context.Context) (map[string]status.Status, error) {
	rows, err := db.r.QueryContext(ctx, `SELECT component, to_status FROM (
			SELECT component, to_status, ROW_NUMBER() OVER (PARTITION BY component ORDER BY at_us DESC, id DESC) AS n
			FROM changes) t
		WHERE n = 1`)
	if err != nil {
		return nil, fmt.Errorf("store: current statuses: %w", err)
	}
	defer rows.Close()
	out := map[string]status.Status{}
	for rows.Next() {
		var comp, to string
		if err := rows.Scan(&comp, &to); err != nil {
			return nil, fmt.Errorf("store: current statuses: %w", err)
		}
		out[comp] = status.Status(to)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: current statuses: %w", err)
	}
	return out, nil
}
