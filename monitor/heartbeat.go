package monitor

import (
	"context"
	"crypto/subtle"
	"fmt"
	"time"

	"github.com/safetynet-dev/safetynet"
	"github.com/safetynet-dev/safetynet/status"
)

// Heartbeat records a call of a job to its heartbeat URL. The token names
// the check; an unknown token is a safetynet.Error with code ENOTFOUND. A
// heartbeat check that was down comes back at once rather than at its next
// evaluation.
func (m *Monitor) Heartbeat(ctx context.Context, token string, at time.Time) error {
	r := m.heartbeatCheck(token)
	if r == nil {
		return safetynet.Errorf(safetynet.ENOTFOUND, "no heartbeat check has this token")
	}
	if err := m.store.Beat(ctx, r.check.ID, at); err != nil {
		return fmt.Errorf("monitor: heartbeat of %s: %w", r.check.ID, err)
	}
	tr := m.track(stateKey{r.check.ID, m.opts.Location})
	tr.mu.Lock()
	down := tr.state.State != status.StateUp
	tr.mu.Unlock()
	if down {
		res := status.Result{CheckID: r.check.ID, Location: m.opts.Location, At: at, OK: true}
		m.record(ctx, r, res)
	}
	return nil
}

// heartbeatCheck finds the heartbeat check of a token, comparing in
// constant time since tokens are secrets.
func (m *Monitor) heartbeatCheck(token string) *checkRun {
	if token == "" {
		return nil
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	var found *checkRun
	for _, r := range m.checks {
		if r.check.Kind == status.KindHeartbeat && subtle.ConstantTimeCompare([]byte(r.token), []byte(token)) == 1 {
			found = r
		}
	}
	return found
}

// heartbeatResult is the scheduler's "probe" of a heartbeat check: OK while
// the last beat is within the interval plus the grace period. A check that
// never had a beat is measured from when the monitor started expecting
// one. It reports false when the store cannot say, so that a database
// hiccup does not take a job down.
func (m *Monitor) heartbeatResult(ctx context.Context, r *checkRun) (status.Result, bool) {
	c := &r.check
	now := m.now()
	res := status.Result{CheckID: c.ID, Location: m.opts.Location, At: now}
	last, ok, err := m.store.LastBeat(ctx, c.ID)
	if err != nil {
		m.log.Error("monitor: read last heartbeat", "check", c.ID, "err", err)
		return res, false
	}
	grace := r.grace
	since := last
	if !ok {
		since = r.added
	}
	if late := now.Sub(since); late <= c.Interval+grace {
		res.OK = true
		return res, true
	}
	if ok {
		res.Error = fmt.Sprintf("no heartbeat since %s (grace %s)", clock(last, now), grace)
	} else {
		res.Error = fmt.Sprintf("no heartbeat received since %s (grace %s)", clock(since, now), grace)
	}
	return res, true
}

// clock prints a time as "21:00" when it is within a day of now, with the
// date otherwise; always UTC, so messages read the same for everyone.
func clock(t, now time.Time) string {
	t = t.UTC()
	if now.Sub(t) < 24*time.Hour {
		return t.Format("15:04 UTC")
	}
	return t.Format("2006-01-02 15:04 UTC")
}
