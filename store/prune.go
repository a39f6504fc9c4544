package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/safetynet-dev/safetynet/status"
)

// pruneTarget is one kind of data with a retention.
type pruneTarget struct {
	what   string
	table  string
	column string // the time column the retention applies to
	filter string // extra condition, with at most one '?' bound to arg
	arg    any
	keep   time.Duration
	// step is the time span deleted per transaction: long deletes would hold
	// SQLite's single write lock and stall result writes for seconds.
	step time.Duration
}

// BuildEventRetention is how long AWS build, pipeline and alarm events are
// kept, whatever the configured retention: a quarter of releases on the
// releases page, while EventBridge sends thousands of them a day on a busy
// account. Deployments and gate decisions are history and are kept.
const BuildEventRetention = 90 * 24 * time.Hour

// Prune deletes data older than the retention allows: raw results, each
// rollup resolution, metric samples, delivered notifications (kept as
// long as raw results) and build events (BuildEventRetention). A zero
// retention keeps that kind forever. Status changes, alerts,
// maintenances, deployments and gate decisions are history and are never
// pruned.
func (db *DB) Prune(ctx context.Context, now time.Time, r status.Retention) error {
	targets := []pruneTarget{
		{"results", "results", "at_us", "", nil, r.Raw, 10 * time.Minute},
		{"minute rollups", "rollups", "start_us", "resolution = ?", string(status.Minute), r.Minute, 10 * time.Minute},
		{"hour rollups", "rollups", "start_us", "resolution = ?", string(status.Hour), r.Hour, 6 * time.Hour},
		{"day rollups", "rollups", "start_us", "resolution = ?", string(status.Day), r.Day, 7 * 24 * time.Hour},
		{"samples", "samples", "at_us", "", nil, r.Samples, 10 * time.Minute},
		{"delivered notifications", "outbox", "delivered_us", "delivered_us IS NOT NULL", nil, r.Raw, 24 * time.Hour},
		{"build events", "build_events", "at_us", "", nil, BuildEventRetention, 24 * time.Hour},
	}
	for _, t := range targets {
		if t.keep <= 0 {
			continue
		}
		n, err := db.prune(ctx, t, us(now.Add(-t.keep)))
		if err != nil {
			return fmt.Errorf("store: prune %s: %w", t.what, err)
		}
		if n > 0 {
			db.log.Info("pruned old data", "what", t.what, "rows", n, "older_than", now.Add(-t.keep).UTC())
		}
	}
	return nil
}

func (db *DB) prune(ctx context.Context, t pruneTarget, cutoff int64) (int64, error) {
	where := t.column + " < ?"
	var args []any
	if t.filter != "" {
		where = t.filter + " AND " + where
		if t.arg != nil {
			args = append(args, t.arg)
		}
	}
	minQ := db.q(`SELECT MIN(` + t.column + `) FROM ` + t.table + ` WHERE ` + where)
	delQ := db.q(`DELETE FROM ` + t.table + ` WHERE ` + where)
	var total int64
	for {
		var oldest sql.NullInt64
		if err := db.w.QueryRowContext(ctx, minQ, append(args, cutoff)...).Scan(&oldest); err != nil {
			return total, err
		}
		if !oldest.Valid {
			return total, nil
		}
		upto := min(oldest.Int64+t.step.Microseconds(), cutoff)
		res, err := db.w.ExecContext(ctx, delQ, append(args, upto)...)
		if err != nil {
			return total, err
		}
		n, err := res.RowsAffected()
		if err != nil {
			return total, err
		}
		total += n
		if upto == cutoff {
			return total, nil
		}
	}
}
