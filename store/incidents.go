package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/safetynet-dev/safetynet"
	"github.com/safetynet-dev/safetynet/status"
)

var _ status.IncidentStore = (*DB)(nil)

const incidentCols = `id, title, status, impact, automatic, public, components, customers, started_us, created_us, updated_us, resolved_us, acked_us, acked_by, merged_into`

// CreateIncident stores a new incident with its first update and the audit
// entry, in one transaction.
func (db *DB) CreateIncident(ctx context.Context, inc status.Incident, first status.IncidentUpdate, actor string) (status.Incident, error) {
	now := db.now().UTC()
	if inc.CreatedAt.IsZero() {
		inc.CreatedAt = now
	}
	if inc.StartedAt.IsZero() {
		inc.StartedAt = inc.CreatedAt
	}
	inc.UpdatedAt = inc.CreatedAt
	if first.Status == "" {
		first.Status = inc.Status
	}
	if first.At.IsZero() {
		first.At = inc.CreatedAt
	}
	if err := inc.Validate(); err != nil {
		return status.Incident{}, fmt.Errorf("store: create incident: %w", err)
	}
	if err := first.Validate(); err != nil {
		return status.Incident{}, fmt.Errorf("store: create incident: %w", err)
	}
	if inc.Status == status.Resolved && inc.ResolvedAt == nil {
		t := first.At
		inc.ResolvedAt = &t
	}
	err := db.write(ctx, "create incident", func(tx *sql.Tx) error {
		comps, custs := mustJSON(inc.Components), mustJSON(inc.Customers)
		err := tx.QueryRowContext(ctx, db.q(`INSERT INTO incidents (title, status, impact, automatic, public, components, customers, started_us, created_us, updated_us, resolved_us, acked_us, acked_by, merged_into)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`),
			inc.Title, string(inc.Status), string(inc.Impact), inc.Automatic, inc.Public, comps, custs,
			us(inc.StartedAt), us(inc.CreatedAt), us(inc.UpdatedAt), nullUS(inc.ResolvedAt), nullUS(inc.AckedAt), inc.AckedBy, nullID(inc.MergedInto)).Scan(&inc.ID)
		if err != nil {
			return err
		}
		first.IncidentID = inc.ID
		if first.ID, err = db.insertUpdate(ctx, tx, first); err != nil {
			return err
		}
		inc.Updates = []status.IncidentUpdate{first}
		return db.audit(ctx, tx, "incident", inc.ID, "create", actor, inc.CreatedAt, nil, inc)
	})
	if err != nil {
		return status.Incident{}, fmt.Errorf("store: create incident: %w", err)
	}
	return inc, nil
}

func (db *DB) insertUpdate(ctx context.Context, tx *sql.Tx, u status.IncidentUpdate) (int64, error) {
	var id int64
	err := tx.QueryRowContext(ctx, db.q(`INSERT INTO incident_updates (incident_id, status, body, author, human, at_us, components) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id`),
		u.IncidentID, string(u.Status), u.Body, u.Author, u.Human, us(u.At), mustJSON(u.Components)).Scan(&id)
	return id, err
}

// AddUpdate appends an update and moves the incident to its status.
func (db *DB) AddUpdate(ctx context.Context, id int64, u status.IncidentUpdate, actor string) (status.IncidentUpdate, error) {
	if u.At.IsZero() {
		u.At = db.now()
	}
	u.At = u.At.UTC()
	u.IncidentID = id
	if err := u.Validate(); err != nil {
		return status.IncidentUpdate{}, fmt.Errorf("store: add update to incident %d: %w", id, err)
	}
	err := db.write(ctx, "add incident update", func(tx *sql.Tx) error {
		before, err := db.incidentTx(ctx, tx, id)
		if err != nil {
			return err
		}
		if u.ID, err = db.insertUpdate(ctx, tx, u); err != nil {
			return err
		}
		after := before
		after.Status, after.UpdatedAt = u.Status, u.At
		if u.Status == status.Resolved && after.ResolvedAt == nil {
			t := u.At
			after.ResolvedAt = &t
		}
		if u.Status != status.Resolved {
			after.ResolvedAt = nil // reopened
		}
		if _, err := tx.ExecContext(ctx, db.q(`UPDATE incidents SET status = ?, updated_us = ?, resolved_us = ? WHERE id = ?`),
			string(after.Status), us(after.UpdatedAt), nullUS(after.ResolvedAt), id); err != nil {
			return err
		}
		return db.audit(ctx, tx, "incident", id, "update", actor, u.At, before, u)
	})
	if err != nil {
		return status.IncidentUpdate{}, fmt.Errorf("store: add update to incident %d: %w", id, err)
	}
	return u, nil
}

