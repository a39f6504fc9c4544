package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/safetynet-dev/safetynet/status"
)

// resultDetail holds the parts of a result that only the dashboard reads.
type resultDetail struct {
	Conditions []status.ConditionResult `json:"conditions,omitempty"`
	Values     map[string]float64       `json:"values,omitempty"`
}

// resolutions and their bucket widths. Buckets start at multiples of the
// width since the Unix epoch, which in UTC are whole minutes, hours and days.
var resolutions = []struct {
	res   status.Resolution
	width time.Duration
}{
	{status.Minute, time.Minute},
	{status.Hour, time.Hour},
	{status.Day, 24 * time.Hour},
}

type rollupKey struct {
	check string
	res   status.Resolution
	start int64
	loc   string
}

func (a rollupKey) less(b rollupKey) bool {
	if a.check != b.check {
		return a.check < b.check
	}
	if a.res != b.res {
		return a.res < b.res
	}
	if a.start != b.start {
		return a.start < b.start
	}
	return a.loc < b.loc
}

type rollupVal struct {
	count, failures int64
	hist            status.Histogram
}

const rollupConflict = `ON CONFLICT (check_id, resolution, start_us, location)`

// SaveResults stores a batch of results and folds them into the minute,
// hour and day rollups in the same transaction.
//
// Histograms cannot be added in portable SQL, so each rollup row touched is
// read, merged in Go, and written back. On PostgreSQL the read is an upsert
// that changes nothing and returns the row: it creates missing rows and
// locks them all, so concurrent servers neither insert one row twice nor
// lose each other's counts; keys are locked in sorted order so that
// concurrent batches cannot deadlock. SQLite's write transactions never
// overlap, so there a plain read suffices.
func (db *DB) SaveResults(ctx context.Context, rs []status.Result) error {
	if len(rs) == 0 {
		return nil
	}
	raw := make([]any, 0, len(rs)*8)
	deltas := map[rollupKey]*rollupVal{}
	for i := range rs {
		r := &rs[i]
		if r.CheckID == "" {
			return fmt.Errorf("store: save results: result %d has no check", i)
		}
		loc := r.Location
		if loc == "" {
			loc = status.LocalLocation
		}
		var detail any
		if len(r.Conditions) > 0 || len(r.Values) > 0 {
			b, err := json.Marshal(resultDetail{r.Conditions, r.Values})
			if err != nil {
				return fmt.Errorf("store: save results: %w", err)
			}
			detail = string(b)
		}
		raw = append(raw, r.CheckID, loc, us(r.At), int64(r.Latency), r.OK, r.Error, r.Warning, detail)
		for _, res := range resolutions {
			k := rollupKey{r.CheckID, res.res, us(r.At.Truncate(res.width)), loc}
			v := deltas[k]
			if v == nil {
				v = &rollupVal{}
				deltas[k] = v
			}
			v.count++
			if !r.OK {
				v.failures++
			}
			v.hist.Add(r.Latency)
		}
	}
	keys := make([]rollupKey, 0, len(deltas))
	for k := range deltas {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool { return keys[i].less(keys[j]) })

	return db.write(ctx, "save results", func(tx *sql.Tx) error {
		if _, err := db.execRows(ctx, tx, bulkResults, raw); err != nil {
			return err
		}
		// Read (on PostgreSQL: create and lock) the stored rows to merge into.
		read, cols := bulkRollupRead, 4
		if db.d.lockRollups {
			read, cols = bulkRollupLock, 7
		}
		empty := encodeHist(&status.Histogram{})
		args := make([]any, 0, len(keys)*cols)
		for _, k := range keys {
			args = append(args, k.check, string(k.res), k.start, k.loc)
			if cols == 7 {
				args = append(args, 0, 0, empty)
			}
		}
		for _, c := range db.d.chunks(len(keys), cols) {
			stmt, err := db.stmt(ctx, tx, read, c[1]-c[0])
			if err != nil {
				return err
			}
			if err := mergeRollups(ctx, stmt, args[c[0]*cols:c[1]*cols], deltas); err != nil {
				return err
			}
		}
		write := make([]any, 0, len(keys)*7)
		for _, k := range keys {
			v := deltas[k]
			write = append(write, k.check, string(k.res), k.start, k.loc, v.count, v.failures, encodeHist(&v.hist))
		}
		_, err := db.execRows(ctx, tx, bulkRollupWrite, write)
		return err
	})
}

