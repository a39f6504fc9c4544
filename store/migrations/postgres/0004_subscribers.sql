-- Subscribers to incident and maintenance notices (the status page issue).
-- Tokens and webhook secrets are never stored: they are derived from the
-- key below and each row's nonce; only the digests used for lookups are kept.
CREATE TABLE subscribers (
	id               BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	kind             TEXT NOT NULL,
	address          TEXT NOT NULL,
	components       TEXT NOT NULL DEFAULT '[]', -- JSON [component id]; empty = all
	confirmed        BOOLEAN NOT NULL DEFAULT FALSE,
	confirmed_us     BIGINT,
	created_us       BIGINT NOT NULL,
	nonce            TEXT NOT NULL,
	confirm_hash     TEXT,
	unsubscribe_hash TEXT NOT NULL
);
CREATE UNIQUE INDEX subscribers_address ON subscribers (kind, address);
CREATE UNIQUE INDEX subscribers_confirm ON subscribers (confirm_hash);
CREATE UNIQUE INDEX subscribers_unsubscribe ON subscribers (unsubscribe_hash);

-- The server's subscriber key: one row, made on first use.
CREATE TABLE subscriber_key (
	id  INTEGER PRIMARY KEY CHECK (id = 1),
	key TEXT NOT NULL -- hex
);
