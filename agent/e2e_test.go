package agent_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/safetynet-dev/safetynet/agent"
	"github.com/safetynet-dev/safetynet/monitor"
	"github.com/safetynet-dev/safetynet/monitor/probe"
	"github.com/safetynet-dev/safetynet/status"
	"github.com/safetynet-dev/safetynet/store"
	"github.com/safetynet-dev/safetynet/web"
)

var sites = []string{"eu-west", "us-east", "ap-south"}

// server is a safetynet server in-process: SQLite, the monitor and the
// HTTP API behind a switch that makes it unreachable (connections are
// dropped) while off.
type server struct {
	db   *store.DB
	mon  *monitor.Monitor
	http *httptest.Server
	down atomic.Bool
}

func startServer(t *testing.T, target string) (*server, string) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	quiet := slog.New(slog.DiscardHandler)
	db, err := store.Open(ctx, filepath.Join(t.TempDir(), "safetynet.db"), store.Options{Logger: quiet})
	if err != nil {
		t.Fatal(err)
	}
	secret, hash, _ := status.NewTokenSecret()
	if _, err := db.CreateToken(ctx, status.Token{Name: "agents", Hash: hash, Scopes: []status.Scope{status.ScopeAgent}}); err != nil {
		t.Fatal(err)
	}
	s := &server{db: db}
	s.mon = monitor.New(monitor.Options{Store: db, Logger: quiet, FlushEvery: 50 * time.Millisecond, EvalEvery: time.Hour})
	plan := status.Plan{
		Components: []status.Component{{ID: "api", Name: "API", Public: true}},
		Checks: []status.Check{{
			ID: "edge", Name: "Edge", Component: "api", Kind: status.KindHTTP, Target: target,
			Interval: time.Second, Timeout: 500 * time.Millisecond, FailuresToDown: 1, SuccessesToUp: 1,
			Locations: sites,
		}},
	}
	if err := s.mon.SetPlan(ctx, plan); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- s.mon.Run(ctx) }()
	api := web.New(web.Options{Store: db, Heartbeats: s.mon, Logger: quiet})
	s.http = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if s.down.Load() {
			if hj, ok := w.(http.Hijacker); ok {
				if c, _, err := hj.Hijack(); err == nil {
					c.Close()
					return
				}
			}
		}
		api.Handler().ServeHTTP(w, r)
	}))
	t.Cleanup(func() {
		s.http.Close()
		cancel()
		<-done
		db.Close()
	})
	return s, secret
}

// status returns the component's current status as stored.
func (s *server) status(t *testing.T) status.Status {
	cur, err := s.db.CurrentStatuses(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return cur["api"]
}

// state returns the check's state at a location as the monitor holds it.
func (s *server) state(location string) status.State {
	snap, _ := s.mon.Snapshot(context.Background())
	for _, c := range snap.Components {
		for _, ch := range c.Checks {
			for _, st := range ch.States {
				if st.Location == location {
					return st.State
				}
			}
		}
	}
	return status.StateUnknown
}

// paths are the network paths of the agents: a cut path fails every probe
// as a broken route from that location would.
type paths struct{ cut sync.Map }

func (p *paths) prober(location string) func(c *status.Check) (probe.Prober, error) {
	return func(c *status.Check) (probe.Prober, error) {
		real, err := probe.New(c, probe.Options{})
		if err != nil {
			return nil, err
		}
		return proberFunc(func(ctx context.Context) status.Result {
			if v, _ := p.cut.Load(location); v == true {
				return status.Result{Error: "dial tcp: connect: no route to host", Latency: time.Millisecond}
			}
			return real.Probe(ctx)
		}), nil
	}
}

type proberFunc func(ctx context.Context) status.Result

func (f proberFunc) Probe(ctx context.Context) status.Result { return f(ctx) }

// runAgent starts an agent and returns a function stopping it.
func runAgent(t *testing.T, url, secret, location, dir string, p *paths) (*agent.Agent, func()) {
	t.Helper()
	a, err := agent.New(agent.Options{
		Server: url, Token: secret, Location: location, Dir: dir,
		FlushEvery: 100 * time.Millisecond, MinBackoff: 50 * time.Millisecond, MaxBackoff: 200 * time.Millisecond,
		RefreshEvery: 500 * time.Millisecond, NewProber: p.prober(location),
		Logger: slog.New(slog.DiscardHandler),
	})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- a.Run(ctx) }()
	var once sync.Once
	stop := func() {
		once.Do(func() {
			cancel()
			select {
			case err := <-done:
				if err != nil {
					t.Errorf("agent %s: %v", location, err)
				}
			case <-time.After(10 * time.Second):
				t.Fatalf("agent %s did not stop", location)
			}
		})
	}
	t.Cleanup(stop)
	return a, stop
}

