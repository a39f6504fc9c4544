package store

import "database/sql"

// Writer returns the write handle (on SQLite one connection), so tests can
// read and change connection settings the way a failing disk would.
func Writer(db *DB) *sql.DB { return db.w }
