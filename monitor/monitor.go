package monitor

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"math"
	"os"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/safetynet-dev/safetynet"
	"github.com/safetynet-dev/safetynet/detect"
	"github.com/safetynet-dev/safetynet/monitor/probe"
	"github.com/safetynet-dev/safetynet/status"
)

// Prober runs one check once. It should honour its context's deadline; the
// monitor does not wait for one that does not.
type Prober = probe.Prober

// Options configure a Monitor. Only Store is required.
type Options struct {
	Store status.Store
	// NewProber builds the prober of a check; it is called again only for
	// checks whose Hash changed on a reload. Heartbeat checks need none.
	// The default is probe.New with transports shared by all checks.
	NewProber func(c *status.Check) (Prober, error)
	// Owner identifies this server in schedule leases (default "monitor").
	Owner string
	// Location is recorded in every result (default status.LocalLocation).
	Location string
	// Concurrency bounds the probes running at once (default 256).
	Concurrency int
	// Now tells the time (default time.Now).
	Now func() time.Time
	// Wait returns a channel that receives once Now has reached t. The
	// default is a real timer; tests pass a fake clock so they never sleep.
	Wait   func(t time.Time) <-chan time.Time
	Logger *slog.Logger
	// Poke tells the notifier that the outbox has new entries.
	Poke func()
	// HeartbeatToken and HeartbeatGrace read a heartbeat check's secret
	// token and grace period from its spec (defaults: probe.HeartbeatToken
	// from the environment and files, probe.HeartbeatGrace).
	HeartbeatToken func(c *status.Check) (string, error)
	HeartbeatGrace func(c *status.Check) (time.Duration, error)
	// Registry receives the monitor's Prometheus metrics when set.
	Registry prometheus.Registerer

	// FlushEvery and FlushSize bound how long and how many results wait in
	// the writer before a batch is stored (defaults 1s and 500).
	FlushEvery time.Duration
	FlushSize  int
	// EvalEvery is how often metric rules, outlier groups and maintenance
	// windows are evaluated (default 30s).
	EvalEvery time.Duration
	// ClaimGap is the least time between two claims when nothing is
	// waiting, so that checks due within a few milliseconds of each other
	// are claimed together (default 100ms).
	ClaimGap time.Duration
	// MaxSleep caps the scheduler's sleep, so leases left by a stopped
	// server are picked up (default 10s).
	MaxSleep time.Duration
	// ShutdownTimeout bounds how long Run waits for running probes when its
	// context is cancelled (default 10s).
	ShutdownTimeout time.Duration
}

// Monitor runs the checks of a Plan. Create it with New, give it a plan with
// SetPlan and call Run.
type Monitor struct {
	opts    Options
	store   status.Store
	log     *slog.Logger
	now     func() time.Time
	metrics *metrics

	wake   chan struct{} // plan changed or a check completed early: claim again
	wakeAt atomic.Int64  // when the sleeping scheduler means to wake, unix ns
	writer *writer

	mu         sync.Mutex
	plan       status.Plan
	checks     map[string]*checkRun // by check ID
	components map[string]*status.Component
	teams      map[string]status.Team
	loaded     bool                              // states and statuses read from the store
	states     map[string]map[string]*checkTrack // by check, then location
	compChecks map[string][]string               // check IDs by component
	pending    map[string]bool                   // components with a decision queued
	decisions  map[string]status.Decision        // last decided status per component
	trackers   map[string]*seriesTrack           // metric rule series, by rule ID and series key
	lease      time.Duration                     // for ClaimDue: 2x the longest run

	decideMu sync.Mutex // serialises component decisions so changes are recorded in order
	planMu   sync.Mutex // serialises SetPlan calls (a reload racing a reload)
	evalMu   sync.Mutex // serialises Evaluate: trackers are not safe for concurrent use

	agents agentTracker // agent locations: last reports, silence (quorum.go)
}

// checkRun is a configured check with its prober.
type checkRun struct {
	check  status.Check
	prober Prober
	token  string        // heartbeat token, for heartbeat checks
	grace  time.Duration // heartbeat grace period
	added  time.Time
}

type stateKey struct{ check, location string }

// checkTrack is the in-memory state of one check at one location.
type checkTrack struct {
	mu    sync.Mutex // serialises results of one check (scheduler and heartbeats)
	state status.CheckState
	// flaps are the times of recent transitions, for flapping suppression.
	flaps []time.Time
	// notified is the state the team was last told about.
	notified status.State
	// reminded is the number of the last reminder sent for the current
	// down period.
	reminded int
	// downSince is when the down period the team was told about began.
	downSince time.Time
	// savedSteady is set when the stored state is up with no failures
	// counted, so further passing results need not be written.
	savedSteady bool
	// alertID is the check alert of the current down period (0 if none
	// known yet), named in notifications so they can be acknowledged.
	alertID int64
}