func waitFor(t *testing.T, what string, within time.Duration, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(within)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func TestAgentsOnLoopback(t *testing.T) {
	if testing.Short() {
		t.Skip("runs real agents for several seconds")
	}
	target := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "ok") }))
	defer target.Close()
	srv, secret := startServer(t, target.URL)
	p := &paths{}
	dirs := map[string]string{}
	stops := map[string]func(){}
	agents := map[string]*agent.Agent{}
	for _, loc := range sites {
		dirs[loc] = t.TempDir()
		agents[loc], stops[loc] = runAgent(t, srv.http.URL, secret, loc, dirs[loc], p)
	}
	waitFor(t, "every location up and the component operational", 10*time.Second, func() bool {
		return srv.state("eu-west") == status.StateUp && srv.state("us-east") == status.StateUp &&
			srv.state("ap-south") == status.StateUp && srv.status(t) == status.Operational
	})

	// One location's path breaks: that location sees the target down, the
	// component stays operational.
	p.cut.Store("eu-west", true)
	waitFor(t, "eu-west to see the target down", 5*time.Second, func() bool { return srv.state("eu-west") == status.StateDown })
	time.Sleep(1500 * time.Millisecond) // more rounds from the others
	if got := srv.status(t); got != status.Operational {
		t.Fatalf("status with one location of three down = %s, want operational", got)
	}

	// A second one agrees: an outage.
	p.cut.Store("us-east", true)
	waitFor(t, "a major outage once two of three see it down", 5*time.Second, func() bool { return srv.status(t) == status.MajorOutage })
	p.cut.Delete("eu-west")
	p.cut.Delete("us-east")
	waitFor(t, "recovery", 5*time.Second, func() bool { return srv.status(t) == status.Operational })

	// The server becomes unreachable: ap-south buffers, is restarted
	// meanwhile (its checks and buffer come from disk), and replays in
	// order once the server is back.
	cutAt := time.Now()
	srv.down.Store(true)
	waitFor(t, "ap-south to buffer results", 5*time.Second, func() bool { _, n, _ := agents["ap-south"].Buffered(); return n >= 2 })
	stops["ap-south"]()
	agents["ap-south"], stops["ap-south"] = runAgent(t, srv.http.URL, secret, "ap-south", dirs["ap-south"], p)
	waitFor(t, "the restarted agent to probe from its cached checks", 5*time.Second, func() bool { _, n, _ := agents["ap-south"].Buffered(); return n >= 4 })
	backAt := time.Now()
	srv.down.Store(false)
	waitFor(t, "the buffer to drain", 10*time.Second, func() bool { b, _, _ := agents["ap-south"].Buffered(); return b == 0 })
	time.Sleep(200 * time.Millisecond) // the writer's flush

	rs, err := srv.db.Results(context.Background(), status.ResultFilter{CheckID: "edge", Location: "ap-south", Since: cutAt.Add(-2 * time.Second)})
	if err != nil {
		t.Fatal(err)
	}
	seen := map[time.Time]bool{}
	var during int
	for i, r := range rs {
		if seen[r.At] {
			t.Errorf("result at %s stored twice", r.At)
		}
		seen[r.At] = true
		if i > 0 && !r.At.After(rs[i-1].At) {
			t.Errorf("results stored out of order: %s after %s", r.At, rs[i-1].At)
		}
		if i > 0 && r.At.Sub(rs[i-1].At) > 3*time.Second {
			t.Errorf("gap of %s in ap-south's results (%s to %s)", r.At.Sub(rs[i-1].At), rs[i-1].At, r.At)
		}
		if r.At.After(cutAt) && r.At.Before(backAt) {
			during++
		}
	}
	if want := int(backAt.Sub(cutAt)/time.Second) - 2; during < want {
		t.Errorf("%d results from the %s the server was away, want at least %d", during, backAt.Sub(cutAt).Round(time.Millisecond), want)
	}
}
