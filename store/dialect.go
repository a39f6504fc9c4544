package store

import (
	"context"
	"database/sql"
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

// execRows runs head + VALUES (...),(...) + tail over args (cols per row)
// in as many statements as needed and returns the rows affected.
func (db *DB) execRows(ctx context.Context, tx *sql.Tx, head string, cols int, tail string, args []any) (int64, error) {
	var total int64
	for _, c := range db.d.chunks(len(args)/cols, cols) {
		q := db.q(head + " VALUES " + valuesList(c[1]-c[0], cols) + " " + tail)
		res, err := tx.ExecContext(ctx, q, args[c[0]*cols:c[1]*cols]...)
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