// New returns a Monitor with defaults filled in.
func New(opts Options) *Monitor {
	if opts.Owner == "" {
		opts.Owner = "monitor"
	}
	if opts.Location == "" {
		opts.Location = status.LocalLocation
	}
	if opts.Concurrency <= 0 {
		opts.Concurrency = 256
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.Wait == nil {
		now := opts.Now
		opts.Wait = func(t time.Time) <-chan time.Time { return time.After(t.Sub(now())) }
	}
	if opts.Logger == nil {
		opts.Logger = slog.Default()
	}
	if opts.Poke == nil {
		opts.Poke = func() {}
	}
	if opts.NewProber == nil {
		po := probe.Options{Now: opts.Now, Transports: probe.NewTransports(nil)}
		opts.NewProber = func(c *status.Check) (Prober, error) { return probe.New(c, po) }
	}
	if opts.HeartbeatToken == nil {
		opts.HeartbeatToken = func(c *status.Check) (string, error) {
			return probe.HeartbeatToken(c, os.Getenv, os.ReadFile)
		}
	}
	if opts.HeartbeatGrace == nil {
		opts.HeartbeatGrace = probe.HeartbeatGrace
	}
	if opts.FlushEvery <= 0 {
		opts.FlushEvery = time.Second
	}
	if opts.FlushSize <= 0 {
		opts.FlushSize = 500
	}
	if opts.EvalEvery <= 0 {
		opts.EvalEvery = 30 * time.Second
	}
	if opts.ClaimGap <= 0 {
		opts.ClaimGap = 100 * time.Millisecond
	}
	if opts.MaxSleep <= 0 {
		opts.MaxSleep = 10 * time.Second
	}
	if opts.ShutdownTimeout <= 0 {
		opts.ShutdownTimeout = 10 * time.Second
	}
	m := &Monitor{
		opts:       opts,
		store:      opts.Store,
		log:        opts.Logger,
		now:        opts.Now,
		wake:       make(chan struct{}, 1),
		checks:     map[string]*checkRun{},
		components: map[string]*status.Component{},
		teams:      map[string]status.Team{},
		states:     map[string]map[string]*checkTrack{},
		pending:    map[string]bool{},
		decisions:  map[string]status.Decision{},
		trackers:   map[string]*seriesTrack{},
		lease:      time.Minute,
	}
	m.wakeAt.Store(math.MaxInt64) // awake: every early completion wakes the next sleep
	m.metrics = newMetrics(opts.Registry)
	m.writer = newWriter(m)
	return m
}

// SetPlan makes the monitor watch plan: on start and on every reload. It
// builds probers for new and changed checks first, so a plan with a check
// that cannot be built leaves the running plan untouched and says why.
// Unchanged checks keep their prober, schedule and state; removed checks
// are dropped from the schedule.
func (m *Monitor) SetPlan(ctx context.Context, plan status.Plan) error {
	m.planMu.Lock()
	defer m.planMu.Unlock()
	now := m.now()
	m.mu.Lock()
	old := m.checks
	m.mu.Unlock()

	runs := make(map[string]*checkRun, len(plan.Checks))
	entries := make([]status.ScheduleEntry, 0, len(plan.Checks))
	var errs []error
	for i := range plan.Checks {
		c := plan.Checks[i]
		if c.Hash == "" {
			c.Hash = hashCheck(&c)
		}
		if err := c.Validate(); err != nil {
			errs = append(errs, err)
			continue
		}
		if runs[c.ID] != nil {
			errs = append(errs, safetynet.Errorf(safetynet.EINVALID, "check %s is defined twice", c.ID))
			continue
		}
		r := &checkRun{check: c, added: now}
		if prev := old[c.ID]; prev != nil {
			r.added = prev.added
			if prev.check.Hash == c.Hash {
				r.prober, r.token, r.grace = prev.prober, prev.token, prev.grace
			}
		}
		if c.Kind == status.KindHeartbeat {
			if r.token == "" {
				tok, err := m.opts.HeartbeatToken(&c)
				if err != nil {
					errs = append(errs, fmt.Errorf("check %s: %w", c.ID, err))
					continue
				}
				grace, err := m.opts.HeartbeatGrace(&c)
				if err != nil {
					errs = append(errs, fmt.Errorf("check %s: %w", c.ID, err))
					continue
				}
				r.token, r.grace = tok, grace
			}
		} else if r.prober == nil {
			p, err := m.opts.NewProber(&c)
			if err != nil {
				errs = append(errs, fmt.Errorf("check %s: %w", c.ID, err))
				continue
			}
			r.prober = p
		}
		runs[c.ID] = r
		if !c.RunsAt(m.opts.Location) {
			continue // only agents run it; they report through AgentResults
		}
		entries = append(entries, status.ScheduleEntry{CheckID: c.ID, Interval: runInterval(&c), Hash: c.Hash})
	}
	comps := make(map[string]*status.Component, len(plan.Components))
	for i := range plan.Components {
		c := &plan.Components[i]
		if err := c.Validate(); err != nil {
			errs = append(errs, err)
			continue
		}
		comps[c.ID] = c
	}
	for _, r := range plan.MetricRules {
		if _, err := detect.NewTracker(r); err != nil {
			errs = append(errs, err)
		} else if comps[r.Component] == nil {
			errs = append(errs, safetynet.Errorf(safetynet.EINVALID, "metric rule %s belongs to unknown component %s", r.ID, r.Component))
		}
	}
	for _, g := range plan.OutlierGroups {
		if err := detect.FromGroup(g).Validate(); err != nil {
			errs = append(errs, fmt.Errorf("outlier group %s: %w", g.ID, err))
		}
		for _, id := range g.Checks {
			if runs[id] == nil {
				errs = append(errs, safetynet.Errorf(safetynet.EINVALID, "outlier group %s names unknown check %s", g.ID, id))
			}
		}
	}
	for id, r := range runs {
		if comps[r.check.Component] == nil {
			errs = append(errs, safetynet.Errorf(safetynet.EINVALID, "check %s belongs to unknown component %s", id, r.check.Component))
		}
	}
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("monitor: plan: %w", err)
	}

	if err := m.store.SyncComponents(ctx, plan.Components); err != nil {
		return fmt.Errorf("monitor: sync components: %w", err)
	}
	if err := m.store.SyncSchedule(ctx, entries, now); err != nil {
		return fmt.Errorf("monitor: sync schedule: %w", err)
	}
	if err := m.load(ctx); err != nil {
		return err
	}

	teams := make(map[string]status.Team, len(plan.Teams))
	for _, t := range plan.Teams {
		teams[t.Name] = t
	}
	var longest time.Duration
	for _, r := range runs {
		if d := time.Duration(r.check.Retries+1) * r.check.Timeout; d > longest {
			longest = d
		}
	}
	m.mu.Lock()
	m.plan, m.checks, m.components, m.teams = plan, runs, comps, teams
	m.lease = max(2*longest, 30*time.Second)
	for id := range m.states {
		if runs[id] == nil {
			delete(m.states, id)
		}
	}
	m.compChecks = map[string][]string{}
	for _, c := range plan.Checks {
		if runs[c.ID] != nil {
			m.compChecks[c.Component] = append(m.compChecks[c.Component], c.ID)
		}
	}
	m.mu.Unlock()
	// A check removed from the config can no longer recover: close its
	// alert so it does not stay open (and on the page) for ever.
	var affected []string
	for id, r := range old {
		if runs[id] == nil {
			affected = append(affected, r.check.Component)
			if err := m.resolveAlerts(ctx, status.AlertCheck, r.check.Component, alertSubject(&r.check, m.opts.Location), now); err != nil {
				m.log.Error("monitor: resolve alert of removed check", "check", id, "err", err)
			}
		}
	}
	if len(affected) > 0 {
		m.decideAll(ctx, slices.Compact(slices.Sorted(slices.Values(affected))))
	}
	m.log.Info("monitor: plan set", "checks", len(runs), "components", len(comps), "rules", len(plan.MetricRules))
	m.poke()
	return nil
}

