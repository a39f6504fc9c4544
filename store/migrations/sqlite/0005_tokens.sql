-- API tokens of the admin API (`safetynet token create`). Only the SHA-256
-- digest of each secret is kept. This migration stands alone: it needs no
-- table of 0003 or 0004, so it applies whether or not those exist yet.
CREATE TABLE api_tokens (
	id           INTEGER PRIMARY KEY AUTOINCREMENT,
	name         TEXT NOT NULL,
	hash         TEXT NOT NULL UNIQUE, -- hex SHA-256 of the secret
	scopes       TEXT NOT NULL DEFAULT '[]', -- JSON [string]
	created_us   INTEGER NOT NULL,
	last_used_us INTEGER,
	revoked_us   INTEGER
);
-- One active token per name; a revoked token's name may be reused.
CREATE UNIQUE INDEX api_tokens_active_name ON api_tokens (name) WHERE revoked_us IS NULL;
