package store

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/safetynet-dev/safetynet/status"
)

// CreateMaintenance stores a maintenance window and returns it with its ID.
func (db *DB) CreateMaintenance(ctx context.Context, m status.Maintenance) (status.Maintenance, error) {
	if err := m.Validate(); err != nil {
		return status.Maintenance{}, fmt.Errorf("store: create maintenance: %w", err)
	}
	m.Start, m.End = m.Start.UTC(), m.End.UTC()
	comps, err := json.Marshal(m.Components)
	if err != nil {
		return status.Maintenance{}, fmt.Errorf("store: create maintenance: %w", err)
	}
	err = db.w.QueryRowContext(ctx, db.q(`INSERT INTO maintenances (title, components, start_us, end_us) VALUES (?, ?, ?, ?) RETURNING id`),
		m.Title, string(comps), us(m.Start), us(m.End)).Scan(&m.ID)
	if err != nil {
		return status.Maintenance{}, fmt.Errorf("store: create maintenance %q: %w", m.Title, err)
	}
	return m, nil
}

// Maintenances lists windows that overlap [from, to), by start.
func (db *DB) Maintenances(ctx context.Context, from, to time.Time) ([]status.Maintenance, error) {
	rows, err := db.r.QueryContext(ctx, db.q(`SELECT id, title, components, start_us, end_us FROM maintenances
		WHERE start_us < ? AND end_us > ? ORDER BY start_us, id`), us(to), us(from))
	if err != nil {
		return nil, fmt.Errorf("store: maintenances: %w", err)
	}
	defer rows.Close()
	var out []status.Maintenance
	for rows.Next() {
		var m status.Maintenance
		var comps string
		var start, end int64
		if err := rows.Scan(&m.ID, &m.Title, &comps, &start, &end); err != nil {
			return nil, fmt.Errorf("store: maintenances: %w", err)
		}
		if err := json.Unmarshal([]byte(comps), &m.Components); err != nil {
			return nil, fmt.Errorf("store: maintenance %d components: %w", m.ID, err)
		}
		m.Start, m.End = fromUS(start), fromUS(end)
		out = append(out, m)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: maintenances: %w", err)
	}
	return out, nil
}
