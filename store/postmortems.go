package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/safetynet-dev/safetynet"
	"github.com/safetynet-dev/safetynet/status"
)

var _ status.PostmortemStore = (*DB)(nil)

const postmortemCols = `incident_id, apology, summary, timeline, detect_us, ack_us, resolve_us, published, published_us, created_us, updated_us`

const actionCols = `id, incident_id, title, kind, team, due_us, status`

// CreatePostmortem stores an incident's first postmortem; ECONFLICT when it
// has one.
func (db *DB) CreatePostmortem(ctx context.Context, in status.PostmortemRecord, actor string) (status.PostmortemRecord, error) {
	pm, err := db.preparePostmortem(in)
	if err != nil {
		return status.PostmortemRecord{}, fmt.Errorf("store: create postmortem: %w", err)
	}
	err = db.write(ctx, "create postmortem", func(tx *sql.Tx) error {
		if err := db.incidentExists(ctx, tx, pm.IncidentID); err != nil {
			return err
		}
		old, err := db.postmortemTx(ctx, tx, pm.IncidentID)
		if err != nil {
			return err
		}
		if old != nil {
			return safetynet.Errorf(safetynet.ECONFLICT, "incident %d already has a postmortem", pm.IncidentID)
		}
		return db.insertPostmortem(ctx, tx, pm, actor)
	})
	if err != nil {
		return status.PostmortemRecord{}, fmt.Errorf("store: create postmortem: %w", err)
	}
	return pm.PostmortemRecord, nil
}

// SavePostmortem creates or replaces an incident's postmortem; its action
// items are left as they are.
func (db *DB) SavePostmortem(ctx context.Context, in status.PostmortemRecord, actor string) (status.PostmortemRecord, error) {
	pm, err := db.preparePostmortem(in)
	if err != nil {
		return status.PostmortemRecord{}, fmt.Errorf("store: save postmortem: %w", err)
	}
	err = db.write(ctx, "save postmortem", func(tx *sql.Tx) error {
		if err := db.incidentExists(ctx, tx, pm.IncidentID); err != nil {
			return err
		}
		old, err := db.postmortemTx(ctx, tx, pm.IncidentID)
		if err != nil {
			return err
		}
		if old == nil {
			return db.insertPostmortem(ctx, tx, pm, actor)
		}
		pm.CreatedAt = old.CreatedAt
		if pm.Published && old.Published && old.PublishedAt != nil && !pm.publishedGiven {
			pm.PublishedAt = old.PublishedAt // republishing keeps the first date
		}
		if _, err := tx.ExecContext(ctx, db.q(`UPDATE postmortems SET apology = ?, summary = ?, timeline = ?, detect_us = ?, ack_us = ?, resolve_us = ?, published = ?, published_us = ?, updated_us = ? WHERE incident_id = ?`),
			pm.Apology, pm.Summary, mustJSON(pm.Timeline), pm.Times.Detect.Microseconds(), pm.Times.Ack.Microseconds(), pm.Times.Resolve.Microseconds(),
			pm.Published, nullUS(pm.PublishedAt), us(pm.UpdatedAt), pm.IncidentID); err != nil {
			return err
		}
		action := "edit"
		switch {
		case pm.Published && !old.Published:
			action = "publish"
		case !pm.Published && old.Published:
			action = "unpublish"
		}
		return db.audit(ctx, tx, "postmortem", pm.IncidentID, action, actor, pm.UpdatedAt, *old, pm.PostmortemRecord)
	})
	if err != nil {
		return status.PostmortemRecord{}, fmt.Errorf("store: save postmortem: %w", err)
	}
	return pm.PostmortemRecord, nil
}

// preparedPostmortem is a validated postmortem with its times set.
type preparedPostmortem struct {
	status.PostmortemRecord
	publishedGiven bool // the caller set PublishedAt
}

func (db *DB) preparePostmortem(in status.PostmortemRecord) (preparedPostmortem, error) {
	pm := preparedPostmortem{PostmortemRecord: in, publishedGiven: in.PublishedAt != nil}
	if err := pm.Validate(); err != nil {
		return pm, err
	}
	// Times are kept to the microsecond; cut them here so that what is
	// returned equals what is read back.
	now := db.now().UTC().Truncate(time.Microsecond)
	pm.UpdatedAt = now
	if pm.CreatedAt.IsZero() {
		pm.CreatedAt = now
	}
	pm.CreatedAt = pm.CreatedAt.UTC().Truncate(time.Microsecond)
	switch {
	case !pm.Published:
		pm.PublishedAt = nil
	case pm.PublishedAt == nil:
		pm.PublishedAt = &now
	default:
		t := pm.PublishedAt.UTC().Truncate(time.Microsecond)
		pm.PublishedAt = &t
	}
	for i := range pm.Timeline {
		pm.Timeline[i].At = pm.Timeline[i].At.UTC()
	}
	pm.Actions = nil
	return pm, nil
}

