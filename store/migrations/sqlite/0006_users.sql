-- Users of the admin web UI (`safetynet user create`) and their sessions.
-- Passwords are kept as bcrypt hashes; sessions as the SHA-256 digest of
-- the cookie's secret. This migration stands alone.
CREATE TABLE users (
	id            INTEGER PRIMARY KEY AUTOINCREMENT,
	name          TEXT NOT NULL UNIQUE,
	password_hash TEXT NOT NULL, -- bcrypt
	created_us    INTEGER NOT NULL,
	disabled_us   INTEGER
);
CREATE TABLE user_sessions (
	id         INTEGER PRIMARY KEY AUTOINCREMENT,
	user_id    INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	hash       TEXT NOT NULL UNIQUE, -- hex SHA-256 of the cookie's secret
	created_us INTEGER NOT NULL,
	expires_us INTEGER NOT NULL
);
CREATE INDEX user_sessions_expires ON user_sessions (expires_us);