// load reads check states and component statuses from the store once, so a
// restarted server neither forgets a down check nor alerts about it again.
func (m *Monitor) load(ctx context.Context) error {
	m.mu.Lock()
	loaded := m.loaded
	m.mu.Unlock()
	if loaded {
		return nil
	}
	sts, err := m.store.CheckStates(ctx)
	if err != nil {
		return fmt.Errorf("monitor: load check states: %w", err)
	}
	cur, err := m.store.CurrentStatuses(ctx)
	if err != nil {
		return fmt.Errorf("monitor: load statuses: %w", err)
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	for _, st := range sts {
		tr := &checkTrack{state: st, savedSteady: st.State != status.StateDown && st.Failures == 0}
		switch st.State {
		case status.StateDown:
			tr.notified, tr.downSince = status.StateDown, st.Since
		case status.StateUp, status.StateDegraded:
			tr.notified = status.StateUp
		}
		if m.states[st.CheckID] == nil {
			m.states[st.CheckID] = map[string]*checkTrack{}
		}
		m.states[st.CheckID][st.Location] = tr
	}
	for id, s := range cur {
		m.decisions[id] = status.Decision{Status: s}
	}
	m.loaded = true
	return nil
}

// poke wakes the scheduler without blocking.
func (m *Monitor) poke() {
	select {
	case m.wake <- struct{}{}:
	default:
	}
}

// runInterval is how often the scheduler runs a check. A heartbeat check is
// evaluated at least every minute, so that silence is noticed soon after
// the grace period ends rather than up to a whole (perhaps daily) interval
// later.
func runInterval(c *status.Check) time.Duration {
	if c.Kind == status.KindHeartbeat && c.Interval > time.Minute {
		return time.Minute
	}
	return c.Interval
}

// hashCheck identifies a check's settings when the config gave no Hash.
func hashCheck(c *status.Check) string {
	b, _ := json.Marshal(c)
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:8])
}

// snapshotChecks returns the current checks, for loops that must not hold
// the lock.
func (m *Monitor) checkRun(id string) *checkRun {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.checks[id]
}
