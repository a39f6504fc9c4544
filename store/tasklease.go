package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/safetynet-dev/safetynet"
)

// TryLease takes or renews the lease on a whole-system task for holder
// until ttl from now (the store's clock), and reports whether holder has
// it. The lease is taken when nobody holds it, when its holder let it
// expire, or when holder already has it; a live lease of another holder is
// left alone. Servers sharing a database call it before each run of such a
// task, so that one runs it at a time and another takes over within ttl of
// the holder's death.
//
// One statement does it all: an insert that, on a name already present,
// updates the row only if the WHERE clause allows. On PostgreSQL concurrent
// callers queue on the row and each re-reads it before deciding, so
// exactly one of them gets a free lease; SQLite runs one writer at a time.
func (db *DB) TryLease(ctx context.Context, name, holder string, ttl time.Duration) (bool, error) {
	switch {
	case name == "" || holder == "":
		return false, fmt.Errorf("store: lease task %q: %w", name, safetynet.Errorf(safetynet.EINVALID, "a task lease needs a name and a holder"))
	case ttl <= 0:
		return false, fmt.Errorf("store: lease task %s: %w", name, safetynet.Errorf(safetynet.EINVALID, "a task lease needs a positive duration, not %s", ttl))
	}
	now := db.now()
	var got string
	err := db.w.QueryRowContext(ctx, db.q(`INSERT INTO task_leases (name, holder, expires_us) VALUES (?, ?, ?)
		ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, expires_us = excluded.expires_us
		WHERE task_leases.holder = excluded.holder OR task_leases.expires_us <= ?
		RETURNING holder`), name, holder, us(now.Add(ttl)), us(now)).Scan(&got)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		// Nothing was written: this says nothing about a full database.
		return false, nil
	case err != nil:
		return false, db.wrapWrite("lease task "+name, err)
	}
	db.noteWrite(nil)
	return got == holder, nil
}

// ReleaseLease gives up holder's lease on a task, so that another server
// takes the task at its next run rather than when the lease would have
// expired: for a server that stops cleanly. A lease holder no longer has
// is left alone.
func (db *DB) ReleaseLease(ctx context.Context, name, holder string) error {
	if _, err := db.w.ExecContext(ctx, db.q(`DELETE FROM task_leases WHERE name = ? AND holder = ?`), name, holder); err != nil {
		return fmt.Errorf("store: release task lease %s: %w", name, err)
	}
	return nil
}
