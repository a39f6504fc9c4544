package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"hash/fnv"
	"sort"
	"time"

	"github.com/safetynet-dev/safetynet"
	"github.com/safetynet-dev/safetynet/status"
)

// spread returns a check's stable offset within its interval, so that
// thousands of checks with one interval do not all start at once, and a
// restart or a second server puts each check at the same phase.
func spread(checkID string, interval time.Duration) time.Duration {
	if interval <= 0 {
		return 0
	}
	h := fnv.New64a()
	h.Write([]byte(checkID))
	return time.Duration(h.Sum64() % uint64(interval))
}

// SyncSchedule adds new checks at a first run spread over their interval,
// reschedules checks whose Hash changed, leaves unchanged ones alone and
// removes checks no longer configured. A changed check runs at its spread
// point of the new interval, or sooner if it was due sooner: shortening an
// interval from an hour to a minute takes effect within the minute.
// Leases are left alone, so a run in flight completes normally.
func (db *DB) SyncSchedule(ctx context.Context, entries []status.ScheduleEntry, now time.Time) error {
	return db.write(ctx, "sync schedule", func(tx *sql.Tx) error {
		type row struct {
			hash string
			next int64
		}
		have := map[string]row{}
		rows, err := tx.QueryContext(ctx, `SELECT check_id, hash, next_us FROM schedule`)
		if err != nil {
			return err
		}
		for rows.Next() {
			var id string
			var r row
			if err := rows.Scan(&id, &r.hash, &r.next); err != nil {
				rows.Close()
				return err
			}
			have[id] = r
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}

		var insert []any
		update, err := tx.PrepareContext(ctx, db.q(`UPDATE schedule SET interval_ns = ?, hash = ?, next_us = ? WHERE check_id = ?`))
		if err != nil {
			return err
		}
		defer update.Close()
		want := make(map[string]bool, len(entries))
		for _, e := range entries {
			if want[e.CheckID] {
				return fmt.Errorf("check %s is listed twice", e.CheckID)
			}
			want[e.CheckID] = true
			next := us(now.Add(spread(e.CheckID, e.Interval)))
			old, ok := have[e.CheckID]
			switch {
			case !ok:
				insert = append(insert, e.CheckID, int64(e.Interval), e.Hash, next)
			case old.hash != e.Hash:
				if _, err := update.ExecContext(ctx, int64(e.Interval), e.Hash, min(old.next, next), e.CheckID); err != nil {
					return err
				}
			}
		}
		if _, err := db.execRows(ctx, tx, bulkSchedule, insert); err != nil {
			return err
		}
		var gone []any
		for id := range have {
			if !want[id] {
				gone = append(gone, id)
			}
		}
		sort.Slice(gone, func(i, j int) bool { return gone[i].(string) < gone[j].(string) })
		for _, c := range db.d.chunks(len(gone), 1) {
			part := gone[c[0]:c[1]]
			if _, err := tx.ExecContext(ctx, db.q(`DELETE FROM schedule WHERE check_id IN (`+inList(len(part))+`)`), part...); err != nil {
				return err
			}
		}
		return nil
	})
}

