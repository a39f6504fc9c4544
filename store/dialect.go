package store

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"strings"
)

// dialect holds what differs between SQLite and PostgreSQL. Queries are
// written once with '?' placeholders and rebound for PostgreSQL.
type dialect struct {
	name string // "sqlite" or "postgres", also the migrations folder
	// dollar selects $1-style placeholders.
	dollar bool
	// skipLocked is appended to SELECTs that claim rows, so that concurrent
	// claimers on PostgreSQL pass over each other's rows instead of waiting.
	// SQLite needs nothing: its write transactions never overlap.
	skipLocked string
	// lockRollups reads the rollup rows a batch merges into through an
	// upsert that creates the missing ones and locks them all, so that
	// concurrent servers cannot lose each other's counts. SQLite runs one
	// write transaction at a time, and a plain read is a third faster.
	lockRollups bool
	// lockLedger serialises concurrent migrators inside a migration's
	// transaction. SQLite's BEGIN IMMEDIATE already does.
	lockLedger string
	// countTables counts the tables of the current database or schema other
	// than the migration ledger, to tell an empty database.
	countTables string
	// maxParams bounds the placeholders of one statement.
	maxParams int
}

var (
	sqliteDialect = &dialect{
		name:        "sqlite",
		countTables: `SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name <> 'schema_migrations'`,
		maxParams:   32000,
	}
	postgresDialect = &dialect{
		name:        "postgres",
		dollar:      true,
		skipLocked:  " FOR UPDATE SKIP LOCKED",
		lockRollups: true,
		lockLedger:  "LOCK TABLE schema_migrations IN EXCLUSIVE MODE",
		countTables: `SELECT count(*) FROM information_schema.tables WHERE table_schema = current_schema() AND table_name <> 'schema_migrations'`,
		maxParams:   65000,
	}
)

// rebind turns '?' placeholders into $n for PostgreSQL. Queries in this
// package never contain '?' inside literals.
func (d *dialect) rebind(q string) string {
	if !d.dollar || !strings.Contains(q, "?") {
		return q
	}
	var b strings.Builder
	b.Grow(len(q) + 16)
	n := 0
	for i := 0; i < len(q); i++ {
		if q[i] == '?' {
			n++
			b.WriteByte('$')
			b.WriteString(strconv.Itoa(n))
			continue
		}
		b.WriteByte(q[i])
	}
	return b.String()
}

// valuesList returns rows groups of cols placeholders: "(?,?),(?,?)".
func valuesList(rows, cols int) string {
	var one strings.Builder
	one.WriteByte('(')
	for c := 0; c < cols; c++ {
		if c > 0 {
			one.WriteByte(',')
		}
		one.WriteByte('?')
	}
	one.WriteByte(')')
	g := one.String()
	var b strings.Builder
	b.Grow(rows * (len(g) + 1))
	for r := 0; r < rows; r++ {
		if r > 0 {
			b.WriteByte(',')
		}
		b.WriteString(g)
	}
	return b.String()
}

// inList returns n placeholders for an IN list: "?,?,?".
func inList(n int) string {
	if n == 0 {
		return "NULL"
	}
	return strings.TrimSuffix(strings.Repeat("?,", n), ",")
}

// batchRows is the most rows one multi-row statement carries. Larger
// batches are split; a fixed size keeps the number of distinct statement
// texts (and so prepared statements on PostgreSQL) small.
const batchRows = 500

// chunks splits n rows of cols columns into [from, to) row ranges that fit
// in one statement.
func (d *dialect) chunks(n, cols int) [][2]int {
	size := min(batchRows, d.maxParams/cols)
	var out [][2]int
	for from := 0; from < n; from += size {
		out = append(out, [2]int{from, min(from+size, n)})
	}
	return out
}

// bulk is a multi-row statement: head VALUES (...),(...) tail.
type bulk struct {
	head string
	cols int
	tail string
}

// text returns the statement for rows rows, rebound for the dialect.
func (b *bulk) text(d *dialect, rows int) string {
	return d.rebind(b.head + " VALUES " + valuesList(rows, b.cols) + " " + b.tail)
}

