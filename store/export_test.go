package store

import "io/fs"

// WithMigrations replaces the embedded migrations, so tests can put a
// database on an older or newer schema than the binary's.
func WithMigrations(o Options, fsys fs.FS) Options {
	o.migrations = fsys
	return o
}