// EditIncident changes the editable fields of an incident.
func (db *DB) EditIncident(ctx context.Context, inc status.Incident, actor string) error {
	err := db.write(ctx, "edit incident", func(tx *sql.Tx) error {
		before, err := db.incidentTx(ctx, tx, inc.ID)
		if err != nil {
			return err
		}
		after := before
		after.Title, after.Impact, after.Components, after.Customers, after.Public, after.MergedInto = inc.Title, inc.Impact, inc.Components, inc.Customers, inc.Public, inc.MergedInto
		after.UpdatedAt = db.now().UTC()
		if err := after.Validate(); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, db.q(`UPDATE incidents SET title = ?, impact = ?, components = ?, customers = ?, public = ?, merged_into = ?, updated_us = ? WHERE id = ?`),
			after.Title, string(after.Impact), mustJSON(after.Components), mustJSON(after.Customers), after.Public, nullID(after.MergedInto), us(after.UpdatedAt), inc.ID); err != nil {
			return err
		}
		before.Updates, after.Updates = nil, nil
		return db.audit(ctx, tx, "incident", inc.ID, "edit", actor, after.UpdatedAt, before, after)
	})
	if err != nil {
		return fmt.Errorf("store: edit incident %d: %w", inc.ID, err)
	}
	return nil
}

var _ status.IncidentSplitter = (*DB)(nil)

// splitRecord is what the audit trail keeps of a split, on both incidents.
type splitRecord struct {
	From       int64           `json:"split_from"`
	Into       int64           `json:"split_into"`
	Components []string        `json:"components,omitempty"`
	Customers  []string        `json:"customers,omitempty"`
	Incident   status.Incident `json:"incident"`
}

