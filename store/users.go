package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"time"

	"github.com/safetynet-dev/safetynet"
	"github.com/safetynet-dev/safetynet/status"
)

var _ status.UserStore = (*DB)(nil)

var sessionHashRE = regexp.MustCompile(`^[0-9a-f]{64}$`)

const userCols = `id, name, password_hash, created_us, disabled_us`

// CreateUser stores a user; the unique name column refuses a second user of
// one name, also against concurrent creators.
func (db *DB) CreateUser(ctx context.Context, u status.User) (status.User, error) {
	if err := u.Validate(); err != nil {
		return status.User{}, fmt.Errorf("store: create user: %w", err)
	}
	if u.CreatedAt.IsZero() {
		u.CreatedAt = db.now()
	}
	u.CreatedAt = u.CreatedAt.UTC()
	u.DisabledAt = nil
	err := db.write(ctx, "create user "+strconv.Quote(u.Name), func(tx *sql.Tx) error {
		return tx.QueryRowContext(ctx, db.q(`INSERT INTO users (name, password_hash, created_us)
			VALUES (?, ?, ?)
			ON CONFLICT (name) DO NOTHING
			RETURNING id`),
			u.Name, u.PasswordHash, us(u.CreatedAt)).Scan(&u.ID)
	})
	if errors.Is(err, sql.ErrNoRows) {
		return status.User{}, fmt.Errorf("store: create user: %w",
			safetynet.Errorf(safetynet.ECONFLICT, "a user named %q exists", u.Name))
	}
	if err != nil {
		return status.User{}, err
	}
	return u, nil
}

// UserByName returns the user of this name.
func (db *DB) UserByName(ctx context.Context, name string) (status.User, error) {
	us, err := db.scanUsers(ctx, `SELECT `+userCols+` FROM users WHERE name = ?`, name)
	if err != nil {
		return status.User{}, fmt.Errorf("store: user by name: %w", err)
	}
	if len(us) == 0 {
		return status.User{}, safetynet.Errorf(safetynet.ENOTFOUND, "no user %q", name)
	}
	return us[0], nil
}

// ListUsers lists every user, oldest first.
func (db *DB) ListUsers(ctx context.Context) ([]status.User, error) {
	us, err := db.scanUsers(ctx, `SELECT `+userCols+` FROM users ORDER BY created_us, id`)
	if err != nil {
		return nil, fmt.Errorf("store: list users: %w", err)
	}
	return us, nil
}

// DisableUser disables the active user of this name and deletes its
// sessions in the same transaction.
func (db *DB) DisableUser(ctx context.Context, name string, at time.Time) error {
	return db.write(ctx, "disable user "+strconv.Quote(name), func(tx *sql.Tx) error {
		var id int64
		err := tx.QueryRowContext(ctx, db.q(`UPDATE users SET disabled_us = ? WHERE name = ? AND disabled_us IS NULL RETURNING id`),
			us(at), name).Scan(&id)
		if errors.Is(err, sql.ErrNoRows) {
			return safetynet.Errorf(safetynet.ENOTFOUND, "no active user named %q", name)
		}
		if err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, db.q(`DELETE FROM user_sessions WHERE user_id = ?`), id)
		return err
	})
}

