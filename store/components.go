package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"

	"github.com/safetynet-dev/safetynet/status"
)

// SyncComponents makes the stored components match the config. Components
// missing from cs are marked removed rather than deleted: their status
// changes and alerts still refer to them.
func (db *DB) SyncComponents(ctx context.Context, cs []status.Component) error {
	for i := range cs {
		if err := cs[i].Validate(); err != nil {
			return fmt.Errorf("store: sync components: %w", err)
		}
	}
	return db.write(ctx, "sync components", func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, db.q(`UPDATE components SET removed = ?`), true); err != nil {
			return err
		}
		upsert := db.q(`INSERT INTO components (id, name, grp, description, owner, customers, public, position, removed)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
			ON CONFLICT (id) DO UPDATE SET name = excluded.name, grp = excluded.grp, description = excluded.description,
				owner = excluded.owner, customers = excluded.customers, public = excluded.public,
				position = excluded.position, removed = excluded.removed`)
		stmt, err := tx.PrepareContext(ctx, upsert)
		if err != nil {
			return err
		}
		defer stmt.Close()
		for _, c := range cs {
			customers, err := json.Marshal(nonNil(c.Customers))
			if err != nil {
				return err
			}
			if _, err := stmt.ExecContext(ctx, c.ID, c.Name, c.Group, c.Description, c.Owner, string(customers), c.Public, c.Position, false); err != nil {
				return fmt.Errorf("component %s: %w", c.ID, err)
			}
		}
		return nil
	})
}

// Components returns the configured (not removed) components in page order.
func (db *DB) Components(ctx context.Context) ([]status.Component, error) {
	rows, err := db.r.QueryContext(ctx, db.q(`SELECT id, name, grp, description, owner, customers, public, position
		FROM components WHERE removed = ? ORDER BY position, id`), false)
	if err != nil {
		return nil, fmt.Errorf("store: components: %w", err)
	}
	defer rows.Close()
	var out []status.Component
	for rows.Next() {
		var c status.Component
		var customers string
		if err := rows.Scan(&c.ID, &c.Name, &c.Group, &c.Description, &c.Owner, &customers, &c.Public, &c.Position); err != nil {
			return nil, fmt.Errorf("store: components: %w", err)
		}
		if err := json.Unmarshal([]byte(customers), &c.Customers); err != nil {
			return nil, fmt.Errorf("store: component %s customers: %w", c.ID, err)
		}
		if len(c.Customers) == 0 {
			c.Customers = nil
		}
		out = append(out, c)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: components: %w", err)
	}
	return out, nil
}

func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}