// SplitIncident moves components and customers of incident id into a new
// incident (status.IncidentSplit.Apply), in one transaction: the original
// loses them, the new one starts with an update saying where it came from,
// and both get a "split" audit entry naming the other. The new incident's
// first update repeats the latest human-written update of the original, so
// the explanation people gave carries over; without one it is marked as
// drafted.
func (db *DB) SplitIncident(ctx context.Context, id int64, sp status.IncidentSplit, actor string) (kept, split status.Incident, err error) {
	now := db.now().UTC()
	err = db.write(ctx, "split incident", func(tx *sql.Tx) error {
		orig, err := db.incidentTx(ctx, tx, id)
		if err != nil {
			return err
		}
		kept, split, err = sp.Apply(orig, now)
		if err != nil {
			return err
		}
		first := status.IncidentUpdate{Status: split.Status, Author: actor, At: now,
			Body: fmt.Sprintf("Split from incident #%d (%s).", orig.ID, orig.Title)}
		for i := len(orig.Updates) - 1; i >= 0; i-- {
			if u := orig.Updates[i]; u.Human {
				first.Body, first.Author, first.Human = u.Body, u.Author, true
				break
			}
		}
		err = tx.QueryRowContext(ctx, db.q(`INSERT INTO incidents (title, status, impact, automatic, public, components, customers, started_us, created_us, updated_us, resolved_us, acked_us, acked_by, merged_into)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, ?, ?, NULL) RETURNING id`),
			split.Title, string(split.Status), string(split.Impact), split.Automatic, split.Public, mustJSON(split.Components), mustJSON(split.Customers),
			us(split.StartedAt), us(split.CreatedAt), us(split.UpdatedAt), nullUS(orig.AckedAt), orig.AckedBy).Scan(&split.ID)
		if err != nil {
			return err
		}
		// Whoever had taken on the whole had taken on this part too.
		split.AckedAt, split.AckedBy = orig.AckedAt, orig.AckedBy
		first.IncidentID = split.ID
		if first.ID, err = db.insertUpdate(ctx, tx, first); err != nil {
			return err
		}
		split.Updates = []status.IncidentUpdate{first}
		if _, err := tx.ExecContext(ctx, db.q(`UPDATE incidents SET components = ?, customers = ?, updated_us = ? WHERE id = ?`),
			mustJSON(kept.Components), mustJSON(kept.Customers), us(kept.UpdatedAt), id); err != nil {
			return err
		}
		rec := splitRecord{From: id, Into: split.ID, Components: sp.Components, Customers: sp.Customers}
		before, after := orig, kept
		before.Updates, after.Updates = nil, nil
		rec.Incident = after
		if err := db.audit(ctx, tx, "incident", id, "split", actor, now, before, rec); err != nil {
			return err
		}
		rec.Incident = split
		rec.Incident.Updates = nil
		return db.audit(ctx, tx, "incident", split.ID, "split", actor, now, nil, rec)
	})
	if err != nil {
		return status.Incident{}, status.Incident{}, fmt.Errorf("store: split incident %d: %w", id, err)
	}
	return kept, split, nil
}

// AckIncident records the first acknowledgement of an incident.
func (db *DB) AckIncident(ctx context.Context, id int64, by string, at time.Time) error {
	err := db.write(ctx, "acknowledge incident", func(tx *sql.Tx) error {
		before, err := db.incidentTx(ctx, tx, id)
		if err != nil {
			return err
		}
		if before.AckedAt == nil {
			if _, err := tx.ExecContext(ctx, db.q(`UPDATE incidents SET acked_us = ?, acked_by = ? WHERE id = ?`), us(at), by, id); err != nil {
				return err
			}
		}
		return db.audit(ctx, tx, "incident", id, "ack", by, at, nil, map[string]string{"acked_by": by})
	})
	if err != nil {
		return fmt.Errorf("store: acknowledge incident %d: %w", id, err)
	}
	return nil
}

// Incident returns one incident with its updates.
func (db *DB) Incident(ctx context.Context, id int64) (status.Incident, error) {
	incs, err := db.scanIncidents(ctx, db.r, `SELECT `+incidentCols+` FROM incidents WHERE id = ?`, id)
	if err != nil {
		return status.Incident{}, fmt.Errorf("store: incident %d: %w", id, err)
	}
	if len(incs) == 0 {
		return status.Incident{}, safetynet.Errorf(safetynet.ENOTFOUND, "no incident %d", id)
	}
	return incs[0], nil
}