// ClaimDue leases up to limit due checks whose lease is free or expired,
// earliest first. On PostgreSQL, FOR UPDATE SKIP LOCKED lets servers
// claiming at the same moment take disjoint checks without waiting on each
// other; a row another claimer committed meanwhile is re-checked against
// the WHERE clause (READ COMMITTED), so a check is never leased twice.
//
// A check stays with the server that ran it last (its owner), so that one
// server sees all of a check's results and keeps its state. Another server
// takes it only when it is overdue by half an interval (the owner is gone
// or stuck), or when nobody owns it. The lease is capped at the check's
// interval: a server that dies while running a check loses it after at
// most one interval, so no check waits longer than two intervals.
func (db *DB) ClaimDue(ctx context.Context, owner string, now time.Time, limit int, lease time.Duration) ([]status.Due, error) {
	if limit <= 0 {
		return nil, nil
	}
	if owner == "" {
		return nil, fmt.Errorf("store: claim due checks: %w", safetynet.Errorf(safetynet.EINVALID, "a claim needs an owner"))
	}
	var out []status.Due
	err := db.write(ctx, "claim due checks", func(tx *sql.Tx) error {
		n := us(now)
		l := max(lease.Microseconds(), 1)
		rows, err := tx.QueryContext(ctx, db.q(`UPDATE schedule
			SET owner = ?, lease_us = ? + CASE WHEN interval_ns / 1000 < ? THEN interval_ns / 1000 ELSE ? END
			WHERE check_id IN (
				SELECT check_id FROM schedule
				WHERE next_us <= ? AND lease_us <= ? AND (owner = ? OR owner = '' OR next_us + interval_ns / 2000 <= ?)
				ORDER BY next_us LIMIT ?`+db.d.skipLocked+`)
			RETURNING check_id, next_us`), owner, n, l, l, n, n, owner, n, limit)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var d status.Due
			var next int64
			if err := rows.Scan(&d.CheckID, &next); err != nil {
				return err
			}
			d.DueAt = fromUS(next)
			out = append(out, d)
		}
		return rows.Err()
	})
	sort.Slice(out, func(i, j int) bool {
		if !out[i].DueAt.Equal(out[j].DueAt) {
			return out[i].DueAt.Before(out[j].DueAt)
		}
		return out[i].CheckID < out[j].CheckID
	})
	return out, err
}

// Complete sets a claimed check's next run and releases the lease, unless
// owner no longer holds it (its lease expired and another server took the
// check over). The check stays owner's for its next run.
func (db *DB) Complete(ctx context.Context, owner, checkID string, next time.Time) error {
	_, err := db.w.ExecContext(ctx, db.q(`UPDATE schedule SET next_us = ?, lease_us = 0 WHERE check_id = ? AND owner = ? AND owner <> ''`),
		us(next), checkID, owner)
	if err != nil {
		return fmt.Errorf("store: complete %s: %w", checkID, err)
	}
	return nil
}

// Release gives up owner's checks, so that other servers take them at
// their next run instead of half an interval later: for a server that
// stops cleanly, after its running checks completed.
func (db *DB) Release(ctx context.Context, owner string) error {
	if _, err := db.w.ExecContext(ctx, db.q(`UPDATE schedule SET owner = '', lease_us = 0 WHERE owner = ?`), owner); err != nil {
		return fmt.Errorf("store: release checks of %s: %w", owner, err)
	}
	return nil
}

// Adopt makes owner the owner of every check not leased at now: for a
// server that has the database to itself (SQLite), so that after a crash
// and restart under a new name it runs its checks at once rather than
// half an interval late.
func (db *DB) Adopt(ctx context.Context, owner string, now time.Time) error {
	if _, err := db.w.ExecContext(ctx, db.q(`UPDATE schedule SET owner = ? WHERE owner <> ? AND lease_us <= ?`), owner, owner, us(now)); err != nil {
		return fmt.Errorf("store: adopt checks: %w", err)
	}
	return nil
}

// NextDue returns the earliest time any check can next be claimed: its next
// run, or the end of its lease if one is held past that.
func (db *DB) NextDue(ctx context.Context) (time.Time, bool, error) {
	return db.nextDue(ctx, `SELECT MIN(CASE WHEN lease_us > next_us THEN lease_us ELSE next_us END) FROM schedule`)
}

// NextDueFor is NextDue as owner's ClaimDue sees it: another server's
// check is claimable only half an interval after its next run.
func (db *DB) NextDueFor(ctx context.Context, owner string) (time.Time, bool, error) {
	return db.nextDue(ctx, `SELECT MIN(CASE
			WHEN owner = ? OR owner = '' THEN CASE WHEN lease_us > next_us THEN lease_us ELSE next_us END
			WHEN lease_us > next_us + interval_ns / 2000 THEN lease_us
			ELSE next_us + interval_ns / 2000 END) FROM schedule`, owner)
}

