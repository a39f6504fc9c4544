package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/safetynet-dev/safetynet"
	"github.com/safetynet-dev/safetynet/status"
)

var _ status.ReleaseStore = (*DB)(nil)

// maxReleaseRows bounds every release listing, whatever limit is asked.
const maxReleaseRows = 1000

func releaseLimit(n int) int {
	if n <= 0 || n > maxReleaseRows {
		return maxReleaseRows
	}
	return n
}

// RecordDeployment stores a deployment; its time defaults to now.
func (db *DB) RecordDeployment(ctx context.Context, d status.Deployment) (status.Deployment, error) {
	if err := d.Validate(); err != nil {
		return status.Deployment{}, fmt.Errorf("store: record deployment: %w", err)
	}
	if d.At.IsZero() {
		d.At = db.now()
	}
	d.At = d.At.UTC()
	if d.Components == nil {
		d.Components = []string{}
	}
	err := db.write(ctx, "record deployment", func(tx *sql.Tx) error {
		return tx.QueryRowContext(ctx, db.q(`INSERT INTO deployments (service, version, environment, components, commit_id, pipeline_url, fixes, introduces, source, by_name, at_us)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`),
			d.Service, d.Version, d.Environment, mustJSON(d.Components), d.Commit, d.PipelineURL, mustJSON(d.Fixes), mustJSON(d.Introduces), d.Source, d.By, us(d.At)).Scan(&d.ID)
	})
	if err != nil {
		return status.Deployment{}, err
	}
	return d, nil
}

// Deployments lists deployments, newest first.
func (db *DB) Deployments(ctx context.Context, f status.DeploymentFilter) ([]status.Deployment, error) {
	var where []string
	var args []any
	for _, c := range []struct{ col, v string }{{"service", f.Service}, {"version", f.Version}, {"environment", f.Environment}} {
		if c.v != "" {
			where = append(where, c.col+" = ?")
			args = append(args, c.v)
		}
	}
	q := `SELECT id, service, version, environment, components, commit_id, pipeline_url, fixes, introduces, source, by_name, at_us FROM deployments`
	if len(where) > 0 {
		q += " WHERE " + strings.Join(where, " AND ")
	}
	q += fmt.Sprintf(" ORDER BY at_us DESC, id DESC LIMIT %d", releaseLimit(f.Limit))
	rows, err := db.r.QueryContext(ctx, db.q(q), args...)
	if err != nil {
		return nil, fmt.Errorf("store: deployments: %w", err)
	}
	defer rows.Close()
	var out []status.Deployment
	for rows.Next() {
		var d status.Deployment
		var comps, fixes, intro string
		var at int64
		if err := rows.Scan(&d.ID, &d.Service, &d.Version, &d.Environment, &comps, &d.Commit, &d.PipelineURL, &fixes, &intro, &d.Source, &d.By, &at); err != nil {
			return nil, fmt.Errorf("store: deployments: %w", err)
		}
		d.At = fromUS(at)
		if err := errors.Join(json.Unmarshal([]byte(comps), &d.Components), json.Unmarshal([]byte(fixes), &d.Fixes), json.Unmarshal([]byte(intro), &d.Introduces)); err != nil {
			return nil, fmt.Errorf("store: deployment %d: %w", d.ID, err)
		}
		out = append(out, d)
	}
	return out, rows.Err()
}

// SaveGateDecision stores a gate decision with its inputs.
func (db *DB) SaveGateDecision(ctx context.Context, d status.GateDecision) (status.GateDecision, error) {
	if d.At.IsZero() {
		d.At = db.now()
	}
	d.At = d.At.UTC()
	inputs, err := json.Marshal(d.Inputs)
	if err != nil {
		return status.GateDecision{}, fmt.Errorf("store: save gate decision: %w", err)
	}
	err = db.write(ctx, "save gate decision", func(tx *sql.Tx) error {
		return tx.QueryRowContext(ctx, db.q(`INSERT INTO gate_decisions (service, version, target, outcome, reason, override, by_name, at_us, inputs)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`),
			d.Service, d.Version, d.To, string(d.Outcome), d.Reason, d.Override, d.By, us(d.At), string(inputs)).Scan(&d.ID)
	})
	if err != nil {
		return status.GateDecision{}, err
	}
	return d, nil
}

