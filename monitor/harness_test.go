package monitor_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/safetynet-dev/safetynet/monitor"
	"github.com/safetynet-dev/safetynet/status"
)

// probers are scripted fake probes: each check answers with the function
// set for it (OK by default), and calls are counted.
type probers struct {
	mu         sync.Mutex
	fn         map[string]func(ctx context.Context) status.Result
	calls      map[string]int
	built      map[string]int // NewProber calls per check
	running    int
	maxRunning int
}

func newProbers() *probers {
	return &probers{fn: map[string]func(context.Context) status.Result{}, calls: map[string]int{}, built: map[string]int{}}
}

func (p *probers) set(id string, fn func(ctx context.Context) status.Result) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.fn[id] = fn
}

// fail makes a check fail with msg; ok makes it pass.
func (p *probers) fail(id, msg string) {
	p.set(id, func(context.Context) status.Result { return status.Result{Error: msg, Latency: time.Millisecond} })
}
func (p *probers) ok(id string) { p.set(id, nil) }

func (p *probers) count(id string) int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.calls[id]
}

func (p *probers) builds(id string) int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.built[id]
}

type proberFunc func(ctx context.Context) status.Result

func (f proberFunc) Probe(ctx context.Context) status.Result { return f(ctx) }

func (p *probers) newProber(c *status.Check) (monitor.Prober, error) {
	if strings.Contains(string(c.Spec), "broken") {
		return nil, errors.New("spec: unknown field \"broken\"")
	}
	id := c.ID
	p.mu.Lock()
	p.built[id]++
	p.mu.Unlock()
	return proberFunc(func(ctx context.Context) status.Result {
		p.mu.Lock()
		p.calls[id]++
		p.running++
		p.maxRunning = max(p.maxRunning, p.running)
		fn := p.fn[id]
		p.mu.Unlock()
		defer func() {
			p.mu.Lock()
			p.running--
			p.mu.Unlock()
		}()
		if fn == nil {
			return status.Result{OK: true, Latency: 20 * time.Millisecond}
		}
		return fn(ctx)
	}), nil
}

// harness runs a Monitor on a fake store and a fake clock.
type harness struct {
	t      *testing.T
	clk    *fakeClock
	st     *fakeStore
	p      *probers
	m      *monitor.Monitor
	opts   monitor.Options
	cancel context.CancelFunc
	done   chan error
}

func newHarness(t *testing.T, tweak func(*monitor.Options)) *harness {
	t.Helper()
	h := &harness{t: t, clk: newFakeClock(), st: newFakeStore(), p: newProbers()}
	h.opts = monitor.Options{
		Store: h.st, NewProber: h.p.newProber, Owner: "test",
		Now: h.clk.Now, Wait: h.clk.Wait,
		Logger:    slog.New(slog.NewTextHandler(io.Discard, nil)),
		FlushSize: 1,
		EvalEvery: time.Hour,
		HeartbeatToken: func(c *status.Check) (string, error) {
			return "token-" + c.ID, nil
		},
		HeartbeatGrace: func(*status.Check) (time.Duration, error) { return 10 * time.Minute, nil },
	}
	if tweak != nil {
		tweak(&h.opts)
	}
	h.m = monitor.New(h.opts)
	t.Cleanup(h.stop)
	return h
}

// start runs the monitor until the test ends or stop is called.
func (h *harness) start() {
	ctx, cancel := context.WithCancel(context.Background())
	h.cancel = cancel
	h.done = make(chan error, 1)
	m := h.m
	go func() { h.done <- m.Run(ctx) }()
	now := h.clk.Now()
	waitFor(h.t, "the checks due at the start to run", func() bool { return h.st.settled(now) })
}

// stop cancels Run and waits for it to return.
func (h *harness) stop() {
	if h.cancel == nil {
		return
	}
	h.cancel()
	select {
	case err := <-h.done:
		if err != nil {
			h.t.Errorf("Run: %v", err)
		}
	case <-time.After(10 * time.Second):
		h.t.Fatal("Run did not return after cancel")
	}
	h.cancel = nil
}

// restart replaces the monitor with a new one on the same store and clock,
// as a restarted server would be.
func (h *harness) restart(plan status.Plan) {
	h.t.Helper()
	h.stop()
	h.m = monitor.New(h.opts)
	h.setPlan(plan)
	h.start()
}

func (h *harness) setPlan(plan status.Plan) {
	h.t.Helper()
	if err := h.m.SetPlan(context.Background(), plan); err != nil {
		h.t.Fatalf("SetPlan: %v", err)
	}
}

// step advances the clock by d and waits until every check due by then has
// run and been rescheduled.
func (h *harness) step(d time.Duration) {
	h.t.Helper()
	h.clk.Advance(d)
	now := h.clk.Now()
	waitFor(h.t, fmt.Sprintf("checks due by %s to run", now.Format(time.TimeOnly)), func() bool { return h.st.settled(now) })
}

// run steps the clock through d in steps of one second.
func (h *harness) run(d time.Duration) {
	h.t.Helper()
	for i := time.Duration(0); i < d; i += time.Second {
		h.step(time.Second)
	}
}

// notes returns the outbox entries whose key has prefix.
func (h *harness) notes(prefix string) []status.Notification {
	var out []status.Notification
	for _, n := range h.st.notifications() {
		if strings.HasPrefix(n.Key, prefix) {
			out = append(out, n)
		}
	}
	return out
}

func (h *harness) changes(component string) []status.Change {
	cs, _ := h.st.Changes(context.Background(), status.ChangeFilter{Component: component})
	return cs
}

// check returns a valid check of component api.
func check(id string, interval time.Duration) status.Check {
	return status.Check{
		ID: id, Name: "check " + id, Component: "api", Kind: status.KindHTTP, Target: "http://127.0.0.1/" + id,
		Interval: interval, Timeout: time.Second, FailuresToDown: 1, SuccessesToUp: 1,
	}
}

// plan returns a plan of component api owned by team core (notifiers slack
// and mail), with a route sending down events of every component to pager.
func plan(checks ...status.Check) status.Plan {
	return status.Plan{
		Components: []status.Component{{ID: "api", Name: "API", Owner: "core"}, {ID: "web", Name: "Web", Owner: "core"}},
		Checks:     checks,
		Teams:      []status.Team{{Name: "core", Notifiers: []string{"slack", "mail"}}},
		Routes:     []status.Route{{Components: []string{"*"}, Events: []status.Event{status.EventDown}, Notifiers: []string{"pager"}}},
	}
}