// mergeRollups runs the locking upsert q and adds the stored values it
// returns into deltas.
func mergeRollups(ctx context.Context, stmt *sql.Stmt, args []any, deltas map[rollupKey]*rollupVal) error {
	defer stmt.Close()
	rows, err := stmt.QueryContext(ctx, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var k rollupKey
		var res string
		var count, failures int64
		var hist []byte
		if err := rows.Scan(&k.check, &res, &k.start, &k.loc, &count, &failures, &hist); err != nil {
			return err
		}
		k.res = status.Resolution(res)
		v := deltas[k]
		if v == nil {
			return fmt.Errorf("rollup %v returned but not asked for", k)
		}
		var h status.Histogram
		if err := decodeHist(hist, &h); err != nil {
			return fmt.Errorf("rollup of %s at %s: %w", k.check, fromUS(k.start), err)
		}
		v.count += count
		v.failures += failures
		v.hist.Merge(&h)
	}
	return rows.Err()
}

// Results lists results: oldest first, or the newest Limit newest first.
func (db *DB) Results(ctx context.Context, f status.ResultFilter) ([]status.Result, error) {
	var where []string
	var args []any
	if f.CheckID != "" {
		where, args = append(where, "check_id = ?"), append(args, f.CheckID)
	}
	if f.Location != "" {
		where, args = append(where, "location = ?"), append(args, f.Location)
	}
	until := f.Until
	if until.IsZero() {
		until = db.now()
	}
	where, args = append(where, "at_us >= ?", "at_us < ?"), append(args, us(f.Since), us(until))
	q := `SELECT check_id, location, at_us, latency_ns, ok, error, warning, detail FROM results WHERE ` + strings.Join(where, " AND ")
	if f.Limit > 0 {
		q += ` ORDER BY at_us DESC LIMIT ?`
		args = append(args, f.Limit)
	} else {
		q += ` ORDER BY at_us`
	}
	rows, err := db.r.QueryContext(ctx, db.q(q), args...)
	if err != nil {
		return nil, fmt.Errorf("store: results: %w", err)
	}
	defer rows.Close()
	var out []status.Result
	for rows.Next() {
		var r status.Result
		var at, lat int64
		var detail sql.NullString
		if err := rows.Scan(&r.CheckID, &r.Location, &at, &lat, &r.OK, &r.Error, &r.Warning, &detail); err != nil {
			return nil, fmt.Errorf("store: results: %w", err)
		}
		r.At, r.Latency = fromUS(at), time.Duration(lat)
		if detail.Valid {
			var d resultDetail
			if err := json.Unmarshal([]byte(detail.String), &d); err != nil {
				return nil, fmt.Errorf("store: result of %s at %s: %w", r.CheckID, r.At, err)
			}
			r.Conditions, r.Values = d.Conditions, d.Values
		}
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: results: %w", err)
	}
	return out, nil
}

// Rollups lists the rollups of one check and resolution whose buckets start
// in [Since, Until), oldest first.
func (db *DB) Rollups(ctx context.Context, f status.RollupFilter) ([]status.Rollup, error) {
	until := f.Until
	if until.IsZero() {
		until = db.now()
	}
	q := `SELECT check_id, resolution, start_us, location, count, failures, hist FROM rollups
		WHERE check_id = ? AND resolution = ? AND start_us >= ? AND start_us < ?`
	args := []any{f.CheckID, string(f.Resolution), us(f.Since), us(until)}
	if f.Location != "" {
		q += ` AND location = ?`
		args = append(args, f.Location)
	}
	q += ` ORDER BY start_us, location`
	rows, err := db.r.QueryContext(ctx, db.q(q), args...)
	if err != nil {
		return nil, fmt.Errorf("store: rollups: %w", err)
	}
	defer rows.Close()
	var out []status.Rollup
	for rows.Next() {
		var r status.Rollup
		var res string
		var start int64
		var hist []byte
		if err := rows.Scan(&r.CheckID, &res, &start, &r.Location, &r.Count, &r.Failures, &hist); err != nil {
			return nil, fmt.Errorf("store: rollups: %w", err)
		}
		r.Resolution, r.Start = status.Resolution(res), fromUS(start)
		if err := decodeHist(hist, &r.Latency); err != nil {
			return nil, fmt.Errorf("store: rollup of %s at %s: %w", r.CheckID, r.Start, err)
		}
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: rollups: %w", err)
	}
	return out, nil
}
