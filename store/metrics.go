package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"maps"
	"sort"
	"sync"

	"github.com/safetynet-dev/safetynet/status"
)

// seriesCache maps series keys to their IDs. Series are never deleted, so
// an ID once committed stays right; IDs are cached only after commit.
type seriesCache struct {
	mu  sync.RWMutex
	ids map[string]int64
}

func (c *seriesCache) get(key string) (int64, bool) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	id, ok := c.ids[key]
	return id, ok
}

func (c *seriesCache) put(m map[string]int64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.ids == nil {
		c.ids = map[string]int64{}
	}
	for k, v := range m {
		c.ids[k] = v
	}
}

// SaveSamples stores metric samples. A sample of a series at a time already
// stored replaces the stored value.
func (db *DB) SaveSamples(ctx context.Context, ss []status.Sample) error {
	if len(ss) == 0 {
		return nil
	}
	type point struct {
		key string
		at  int64
	}
	// The last sample of a series at one time wins; a multi-row upsert may
	// not touch one row twice.
	last := map[point]int{}
	keys := make([]string, len(ss))
	for i := range ss {
		if err := ss[i].Validate(); err != nil {
			return fmt.Errorf("store: save samples: %w", err)
		}
		keys[i] = ss[i].SeriesKey()
		last[point{keys[i], us(ss[i].At)}] = i
	}
	ids := map[string]int64{}
	var missing []string
	seen := map[string]bool{}
	for _, k := range keys {
		if seen[k] {
			continue
		}
		seen[k] = true
		if id, ok := db.series.get(k); ok {
			ids[k] = id
		} else {
			missing = append(missing, k)
		}
	}
	sort.Strings(missing)
	byKey := map[string]*status.Sample{}
	for i := range ss {
		byKey[keys[i]] = &ss[i]
	}
	created := map[string]int64{}
	err := db.write(ctx, "save samples", func(tx *sql.Tx) error {
		if len(missing) > 0 {
			args := make([]any, 0, len(missing)*3)
			for _, k := range missing {
				s := byKey[k]
				tags, err := json.Marshal(s.Tags)
				if err != nil {
					return err
				}
				if s.Tags == nil {
					tags = []byte("{}")
				}
				args = append(args, k, s.Name, string(tags))
			}
			if _, err := db.execRows(ctx, tx, bulkSeries, args); err != nil {
				return err
			}
			for _, c := range db.d.chunks(len(missing), 1) {
				part := make([]any, 0, c[1]-c[0])
				for _, k := range missing[c[0]:c[1]] {
					part = append(part, k)
				}
				rows, err := tx.QueryContext(ctx, db.q(`SELECT key, id FROM series WHERE key IN (`+inList(len(part))+`)`), part...)
				if err != nil {
					return err
				}
				for rows.Next() {
					var k string
					var id int64
					if err := rows.Scan(&k, &id); err != nil {
						rows.Close()
						return err
					}
					created[k] = id
				}
				rows.Close()
				if err := rows.Err(); err != nil {
					return err
				}
			}
		}
		pts := make([]point, 0, len(last))
		for p := range last {
			pts = append(pts, p)
		}
		sort.Slice(pts, func(i, j int) bool {
			if pts[i].key != pts[j].key {
				return pts[i].key < pts[j].key
			}
			return pts[i].at < pts[j].at
		})
		args := make([]any, 0, len(pts)*3)
		for _, p := range pts {
			id, ok := ids[p.key]
			if !ok {
				if id, ok = created[p.key]; !ok {
					return fmt.Errorf("series %s was not created", p.key)
				}
			}
			args = append(args, id, p.at, ss[last[p]].Value)
		}
		_, err := db.execRows(ctx, tx, bulkSamples, args)
		return err
	})
	if err != nil {
		return err
	}
	db.series.put(created)
	return nil
}

// Samples lists the samples of the series named f.Name whose tags include
// every tag of f.Tags, in [Since, Until) (a zero bound is open), oldest
// first. With a Limit it lists the newest Limit of them, still oldest
// first.
//
// Series are found by name and their tags matched here rather than in SQL:
// a metric has few series, and the samples are then read by the
// (series_id, at_us) primary key.
func (db *DB) Samples(ctx context.Context, f status.SampleFilter) ([]status.Sample, error) {
	rows, err := db.r.QueryContext(ctx, db.q(`SELECT id, tags FROM series WHERE name = ?`), f.Name)
	if err != nil {
		return nil, fmt.Errorf("store: samples: %w", err)
	}
	tagsOf := map[int64]map[string]string{}
	var ids []any
	for rows.Next() {
		var id int64
		var raw string
		if err := rows.Scan(&id, &raw); err != nil {
			rows.Close()
			return nil, fmt.Errorf("store: samples: %w", err)
		}
		var tags map[string]string
		if err := json.Unmarshal([]byte(raw), &tags); err != nil {
			rows.Close()
			return nil, fmt.Errorf("store: series %d tags: %w", id, err)
		}
		if !matchTags(tags, f.Tags) {
			continue
		}
		if len(tags) == 0 {
			tags = nil
		}
		tagsOf[id] = tags
		ids = append(ids, id)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: samples: %w", err)
	}
	if len(ids) == 0 {
		return nil, nil
	}
	q := `SELECT series_id, at_us, value FROM samples WHERE series_id IN (` + inList(len(ids)) + `)`
	args := ids
	if !f.Since.IsZero() {
		q += ` AND at_us >= ?`
		args = append(args, us(f.Since))
	}
	if !f.Until.IsZero() {
		q += ` AND at_us < ?`
		args = append(args, us(f.Until))
	}
	if f.Limit > 0 {
		q = `SELECT * FROM (` + q + ` ORDER BY at_us DESC, series_id DESC LIMIT ?) t`
		args = append(args, f.Limit)
	}
	q += ` ORDER BY at_us, series_id`
	rows, err = db.r.QueryContext(ctx, db.q(q), args...)
	if err != nil {
		return nil, fmt.Errorf("store: samples: %w", err)
	}
	defer rows.Close()
	var out []status.Sample
	for rows.Next() {
		var id, at int64
		var v float64
		if err := rows.Scan(&id, &at, &v); err != nil {
			return nil, fmt.Errorf("store: samples: %w", err)
		}
		out = append(out, status.Sample{Name: f.Name, Value: v, At: fromUS(at), Tags: maps.Clone(tagsOf[id])})
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: samples: %w", err)
	}
	return out, nil
}

func matchTags(have, want map[string]string) bool {
	for k, v := range want {
		if hv, ok := have[k]; !ok || hv != v {
			return false
		}
	}
	return true
}
