package main

import (
	"context"
	"fmt"
	"log/slog"
	"time"
)

// taskLeaser hands out leases on whole-system tasks (store.DB.TryLease).
type taskLeaser interface {
	TryLease(ctx context.Context, name, holder string, ttl time.Duration) (bool, error)
	ReleaseLease(ctx context.Context, name, holder string) error
}

// taskLeaseTTL is the lease of a task run every period: three periods, so
// that a holder missing a renewal or two (a slow database) keeps it, and
// another server takes over at most three periods (plus its own period)
// after the holder died.
func taskLeaseTTL(period time.Duration) time.Duration { return 3 * period }

// leased returns f made to run only while holder has the lease on the
// task name: a run takes or renews the lease first and is skipped when
// another server holds it, so of several servers on one database exactly
// one runs the task at a time. While f runs the lease is renewed every
// third of ttl, so a run longer than ttl keeps it; if it is lost all the
// same (this server stalled past ttl and another took over), f's context
// is cancelled, so that two servers never carry on the same task. When
// the store cannot say who holds the lease, f does not run: a run late is
// better than a run twice (two automatic incidents for one outage).
//
// The returned function is for one loop (every): it is not safe for
// concurrent use.
func leased(l taskLeaser, name, holder string, ttl time.Duration, f func(context.Context) error, log *slog.Logger) func(context.Context) error {
	held := false
	return func(ctx context.Context) error {
		ok, err := l.TryLease(ctx, name, holder, ttl)
		if err != nil {
			return fmt.Errorf("lease of task %s: %w", name, err)
		}
		if ok != held {
			held = ok
			if ok {
				log.Info("this server runs the task now", "task", name)
			} else {
				log.Info("another server runs the task now", "task", name)
			}
		}
		if !ok {
			return nil
		}
		runCtx, cancel := context.WithCancel(ctx)
		defer cancel()
		stop, renewed := make(chan struct{}), make(chan struct{})
		go func() {
			defer close(renewed)
			if !keepLease(runCtx, stop, l, name, holder, ttl, log) {
				held = false
				cancel()
			}
		}()
		err = f(runCtx)
		close(stop)
		<-renewed
		return err
	}
}

// keepLease renews holder's lease on name every third of ttl until stop
// is closed. It returns false once the lease is lost or could not be
// renewed before it ran out.
func keepLease(ctx context.Context, stop <-chan struct{}, l taskLeaser, name, holder string, ttl time.Duration, log *slog.Logger) bool {
	t := time.NewTicker(max(ttl/3, time.Millisecond))
	defer t.Stop()
	until := time.Now().Add(ttl) // a bound: the lease was taken just before
	for {
		select {
		case <-stop:
			return true
		case <-ctx.Done():
			return true
		case <-t.C:
		}
		asked := time.Now()
		ok, err := l.TryLease(ctx, name, holder, ttl)
		switch {
		case err == nil && ok:
			until = asked.Add(ttl)
		case err == nil:
			log.Warn("task lease taken over by another server during a run; stopping the run", "task", name)
			return false
		case time.Now().After(until):
			log.Warn("task lease could not be renewed before it ran out; stopping the run", "task", name, "err", err)
			return false
		}
	}
}