func (db *DB) insertPostmortem(ctx context.Context, tx *sql.Tx, pm preparedPostmortem, actor string) error {
	// Two servers may draft the same postmortem at once; on PostgreSQL both
	// can pass the check for an existing one, and the second then inserts
	// nothing and reports the conflict.
	res, err := tx.ExecContext(ctx, db.q(`INSERT INTO postmortems (`+postmortemCols+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (incident_id) DO NOTHING`),
		pm.IncidentID, pm.Apology, pm.Summary, mustJSON(pm.Timeline), pm.Times.Detect.Microseconds(), pm.Times.Ack.Microseconds(), pm.Times.Resolve.Microseconds(),
		pm.Published, nullUS(pm.PublishedAt), us(pm.CreatedAt), us(pm.UpdatedAt))
	if err != nil {
		return err
	}
	if n, err := res.RowsAffected(); err != nil {
		return err
	} else if n == 0 {
		return safetynet.Errorf(safetynet.ECONFLICT, "incident %d already has a postmortem", pm.IncidentID)
	}
	return db.audit(ctx, tx, "postmortem", pm.IncidentID, "create", actor, pm.CreatedAt, nil, pm.PostmortemRecord)
}

func (db *DB) incidentExists(ctx context.Context, tx *sql.Tx, id int64) error {
	var one int
	err := tx.QueryRowContext(ctx, db.q(`SELECT 1 FROM incidents WHERE id = ?`), id).Scan(&one)
	if errors.Is(err, sql.ErrNoRows) {
		return safetynet.Errorf(safetynet.ENOTFOUND, "no incident %d", id)
	}
	return err
}

// postmortemTx reads a postmortem without its actions inside a
// transaction; nil when there is none.
func (db *DB) postmortemTx(ctx context.Context, tx *sql.Tx, id int64) (*status.PostmortemRecord, error) {
	pms, err := db.scanPostmortems(ctx, tx, `SELECT `+postmortemCols+` FROM postmortems WHERE incident_id = ?`, id)
	if err != nil || len(pms) == 0 {
		return nil, err
	}
	return &pms[0], nil
}

// Postmortem returns an incident's postmortem with its action items.
func (db *DB) Postmortem(ctx context.Context, incidentID int64) (status.PostmortemRecord, error) {
	pms, err := db.scanPostmortems(ctx, db.r, `SELECT `+postmortemCols+` FROM postmortems WHERE incident_id = ?`, incidentID)
	if err == nil && len(pms) == 0 {
		return status.PostmortemRecord{}, safetynet.Errorf(safetynet.ENOTFOUND, "incident %d has no postmortem", incidentID)
	}
	if err == nil {
		err = db.attachActions(ctx, pms)
	}
	if err != nil {
		return status.PostmortemRecord{}, fmt.Errorf("store: postmortem of incident %d: %w", incidentID, err)
	}
	return pms[0], nil
}

// Postmortems lists postmortems newest first, each with its action items.
func (db *DB) Postmortems(ctx context.Context, publishedOnly bool) ([]status.PostmortemRecord, error) {
	q := `SELECT ` + postmortemCols + ` FROM postmortems ORDER BY created_us DESC, incident_id DESC`
	var args []any
	if publishedOnly {
		q = `SELECT ` + postmortemCols + ` FROM postmortems WHERE published = ? ORDER BY published_us DESC, incident_id DESC`
		args = append(args, true)
	}
	pms, err := db.scanPostmortems(ctx, db.r, q, args...)
	if err == nil {
		err = db.attachActions(ctx, pms)
	}
	if err != nil {
		return nil, fmt.Errorf("store: postmortems: %w", err)
	}
	return pms, nil
}

func (db *DB) scanPostmortems(ctx context.Context, q querier, query string, args ...any) ([]status.PostmortemRecord, error) {
	rows, err := q.QueryContext(ctx, db.q(query), args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []status.PostmortemRecord
	for rows.Next() {
		var pm status.PostmortemRecord
		var timeline string
		var detect, ack, resolve, created, updated int64
		var published sql.NullInt64
		if err := rows.Scan(&pm.IncidentID, &pm.Apology, &pm.Summary, &timeline, &detect, &ack, &resolve, &pm.Published, &published, &created, &updated); err != nil {
			return nil, err
		}
		if err := json.Unmarshal([]byte(timeline), &pm.Timeline); err != nil {
			return nil, fmt.Errorf("postmortem %d timeline: %w", pm.IncidentID, err)
		}
		pm.Times = status.Durations{Detect: time.Duration(detect) * time.Microsecond, Ack: time.Duration(ack) * time.Microsecond, Resolve: time.Duration(resolve) * time.Microsecond}
		pm.PublishedAt, pm.CreatedAt, pm.UpdatedAt = fromNullUS(published), fromUS(created), fromUS(updated)
		out = append(out, pm)
	}
	return out, rows.Err()
}

// attachActions fills the Actions of each postmortem with one query.
func (db *DB) attachActions(ctx context.Context, pms []status.PostmortemRecord) error {
	if len(pms) == 0 {
		return nil
	}
	ids := make([]any, len(pms))
	byID := make(map[int64]int, len(pms))
	for i, pm := range pms {
		ids[i], byID[pm.IncidentID] = pm.IncidentID, i
	}
	acts, err := db.scanActions(ctx, db.r, `SELECT `+actionCols+` FROM action_items WHERE incident_id IN (`+inList(len(ids))+`) ORDER BY id`, ids...)
	if err != nil {
		return err
	}
	for _, a := range acts {
		i := byID[a.IncidentID]
		pms[i].Actions = append(pms[i].Actions, a.ActionItem)
	}
	return nil
}

// SaveActionItem adds an action item to a postmortem (ID 0) or replaces
// one of its items.
func (db *DB) SaveActionItem(ctx context.Context, incidentID int64, a status.ActionItem, actor string) (status.ActionItem, error) {
	if err := a.Validate(); err != nil {
		return status.ActionItem{}, fmt.Errorf("store: save action item: %w", err)
	}
	a.Due = a.Due.UTC()
	err := db.write(ctx, "save action item", func(tx *sql.Tx) error {
		if old, err := db.postmortemTx(ctx, tx, incidentID); err != nil {
			return err
		} else if old == nil {
			return safetynet.Errorf(safetynet.ENOTFOUND, "incident %d has no postmortem", incidentID)
		}
		now := db.now().UTC()
		if a.ID == 0 {
			if err := tx.QueryRowContext(ctx, db.q(`INSERT INTO action_items (incident_id, title, kind, team, due_us, status) VALUES (?, ?, ?, ?, ?, ?) RETURNING id`),
				incidentID, a.Title, string(a.Kind), a.Team, us(a.Due), a.Status).Scan(&a.ID); err != nil {
				return err
			}
			return db.audit(ctx, tx, "action_item", a.ID, "create", actor, now, nil, status.Action{IncidentID: incidentID, ActionItem: a})
		}
		before, err := db.scanActions(ctx, tx, `SELECT `+actionCols+` FROM action_items WHERE id = ? AND incident_id = ?`, a.ID, incidentID)
		if err != nil {
			return err
		}
		if len(before) == 0 {
			return safetynet.Errorf(safetynet.ENOTFOUND, "incident %d has no action item %d", incidentID, a.ID)
		}
		if _, err := tx.ExecContext(ctx, db.q(`UPDATE action_items SET title = ?, kind = ?, team = ?, due_us = ?, status = ? WHERE id = ?`),
			a.Title, string(a.Kind), a.Team, us(a.Due), a.Status, a.ID); err != nil {
			return err
		}
		return db.audit(ctx, tx, "action_item", a.ID, "edit", actor, now, before[0], status.Action{IncidentID: incidentID, ActionItem: a})
	})
	if err != nil {
		return status.ActionItem{}, fmt.Errorf("store: save action item: %w", err)
	}
	return a, nil
}

// ActionItems lists one postmortem's items, or every item not done.
func (db *DB) ActionItems(ctx context.Context, incidentID int64) ([]status.Action, error) {
	q, args := `SELECT `+actionCols+` FROM action_items WHERE incident_id = ? ORDER BY id`, []any{incidentID}
	if incidentID == 0 {
		q, args = `SELECT `+actionCols+` FROM action_items WHERE status <> ? ORDER BY due_us, id`, []any{status.ActionDone}
	}
	acts, err := db.scanActions(ctx, db.r, q, args...)
	if err != nil {
		return nil, fmt.Errorf("store: action items: %w", err)
	}
	return acts, nil
}

func (db *DB) scanActions(ctx context.Context, q querier, query string, args ...any) ([]status.Action, error) {
	rows, err := q.QueryContext(ctx, db.q(query), args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []status.Action
	for rows.Next() {
		var a status.Action
		var kind string
		var due int64
		if err := rows.Scan(&a.ID, &a.IncidentID, &a.Title, &kind, &a.Team, &due, &a.Status); err != nil {
			return nil, err
		}
		a.Kind, a.Due = status.ActionKind(kind), fromUS(due)
		out = append(out, a)
	}
	return out, rows.Err()
}