// Incidents lists incidents newest first, each with its updates.
func (db *DB) Incidents(ctx context.Context, f status.IncidentFilter) ([]status.Incident, error) {
	var where []string
	var args []any
	if f.OpenOnly {
		where = append(where, "resolved_us IS NULL")
	}
	if f.PublicOnly {
		where = append(where, "public = ?")
		args = append(args, true)
	}
	if !f.Since.IsZero() {
		where = append(where, "(started_us >= ? OR resolved_us >= ? OR resolved_us IS NULL)")
		args = append(args, us(f.Since), us(f.Since))
	}
	if f.Component != "" {
		// Components are a small JSON list; a LIKE on the quoted ID narrows
		// the rows and Go checks the match exactly below.
		where = append(where, "components LIKE ?")
		args = append(args, `%"`+strings.NewReplacer(`%`, ``, `_`, ``).Replace(f.Component)+`"%`)
	}
	q := `SELECT ` + incidentCols + ` FROM incidents`
	if len(where) > 0 {
		q += " WHERE " + strings.Join(where, " AND ")
	}
	q += " ORDER BY started_us DESC, id DESC"
	if f.Limit > 0 {
		q += fmt.Sprintf(" LIMIT %d OFFSET %d", f.Limit, max(f.Offset, 0))
	}
	incs, err := db.scanIncidents(ctx, db.r, q, args...)
	if err != nil {
		return nil, fmt.Errorf("store: incidents: %w", err)
	}
	if f.Component == "" {
		return incs, nil
	}
	out := incs[:0]
	for _, inc := range incs {
		for _, c := range inc.Components {
			if c.Component == f.Component {
				out = append(out, inc)
				break
			}
		}
	}
	return out, nil
}

type querier interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
}

func (db *DB) incidentTx(ctx context.Context, tx *sql.Tx, id int64) (status.Incident, error) {
	incs, err := db.scanIncidents(ctx, tx, `SELECT `+incidentCols+` FROM incidents WHERE id = ?`, id)
	if err != nil {
		return status.Incident{}, err
	}
	if len(incs) == 0 {
		return status.Incident{}, safetynet.Errorf(safetynet.ENOTFOUND, "no incident %d", id)
	}
	return incs[0], nil
}

