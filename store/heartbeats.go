package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// Beat records a heartbeat of the job behind checkID. A beat older than the
// stored one (a late retry) does not move it back.
func (db *DB) Beat(ctx context.Context, checkID string, at time.Time) error {
	_, err := db.w.ExecContext(ctx, db.q(`INSERT INTO heartbeats (check_id, last_us) VALUES (?, ?)
		ON CONFLICT (check_id) DO UPDATE SET last_us = CASE WHEN excluded.last_us > heartbeats.last_us THEN excluded.last_us ELSE heartbeats.last_us END`),
		checkID, us(at))
	if err != nil {
		return fmt.Errorf("store: heartbeat of %s: %w", checkID, err)
	}
	return nil
}

// LastBeat returns the latest heartbeat, and false when there was none.
func (db *DB) LastBeat(ctx context.Context, checkID string) (time.Time, bool, error) {
	var v int64
	err := db.r.QueryRowContext(ctx, db.q(`SELECT last_us FROM heartbeats WHERE check_id = ?`), checkID).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return time.Time{}, false, nil
	}
	if err != nil {
		return time.Time{}, false, fmt.Errorf("store: last heartbeat of %s: %w", checkID, err)
	}
	return fromUS(v), true, nil
}
