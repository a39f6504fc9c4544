package store

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
)

// changesChannel is the NOTIFY channel of migration 0008's triggers.
const changesChannel = "safetynet_changes"

// listenerName is the application_name of the listening connection.
const listenerName = "safetynet changes"

// ChangeNotice says that data the public page shows was written, by this server
// or another one on the same database.
type ChangeNotice struct {
	// Tables are the tables written since the last notice was received,
	// sorted. Empty when the listener (re)connected: notices sent while it
	// was away are lost, so anything may have changed.
	Tables []string
}

// WatchOptions tune WatchChanges; the zero value is right for serving.
type WatchOptions struct {
	// Coalesce is how long a notice waits for others before it is passed
	// on, so that a burst of writes (an incident with its updates and
	// component statuses) costs one cache rebuild (default 50ms).
	Coalesce time.Duration
	// Probe is how long the connection may stay silent before a ping checks
	// that it still works; a half-open TCP connection would otherwise hide
	// notices for ever (default 30s).
	Probe time.Duration
	// MaxBackoff caps the wait between reconnection attempts, which starts
	// at 100ms and doubles (default 10s).
	MaxBackoff time.Duration
}

// WatchChanges tells, until ctx ends, when data the public page shows changes.
// On PostgreSQL it listens with a dedicated connection outside the pool
// (LISTEN needs one session, which a pool does not guarantee), reconnects
// with backoff when it breaks and reports each reconnection as a notice,
// since notices are not queued for an absent listener. A slow reader
// misses nothing: changes wait, merged, in the channel's one slot.
//
// On SQLite one server owns the database and sees its own writes, so the
// channel only closes when ctx ends.
func (db *DB) WatchChanges(ctx context.Context, opts WatchOptions) <-chan ChangeNotice {
	if opts.Coalesce <= 0 {
		opts.Coalesce = 50 * time.Millisecond
	}
	if opts.Probe <= 0 {
		opts.Probe = 30 * time.Second
	}
	if opts.MaxBackoff <= 0 {
		opts.MaxBackoff = 10 * time.Second
	}
	out := make(chan ChangeNotice, 1)
	if db.dsn == "" {
		go func() {
			<-ctx.Done()
			close(out)
		}()
		return out
	}
	notes := make(chan ChangeNotice, 64)
	go db.listen(ctx, opts, notes)
	go coalesce(ctx, opts.Coalesce, notes, out)
	return out
}

// listen keeps a LISTEN connection open and sends what it hears to notes.
func (db *DB) listen(ctx context.Context, opts WatchOptions, notes chan<- ChangeNotice) {
	defer close(notes)
	backoff := 100 * time.Millisecond
	for ctx.Err() == nil {
		conn, schema, err := db.listenConn(ctx)
		if err != nil {
			if ctx.Err() == nil {
				db.log.Warn("store: change notices: connect; retrying", "in", backoff, "err", err)
			}
			select {
			case <-time.After(backoff):
			case <-ctx.Done():
			}
			backoff = min(2*backoff, opts.MaxBackoff)
			continue
		}
		backoff = 100 * time.Millisecond
		// Whatever happened while nobody listened is unknown.
		if !pass(ctx, notes, ChangeNotice{}) {
			conn.Close(context.WithoutCancel(ctx))
			return
		}
		err = db.wait(ctx, conn, schema, opts.Probe, notes)
		closeCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), time.Second)
		conn.Close(closeCtx)
		cancel()
		if ctx.Err() == nil {
			db.log.Warn("store: change notices: connection lost; reconnecting", "err", err)
		}
	}
}

// listenConn connects and listens; it returns the schema whose notices
// are this database's (the channel is shared by the whole database).
func (db *DB) listenConn(ctx context.Context) (*pgx.Conn, string, error) {
	cctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	cfg, err := pgx.ParseConfig(db.dsn)
	if err != nil {
		return nil, "", err
	}
	// Named, so an operator can tell it in pg_stat_activity.
	cfg.RuntimeParams["application_name"] = listenerName
	conn, err := pgx.ConnectConfig(cctx, cfg)
	if err != nil {
		return nil, "", err
	}
	var schema string
	if err := conn.QueryRow(cctx, "SELECT current_schema()").Scan(&schema); err != nil {
		conn.Close(context.WithoutCancel(ctx))
		return nil, "", fmt.Errorf("current schema: %w", err)
	}
	if _, err := conn.Exec(cctx, "LISTEN "+changesChannel); err != nil {
		conn.Close(context.WithoutCancel(ctx))
		return nil, "", fmt.Errorf("listen: %w", err)
	}
	return conn, schema, nil
}

// wait passes notices on until the connection fails or ctx ends.
func (db *DB) wait(ctx context.Context, conn *pgx.Conn, schema string, probe time.Duration, notes chan<- ChangeNotice) error {
	for {
		wctx, cancel := context.WithTimeout(ctx, probe)
		n, err := conn.WaitForNotification(wctx)
		cancel()
		switch {
		case ctx.Err() != nil:
			return ctx.Err()
		case err == nil:
			table, ok := strings.CutPrefix(n.Payload, schema+".")
			if !ok {
				continue // another schema's server
			}
			if !pass(ctx, notes, ChangeNotice{Tables: []string{table}}) {
				return ctx.Err()
			}
		case wctx.Err() != nil && !conn.IsClosed():
			// Silence: make sure the connection is still there.
			pctx, cancel := context.WithTimeout(ctx, 5*time.Second)
			err = conn.Ping(pctx)
			cancel()
			if err != nil {
				return fmt.Errorf("ping: %w", err)
			}
		default:
			return err
		}
	}
}

// pass sends c unless ctx ends first.
func pass(ctx context.Context, notes chan<- ChangeNotice, c ChangeNotice) bool {
	select {
	case notes <- c:
		return true
	case <-ctx.Done():
		return false
	}
}

// coalesce merges the notices that arrive within d of the first one and
// keeps merging while the reader is slow, so out never blocks the
// listener and a reader sees every table written.
func coalesce(ctx context.Context, d time.Duration, notes <-chan ChangeNotice, out chan<- ChangeNotice) {
	defer close(out)
	var (
		pending *ChangeNotice
		timer   <-chan time.Time
		send    chan<- ChangeNotice
	)
	merge := func(c ChangeNotice) {
		if pending == nil {
			pending = &ChangeNotice{Tables: c.Tables}
			timer = time.After(d)
			return
		}
		if len(pending.Tables) == 0 || len(c.Tables) == 0 {
			pending.Tables = nil // a reconnection: everything
			return
		}
		for _, t := range c.Tables {
			if !slices.Contains(pending.Tables, t) {
				pending.Tables = append(pending.Tables, t)
			}
		}
	}
	for {
		var next ChangeNotice
		if pending != nil {
			next = *pending
			slices.Sort(next.Tables)
		}
		select {
		case c, ok := <-notes:
			if !ok {
				return
			}
			merge(c)
		case <-timer:
			timer, send = nil, out
		case send <- next:
			pending, send = nil, nil
		case <-ctx.Done():
			return
		}
	}
}