func (db *DB) scanIncidents(ctx context.Context, q querier, query string, args ...any) ([]status.Incident, error) {
	rows, err := q.QueryContext(ctx, db.q(query), args...)
	if err != nil {
		return nil, err
	}
	var out []status.Incident
	byID := map[int64]int{}
	for rows.Next() {
		var inc status.Incident
		var st, impact, comps, custs string
		var started, created, updated int64
		var resolved, acked, merged sql.NullInt64
		if err := rows.Scan(&inc.ID, &inc.Title, &st, &impact, &inc.Automatic, &inc.Public, &comps, &custs,
			&started, &created, &updated, &resolved, &acked, &inc.AckedBy, &merged); err != nil {
			rows.Close()
			return nil, err
		}
		inc.Status, inc.Impact = status.IncidentStatus(st), status.Impact(impact)
		inc.StartedAt, inc.CreatedAt, inc.UpdatedAt = fromUS(started), fromUS(created), fromUS(updated)
		inc.ResolvedAt, inc.AckedAt, inc.MergedInto = fromNullUS(resolved), fromNullUS(acked), merged.Int64
		if err := json.Unmarshal([]byte(comps), &inc.Components); err != nil {
			rows.Close()
			return nil, fmt.Errorf("incident %d components: %w", inc.ID, err)
		}
		if err := json.Unmarshal([]byte(custs), &inc.Customers); err != nil {
			rows.Close()
			return nil, fmt.Errorf("incident %d customers: %w", inc.ID, err)
		}
		byID[inc.ID] = len(out)
		out = append(out, inc)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if len(out) == 0 {
		return out, nil
	}
	// One query for the updates of every incident listed.
	ids := make([]any, 0, len(out))
	for _, inc := range out {
		ids = append(ids, inc.ID)
	}
	urows, err := q.QueryContext(ctx, db.q(`SELECT id, incident_id, status, body, author, human, at_us, components FROM incident_updates WHERE incident_id IN (`+inList(len(ids))+`) ORDER BY at_us, id`), ids...)
	if err != nil {
		return nil, err
	}
	defer urows.Close()
	for urows.Next() {
		var u status.IncidentUpdate
		var st, comps string
		var at int64
		if err := urows.Scan(&u.ID, &u.IncidentID, &st, &u.Body, &u.Author, &u.Human, &at, &comps); err != nil {
			return nil, err
		}
		u.Status, u.At = status.IncidentStatus(st), fromUS(at)
		if err := json.Unmarshal([]byte(comps), &u.Components); err != nil {
			return nil, fmt.Errorf("incident update %d components: %w", u.ID, err)
		}
		i := byID[u.IncidentID]
		out[i].Updates = append(out[i].Updates, u)
	}
	return out, urows.Err()
}

func (db *DB) audit(ctx context.Context, tx *sql.Tx, entity string, id int64, action, actor string, at time.Time, before, after any) error {
	b, a := "", ""
	if before != nil {
		b = mustJSON(before)
	}
	if after != nil {
		a = mustJSON(after)
	}
	_, err := tx.ExecContext(ctx, db.q(`INSERT INTO audit (entity, entity_id, action, actor, at_us, before, after) VALUES (?, ?, ?, ?, ?, ?, ?)`),
		entity, id, action, actor, us(at), b, a)
	return err
}

// Audit lists the changes to one object in the order they were made.
func (db *DB) Audit(ctx context.Context, entity string, id int64) ([]status.AuditEntry, error) {
	return scanAudit(db.r.QueryContext(ctx, db.q(`SELECT id, entity, entity_id, action, actor, at_us, before, after FROM audit WHERE entity = ? AND entity_id = ? ORDER BY id`), entity, id))
}

// AuditSince lists the changes to every object of a kind made at or after
// since, oldest first, at most limit of them (0: 1000). Readers that follow
// changes (the action item webhooks) call it with an overlap and drop what
// they have seen by entry ID.
func (db *DB) AuditSince(ctx context.Context, entity string, since time.Time, limit int) ([]status.AuditEntry, error) {
	if limit <= 0 {
		limit = 1000
	}
	return scanAudit(db.r.QueryContext(ctx, db.q(`SELECT id, entity, entity_id, action, actor, at_us, before, after FROM audit WHERE entity = ? AND at_us >= ? ORDER BY at_us, id LIMIT ?`), entity, us(since), limit))
}

func scanAudit(rows *sql.Rows, err error) ([]status.AuditEntry, error) {
	if err != nil {
		return nil, fmt.Errorf("store: audit: %w", err)
	}
	defer rows.Close()
	var out []status.AuditEntry
	for rows.Next() {
		var e status.AuditEntry
		var at int64
		if err := rows.Scan(&e.ID, &e.Entity, &e.EntityID, &e.Action, &e.Actor, &at, &e.Before, &e.After); err != nil {
			return nil, fmt.Errorf("store: audit: %w", err)
		}
		e.At = fromUS(at)
		out = append(out, e)
	}
	return out, rows.Err()
}

// AddReport stores a customer report.
func (db *DB) AddReport(ctx context.Context, r status.CustomerReport) (status.CustomerReport, error) {
	if r.At.IsZero() {
		r.At = db.now()
	}
	r.At = r.At.UTC()
	if err := r.Validate(); err != nil {
		return status.CustomerReport{}, fmt.Errorf("store: add report: %w", err)
	}
	err := db.write(ctx, "add report", func(tx *sql.Tx) error {
		return tx.QueryRowContext(ctx, db.q(`INSERT INTO customer_reports (customer, component, body, at_us) VALUES (?, ?, ?, ?) RETURNING id`),
			r.Customer, r.Component, r.Text, us(r.At)).Scan(&r.ID)
	})
	if err != nil {
		return status.CustomerReport{}, fmt.Errorf("store: add report: %w", err)
	}
	return r, nil
}

// Reports lists reports about a component since a time, oldest first.
func (db *DB) Reports(ctx context.Context, component string, since time.Time) ([]status.CustomerReport, error) {
	rows, err := db.r.QueryContext(ctx, db.q(`SELECT id, customer, component, body, at_us FROM customer_reports WHERE component = ? AND at_us >= ? ORDER BY at_us, id`), component, us(since))
	if err != nil {
		return nil, fmt.Errorf("store: reports: %w", err)
	}
	defer rows.Close()
	var out []status.CustomerReport
	for rows.Next() {
		var r status.CustomerReport
		var at int64
		if err := rows.Scan(&r.ID, &r.Customer, &r.Component, &r.Text, &at); err != nil {
			return nil, fmt.Errorf("store: reports: %w", err)
		}
		r.At = fromUS(at)
		out = append(out, r)
	}
	return out, rows.Err()
}

// SaveKnownIssue creates a known issue (ID 0) or replaces one.
func (db *DB) SaveKnownIssue(ctx context.Context, k status.KnownIssue) (status.KnownIssue, error) {
	if strings.TrimSpace(k.Title) == "" {
		return status.KnownIssue{}, fmt.Errorf("store: save known issue: %w", safetynet.Errorf(safetynet.EINVALID, "a known issue needs a title"))
	}
	if k.CreatedAt.IsZero() {
		k.CreatedAt = db.now()
	}
	k.CreatedAt = k.CreatedAt.UTC()
	err := db.write(ctx, "save known issue", func(tx *sql.Tx) error {
		if k.ID == 0 {
			return tx.QueryRowContext(ctx, db.q(`INSERT INTO known_issues (title, description, workaround, severity, components, public, fixed_in, introduced_in, created_us, resolved_us)
				VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`),
				k.Title, k.Description, k.Workaround, string(k.Severity), mustJSON(k.Components), k.Public, k.FixedIn, k.IntroducedIn, us(k.CreatedAt), nullUS(k.ResolvedAt)).Scan(&k.ID)
		}
		res, err := tx.ExecContext(ctx, db.q(`UPDATE known_issues SET title = ?, description = ?, workaround = ?, severity = ?, components = ?, public = ?, fixed_in = ?, introduced_in = ?, resolved_us = ? WHERE id = ?`),
			k.Title, k.Description, k.Workaround, string(k.Severity), mustJSON(k.Components), k.Public, k.FixedIn, k.IntroducedIn, nullUS(k.ResolvedAt), k.ID)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return safetynet.Errorf(safetynet.ENOTFOUND, "no known issue %d", k.ID)
		}
		return nil
	})
	if err != nil {
		return status.KnownIssue{}, fmt.Errorf("store: save known issue: %w", err)
	}
	return k, nil
}