// GateDecisions lists a service's decisions, newest first.
func (db *DB) GateDecisions(ctx context.Context, service, version string, limit int) ([]status.GateDecision, error) {
	q := `SELECT id, service, version, target, outcome, reason, override, by_name, at_us, inputs FROM gate_decisions WHERE service = ?`
	args := []any{service}
	if version != "" {
		q += ` AND version = ?`
		args = append(args, version)
	}
	q += fmt.Sprintf(" ORDER BY at_us DESC, id DESC LIMIT %d", releaseLimit(limit))
	rows, err := db.r.QueryContext(ctx, db.q(q), args...)
	if err != nil {
		return nil, fmt.Errorf("store: gate decisions: %w", err)
	}
	defer rows.Close()
	var out []status.GateDecision
	for rows.Next() {
		var d status.GateDecision
		var outcome, inputs string
		var at int64
		if err := rows.Scan(&d.ID, &d.Service, &d.Version, &d.To, &outcome, &d.Reason, &d.Override, &d.By, &at, &inputs); err != nil {
			return nil, fmt.Errorf("store: gate decisions: %w", err)
		}
		d.Outcome, d.At = status.Outcome(outcome), fromUS(at)
		if err := json.Unmarshal([]byte(inputs), &d.Inputs); err != nil {
			return nil, fmt.Errorf("store: gate decision %d: %w", d.ID, err)
		}
		out = append(out, d)
	}
	return out, rows.Err()
}

// SaveBuildEvent stores an AWS event once: EventBridge delivers at least
// once, so a second delivery of the same event ID returns the stored one
// and false.
func (db *DB) SaveBuildEvent(ctx context.Context, e status.BuildEvent) (status.BuildEvent, bool, error) {
	if e.EventID == "" || e.Kind == "" || e.Name == "" || e.State == "" {
		return status.BuildEvent{}, false, fmt.Errorf("store: save build event: %w", safetynet.Errorf(safetynet.EINVALID, "a build event needs an event ID, kind, name and state"))
	}
	if e.At.IsZero() {
		e.At = db.now()
	}
	e.At = e.At.UTC()
	added := true
	err := db.write(ctx, "save build event", func(tx *sql.Tx) error {
		err := tx.QueryRowContext(ctx, db.q(`INSERT INTO build_events (event_id, kind, name, execution, state, service, component, url, summary, at_us)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (event_id) DO NOTHING RETURNING id`),
			e.EventID, e.Kind, e.Name, e.Execution, e.State, e.Service, e.Component, e.URL, e.Summary, us(e.At)).Scan(&e.ID)
		if !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		added = false
		var at int64
		err = tx.QueryRowContext(ctx, db.q(`SELECT id, kind, name, execution, state, service, component, url, summary, at_us FROM build_events WHERE event_id = ?`), e.EventID).
			Scan(&e.ID, &e.Kind, &e.Name, &e.Execution, &e.State, &e.Service, &e.Component, &e.URL, &e.Summary, &at)
		e.At = fromUS(at)
		return err
	})
	if err != nil {
		return status.BuildEvent{}, false, err
	}
	return e, added, nil
}

// BuildEvents lists events, newest first.
func (db *DB) BuildEvents(ctx context.Context, f status.BuildEventFilter) ([]status.BuildEvent, error) {
	var where []string
	var args []any
	if f.Service != "" {
		where = append(where, "service = ?")
		args = append(args, f.Service)
	}
	if f.Kind != "" {
		where = append(where, "kind = ?")
		args = append(args, f.Kind)
	}
	q := `SELECT id, event_id, kind, name, execution, state, service, component, url, summary, at_us FROM build_events`
	if len(where) > 0 {
		q += " WHERE " + strings.Join(where, " AND ")
	}
	q += fmt.Sprintf(" ORDER BY at_us DESC, id DESC LIMIT %d", releaseLimit(f.Limit))
	rows, err := db.r.QueryContext(ctx, db.q(q), args...)
	if err != nil {
		return nil, fmt.Errorf("store: build events: %w", err)
	}
	defer rows.Close()
	var out []status.BuildEvent
	for rows.Next() {
		var e status.BuildEvent
		var at int64
		if err := rows.Scan(&e.ID, &e.EventID, &e.Kind, &e.Name, &e.Execution, &e.State, &e.Service, &e.Component, &e.URL, &e.Summary, &at); err != nil {
			return nil, fmt.Errorf("store: build events: %w", err)
		}
		e.At = fromUS(at)
		out = append(out, e)
	}
	return out, rows.Err()
}