// The multi-row statements of this package, prepared for full batches when
// the database is opened: parsing a 500-row VALUES list costs SQLite more
// than running it.
var (
	bulkResults = &bulk{head: `INSERT INTO results (check_id, location, at_us, latency_ns, ok, error, warning, detail)`, cols: 8, tail: ``}
	// bulkRollupLock creates missing rollup rows and returns every row,
	// locked: the update changes nothing but takes the row lock.
	bulkRollupLock = &bulk{head: `INSERT INTO rollups (check_id, resolution, start_us, location, count, failures, hist)`, cols: 7,
		tail: rollupConflict + ` DO UPDATE SET count = rollups.count RETURNING check_id, resolution, start_us, location, count, failures, hist`}
	// bulkRollupRead reads rollup rows by key.
	bulkRollupRead = &bulk{head: `SELECT check_id, resolution, start_us, location, count, failures, hist FROM rollups
		WHERE (check_id, resolution, start_us, location) IN (`, cols: 4, tail: `)`}
	bulkRollupWrite = &bulk{head: `INSERT INTO rollups (check_id, resolution, start_us, location, count, failures, hist)`, cols: 7, tail: rollupConflict + ` DO UPDATE SET count = excluded.count, failures = excluded.failures, hist = excluded.hist`}
	bulkSeries      = &bulk{head: `INSERT INTO series (key, name, tags)`, cols: 3, tail: `ON CONFLICT (key) DO NOTHING`}
	bulkSamples     = &bulk{head: `INSERT INTO samples (series_id, at_us, value)`, cols: 3, tail: `ON CONFLICT (series_id, at_us) DO UPDATE SET value = excluded.value`}
	bulkSchedule    = &bulk{head: `INSERT INTO schedule (check_id, interval_ns, hash, next_us)`, cols: 4, tail: ``}
	bulkOutbox      = &bulk{head: `INSERT INTO outbox (key, notifier, message, created_us, next_us, delivered_us)`, cols: 6, tail: `ON CONFLICT (key) DO NOTHING`}
)

var bulks = []*bulk{bulkResults, bulkRollupLock, bulkRollupRead, bulkRollupWrite, bulkSeries, bulkSamples, bulkSchedule, bulkOutbox}

// prepareBulk prepares the full-batch form of every bulk statement.
func (db *DB) prepareBulk(ctx context.Context) error {
	db.prepared = map[*bulk]*sql.Stmt{}
	for _, b := range bulks {
		if db.d.maxParams/b.cols < batchRows || b == bulkRollupRead && db.d.lockRollups || b == bulkRollupLock && !db.d.lockRollups {
			continue
		}
		s, err := db.w.PrepareContext(ctx, b.text(db.d, batchRows))
		if err != nil {
			return fmt.Errorf("store: prepare %s: %w", b.head, err)
		}
		db.prepared[b] = s
	}
	return nil
}

// stmt returns b for rows rows, prepared within tx.
func (db *DB) stmt(ctx context.Context, tx *sql.Tx, b *bulk, rows int) (*sql.Stmt, error) {
	if s, ok := db.prepared[b]; ok && rows == batchRows {
		return tx.StmtContext(ctx, s), nil
	}
	return tx.PrepareContext(ctx, b.text(db.d, rows))
}

// execRows runs b over args (b.cols per row) in as many statements as
// needed and returns the rows affected.
func (db *DB) execRows(ctx context.Context, tx *sql.Tx, b *bulk, args []any) (int64, error) {
	var total int64
	for _, c := range db.d.chunks(len(args)/b.cols, b.cols) {
		stmt, err := db.stmt(ctx, tx, b, c[1]-c[0])
		if err != nil {
			return total, err
		}
		res, err := stmt.ExecContext(ctx, args[c[0]*b.cols:c[1]*b.cols]...)
		stmt.Close()
		if err != nil {
			return total, err
		}
		n, err := res.RowsAffected()
		if err != nil {
			return total, err
		}
		total += n
	}
	return total, nil
}

func (db *DB) closeStmts() {
	for _, s := range db.prepared {
		s.Close()
	}
	db.prepared = nil
}