// KnownIssues lists known issues, newest first.
func (db *DB) KnownIssues(ctx context.Context, includeResolved bool) ([]status.KnownIssue, error) {
	q := `SELECT id, title, description, workaround, severity, components, public, fixed_in, introduced_in, created_us, resolved_us FROM known_issues`
	if !includeResolved {
		q += ` WHERE resolved_us IS NULL`
	}
	rows, err := db.r.QueryContext(ctx, db.q(q+` ORDER BY created_us DESC, id DESC`))
	if err != nil {
		return nil, fmt.Errorf("store: known issues: %w", err)
	}
	defer rows.Close()
	var out []status.KnownIssue
	for rows.Next() {
		var k status.KnownIssue
		var sev, comps string
		var created int64
		var resolved sql.NullInt64
		if err := rows.Scan(&k.ID, &k.Title, &k.Description, &k.Workaround, &sev, &comps, &k.Public, &k.FixedIn, &k.IntroducedIn, &created, &resolved); err != nil {
			return nil, fmt.Errorf("store: known issues: %w", err)
		}
		k.Severity, k.CreatedAt, k.ResolvedAt = status.Impact(sev), fromUS(created), fromNullUS(resolved)
		if err := json.Unmarshal([]byte(comps), &k.Components); err != nil {
			return nil, fmt.Errorf("store: known issue %d: %w", k.ID, err)
		}
		out = append(out, k)
	}
	return out, rows.Err()
}

func mustJSON(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		// Only domain structs of strings, numbers and times are passed.
		panic(fmt.Sprintf("store: marshal %T: %v", v, err))
	}
	if string(b) == "null" {
		return "[]"
	}
	return string(b)
}

func nullID(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}