// CreateSession stores a session for an active user.
func (db *DB) CreateSession(ctx context.Context, s status.Session) (status.Session, error) {
	if !sessionHashRE.MatchString(s.Hash) {
		return status.Session{}, fmt.Errorf("store: create session: %w",
			safetynet.Errorf(safetynet.EINVALID, "the session hash must be a lowercase SHA-256 hex digest"))
	}
	if s.CreatedAt.IsZero() {
		s.CreatedAt = db.now()
	}
	s.CreatedAt, s.ExpiresAt = s.CreatedAt.UTC(), s.ExpiresAt.UTC()
	if !s.ExpiresAt.After(s.CreatedAt) {
		return status.Session{}, fmt.Errorf("store: create session: %w",
			safetynet.Errorf(safetynet.EINVALID, "a session must expire after it is created"))
	}
	err := db.write(ctx, "create session for user "+strconv.FormatInt(s.UserID, 10), func(tx *sql.Tx) error {
		var one int
		err := tx.QueryRowContext(ctx, db.q(`SELECT 1 FROM users WHERE id = ? AND disabled_us IS NULL`), s.UserID).Scan(&one)
		if errors.Is(err, sql.ErrNoRows) {
			return safetynet.Errorf(safetynet.ENOTFOUND, "no active user %d", s.UserID)
		}
		if err != nil {
			return err
		}
		return tx.QueryRowContext(ctx, db.q(`INSERT INTO user_sessions (user_id, hash, created_us, expires_us)
			VALUES (?, ?, ?, ?) RETURNING id`), s.UserID, s.Hash, us(s.CreatedAt), us(s.ExpiresAt)).Scan(&s.ID)
	})
	if err != nil {
		return status.Session{}, err
	}
	return s, nil
}

// SessionByHash returns a live session and its active user.
func (db *DB) SessionByHash(ctx context.Context, hash string, now time.Time) (status.Session, status.User, error) {
	var s status.Session
	var u status.User
	var created, expires, ucreated int64
	var disabled sql.NullInt64
	err := db.r.QueryRowContext(ctx, db.q(`SELECT s.id, s.user_id, s.hash, s.created_us, s.expires_us,
			u.id, u.name, u.password_hash, u.created_us, u.disabled_us
		FROM user_sessions s JOIN users u ON u.id = s.user_id
		WHERE s.hash = ?`), hash).Scan(&s.ID, &s.UserID, &s.Hash, &created, &expires,
		&u.ID, &u.Name, &u.PasswordHash, &ucreated, &disabled)
	if errors.Is(err, sql.ErrNoRows) {
		// The digest is not named: it is as good as a secret to the logs.
		return status.Session{}, status.User{}, safetynet.Errorf(safetynet.ENOTFOUND, "no such session")
	}
	if err != nil {
		return status.Session{}, status.User{}, fmt.Errorf("store: session by hash: %w", err)
	}
	s.CreatedAt, s.ExpiresAt = fromUS(created), fromUS(expires)
	u.CreatedAt, u.DisabledAt = fromUS(ucreated), fromNullUS(disabled)
	if !now.Before(s.ExpiresAt) {
		return status.Session{}, status.User{}, safetynet.Errorf(safetynet.ENOTFOUND, "session expired")
	}
	if !u.Active() {
		return status.Session{}, status.User{}, safetynet.Errorf(safetynet.ENOTFOUND, "no such session: user disabled")
	}
	return s, u, nil
}

// DeleteSession deletes the session with this digest and every expired one.
func (db *DB) DeleteSession(ctx context.Context, hash string, now time.Time) error {
	return db.write(ctx, "delete session", func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, db.q(`DELETE FROM user_sessions WHERE hash = ? OR expires_us <= ?`), hash, us(now))
		return err
	})
}

// DeleteExpiredSessions deletes every session that has expired by now and
// returns how many went. The server calls it periodically, so the sessions
// of people who never log out do not pile up between logins.
func (db *DB) DeleteExpiredSessions(ctx context.Context, now time.Time) (int64, error) {
	var n int64
	err := db.write(ctx, "delete expired sessions", func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, db.q(`DELETE FROM user_sessions WHERE expires_us <= ?`), us(now))
		if err != nil {
			return err
		}
		n, err = res.RowsAffected()
		return err
	})
	if err != nil {
		return 0, err
	}
	return n, nil
}

func (db *DB) scanUsers(ctx context.Context, query string, args ...any) ([]status.User, error) {
	rows, err := db.r.QueryContext(ctx, db.q(query), args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []status.User
	for rows.Next() {
		var u status.User
		var created int64
		var disabled sql.NullInt64
		if err := rows.Scan(&u.ID, &u.Name, &u.PasswordHash, &created, &disabled); err != nil {
			return nil, err
		}
		u.CreatedAt, u.DisabledAt = fromUS(created), fromNullUS(disabled)
		out = append(out, u)
	}
	return out, rows.Err()
}