func (db *DB) nextDue(ctx context.Context, q string, args ...any) (time.Time, bool, error) {
	var v sql.NullInt64
	err := db.r.QueryRowContext(ctx, db.q(q), args...).Scan(&v)
	if err != nil {
		return time.Time{}, false, fmt.Errorf("store: next due: %w", err)
	}
	if !v.Valid {
		return time.Time{}, false, nil
	}
	return fromUS(v.Int64), true, nil
}

// CheckStatesOf returns the stored states of the given checks at every
// location. A server that takes a check over from another reads them, so
// it continues the check's state instead of the one it last saw.
func (db *DB) CheckStatesOf(ctx context.Context, ids []string) ([]status.CheckState, error) {
	var out []status.CheckState
	for _, c := range db.d.chunks(len(ids), 1) {
		part := make([]any, 0, c[1]-c[0])
		for _, id := range ids[c[0]:c[1]] {
			part = append(part, id)
		}
		var err error
		if out, err = db.appendCheckStates(ctx, out, `WHERE check_id IN (`+inList(len(part))+`)`, part...); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// CheckStatesOwnedByOthers returns the stored states of the checks that
// servers other than owner run.
func (db *DB) CheckStatesOwnedByOthers(ctx context.Context, owner string) ([]status.CheckState, error) {
	return db.appendCheckStates(ctx, nil, `WHERE check_id IN (SELECT check_id FROM schedule WHERE owner <> ? AND owner <> '')`, owner)
}

func (db *DB) appendCheckStates(ctx context.Context, out []status.CheckState, where string, args ...any) ([]status.CheckState, error) {
	rows, err := db.r.QueryContext(ctx, db.q(`SELECT check_id, location, state, since_us, failures, successes, last_result
		FROM check_states `+where+` ORDER BY check_id, location`), args...)
	if err != nil {
		return nil, fmt.Errorf("store: check states: %w", err)
	}
	defer rows.Close()
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

// Balance evens out the checks among the servers sharing the schedule: a
// server that owns fewer than its share (the checks divided by the servers
// that own any, itself included) takes idle checks from the server that
// owns the most, enough to reach its share. Only checks not running (no
// lease) and not yet due move, so no run is lost or doubled; a check moved
// runs next on its new owner. It returns how many checks owner took.
//
// A server that stopped still counts until its checks are taken over, so
// shares are small for a moment after a death: that takes nothing from
// anybody.
func (db *DB) Balance(ctx context.Context, owner string, now time.Time) (int, error) {
	if owner == "" {
		return 0, fmt.Errorf("store: balance: %w", safetynet.Errorf(safetynet.EINVALID, "balancing needs an owner"))
	}
	var took int64
	err := db.write(ctx, "balance checks", func(tx *sql.Tx) error {
		rows, err := tx.QueryContext(ctx, `SELECT owner, count(*) FROM schedule GROUP BY owner`)
		if err != nil {
			return err
		}
		counts := map[string]int{}
		total := 0
		for rows.Next() {
			var o string
			var n int
			if err := rows.Scan(&o, &n); err != nil {
				rows.Close()
				return err
			}
			total += n
			if o != "" {
				counts[o] = n
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		servers := len(counts)
		if _, ok := counts[owner]; !ok {
			servers++
		}
		// The floor of the share: with 20 checks on 3 servers, 7, 7 and 6
		// are even, and the server with 6 must not take one back and forth.
		share := total / servers
		mine := counts[owner]
		if mine >= share {
			return nil
		}
		var most string
		for o, n := range counts {
			if o != owner && (n > counts[most] || n == counts[most] && o < most) {
				most = o
			}
		}
		if most == "" || counts[most] <= mine+1 {
			return nil
		}
		k := min(share-mine, counts[most]-share)
		if k <= 0 {
			return nil
		}
		n := us(now)
		res, err := tx.ExecContext(ctx, db.q(`UPDATE schedule SET owner = ?
			WHERE check_id IN (
				SELECT check_id FROM schedule WHERE owner = ? AND lease_us <= ? AND next_us > ?
				ORDER BY next_us DESC LIMIT ?`+db.d.skipLocked+`)`), owner, most, n, n, k)
		if err != nil {
			return err
		}
		took, err = res.RowsAffected()
		return err
	})
	return int(took), err
}
