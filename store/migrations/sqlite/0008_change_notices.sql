-- PostgreSQL's 0008 adds NOTIFY triggers so several servers drop their
-- cached pages when the data changes. A SQLite database has one server,
-- which sees its own writes: nothing to add. The ledger entry keeps both
-- dialects at the same schema version.
SELECT 1;
