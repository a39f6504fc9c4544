package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/safetynet-dev/safetynet"
	"github.com/safetynet-dev/safetynet/status"
)

var _ status.TokenStore = (*DB)(nil)

const tokenCols = `id, name, hash, scopes, created_us, last_used_us, revoked_us`

// CreateToken stores a token. The partial unique index api_tokens_active_name
// keeps one active token per name, also against concurrent creators.
func (db *DB) CreateToken(ctx context.Context, t status.Token) (status.Token, error) {
	if err := t.Validate(); err != nil {
		return status.Token{}, fmt.Errorf("store: create token: %w", err)
	}
	if t.CreatedAt.IsZero() {
		t.CreatedAt = db.now()
	}
	t.CreatedAt = t.CreatedAt.UTC()
	t.LastUsedAt, t.RevokedAt = nil, nil
	err := db.write(ctx, "create token "+strconv.Quote(t.Name), func(tx *sql.Tx) error {
		return tx.QueryRowContext(ctx, db.q(`INSERT INTO api_tokens (name, hash, scopes, created_us)
			VALUES (?, ?, ?, ?)
			ON CONFLICT (name) WHERE revoked_us IS NULL DO NOTHING
			RETURNING id`),
			t.Name, t.Hash, mustJSON(t.Scopes), us(t.CreatedAt)).Scan(&t.ID)
	})
	if errors.Is(err, sql.ErrNoRows) {
		return status.Token{}, fmt.Errorf("store: create token: %w",
			safetynet.Errorf(safetynet.ECONFLICT, "an active token named %q exists: revoke it first or choose another name", t.Name))
	}
	if err != nil {
		return status.Token{}, err // db.write names the store and the step
	}
	return t, nil
}

// TokenByHash returns the token whose secret has this digest.
func (db *DB) TokenByHash(ctx context.Context, hash string) (status.Token, error) {
	ts, err := db.scanTokens(ctx, `SELECT `+tokenCols+` FROM api_tokens WHERE hash = ?`, hash)
	if err != nil {
		return status.Token{}, fmt.Errorf("store: token by hash: %w", err)
	}
	if len(ts) == 0 {
		// The digest is not named: it is as good as a secret to the logs.
		return status.Token{}, safetynet.Errorf(safetynet.ENOTFOUND, "no such token")
	}
	return ts[0], nil
}

// ListTokens lists every token, oldest first.
func (db *DB) ListTokens(ctx context.Context) ([]status.Token, error) {
	ts, err := db.scanTokens(ctx, `SELECT `+tokenCols+` FROM api_tokens ORDER BY created_us, id`)
	if err != nil {
		return nil, fmt.Errorf("store: list tokens: %w", err)
	}
	return ts, nil
}

// RevokeToken revokes the active token of this name. Errors come wrapped
// once, by db.write, with the store and the step.
func (db *DB) RevokeToken(ctx context.Context, name string, at time.Time) error {
	return db.write(ctx, "revoke token "+strconv.Quote(name), func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, db.q(`UPDATE api_tokens SET revoked_us = ? WHERE name = ? AND revoked_us IS NULL`), us(at), name)
		if err != nil {
			return err
		}
		n, err := res.RowsAffected()
		if err != nil {
			return err
		}
		if n == 0 {
			return safetynet.Errorf(safetynet.ENOTFOUND, "no active token named %q", name)
		}
		return nil
	})
}

// TouchToken moves the token's last use forward to at.
func (db *DB) TouchToken(ctx context.Context, id int64, at time.Time) error {
	return db.write(ctx, "touch token "+strconv.FormatInt(id, 10), func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, db.q(`UPDATE api_tokens SET last_used_us = ? WHERE id = ? AND (last_used_us IS NULL OR last_used_us < ?)`),
			us(at), id, us(at))
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil || n > 0 {
			return err
		}
		var one int
		err = tx.QueryRowContext(ctx, db.q(`SELECT 1 FROM api_tokens WHERE id = ?`), id).Scan(&one)
		if errors.Is(err, sql.ErrNoRows) {
			return safetynet.Errorf(safetynet.ENOTFOUND, "no token %d", id)
		}
		return err
	})
}

func (db *DB) scanTokens(ctx context.Context, query string, args ...any) ([]status.Token, error) {
	rows, err := db.r.QueryContext(ctx, db.q(query), args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []status.Token
	for rows.Next() {
		var t status.Token
		var scopes string
		var created int64
		var used, revoked sql.NullInt64
		if err := rows.Scan(&t.ID, &t.Name, &t.Hash, &scopes, &created, &used, &revoked); err != nil {
			return nil, err
		}
		if err := json.Unmarshal([]byte(scopes), &t.Scopes); err != nil {
			return nil, fmt.Errorf("token %d scopes: %w", t.ID, err)
		}
		t.CreatedAt, t.LastUsedAt, t.RevokedAt = fromUS(created), fromNullUS(used), fromNullUS(revoked)
		out = append(out, t)
	}
	return out, rows.Err()
}
