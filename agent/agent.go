package agent

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"hash/fnv"
	"io"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"time"

	"github.com/safetynet-dev/safetynet/monitor/probe"
	"github.com/safetynet-dev/safetynet/status"
)

// Options configure an Agent. Server, Token, Location and Dir are
// required.
type Options struct {
	// Server is the base URL of a safetynet server (https://status.example.com).
	Server string
	// Token is a secret with the agent scope. It is sent as a bearer token
	// and never logged.
	Token string
	// Location names where this agent runs (eu-west); the server assigns
	// checks to it by name.
	Location string
	// Dir keeps the agent's state: the result buffer and the last checks
	// fetched (which may hold probe secrets, so it is private to the user).
	Dir string

	// MaxBuffered bounds the results kept while the server is unreachable
	// (default 100,000); beyond it the oldest are dropped.
	MaxBuffered int
	// BatchSize and FlushEvery bound how many results, and how long, wait
	// before a batch is written and sent (defaults 500 and 2s).
	BatchSize  int
	FlushEvery time.Duration
	// RefreshEvery is how often the checks are fetched again (default 1m).
	RefreshEvery time.Duration
	// MinBackoff and MaxBackoff bound the wait between failed sends
	// (defaults 1s and 1m); it doubles on each failure, with jitter.
	MinBackoff, MaxBackoff time.Duration

	// Client makes the requests to the server (default: 30s timeout).
	Client *http.Client
	// NewProber builds a check's prober (default probe.New with shared
	// transports).
	NewProber func(c *status.Check) (probe.Prober, error)
	Now       func() time.Time
	Logger    *slog.Logger
}

var locationRE = regexp.MustCompile(`^[a-z0-9][a-z0-9_-]{0,62}$`)

// Agent runs the checks of one location and reports their results.
type Agent struct {
	opts   Options
	server *url.URL
	log    *slog.Logger
	buf    *buffer

	results chan status.Result
	sent    chan struct{} // a batch was buffered: try sending

	mu     sync.Mutex
	probes map[string]*running // by check ID
	wg     sync.WaitGroup
}

type running struct {
	check  status.Check
	cancel context.CancelFunc
}

// New checks opts, fills in defaults and opens the buffer in opts.Dir.
func New(opts Options) (*Agent, error) {
	if opts.Server == "" {
		return nil, errors.New("agent: the server URL is required")
	}
	u, err := url.Parse(strings.TrimRight(opts.Server, "/"))
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("agent: server %q is not an http(s) URL", opts.Server)
	}
	if opts.Token == "" {
		return nil, errors.New("agent: a token with the agent scope is required")
	}
	if !locationRE.MatchString(opts.Location) || opts.Location == status.LocalLocation {
		return nil, fmt.Errorf("agent: location %q must be lower-case letters, digits, '-' and '_', and not %q (the server's own)", opts.Location, status.LocalLocation)
	}
	if opts.Dir == "" {
		return nil, errors.New("agent: a state directory is required")
	}
	if opts.MaxBuffered <= 0 {
		opts.MaxBuffered = 100_000
	}
	if opts.BatchSize <= 0 {
		opts.BatchSize = 500
	}
	if opts.FlushEvery <= 0 {
		opts.FlushEvery = 2 * time.Second
	}
	if opts.RefreshEvery <= 0 {
		opts.RefreshEvery = time.Minute
	}
	if opts.MinBackoff <= 0 {
		opts.MinBackoff = time.Second
	}
	if opts.MaxBackoff < opts.MinBackoff {
		opts.MaxBackoff = max(time.Minute, opts.MinBackoff)
	}
	if opts.Client == nil {
		opts.Client = &http.Client{Timeout: 30 * time.Second}
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.Logger == nil {
		opts.Logger = slog.Default()
	}
	if opts.NewProber == nil {
		po := probe.Options{Now: opts.Now, Transports: probe.NewTransports(nil)}
		opts.NewProber = func(c *status.Check) (probe.Prober, error) { return probe.New(c, po) }
	}
	if err := os.MkdirAll(opts.Dir, 0o700); err != nil {
		return nil, fmt.Errorf("agent: state directory: %w", err)
	}
	buf, err := openBuffer(filepath.Join(opts.Dir, "buffer"), opts.MaxBuffered)
	if err != nil {
		return nil, err
	}
	return &Agent{
		opts: opts, server: u, buf: buf,
		log:     opts.Logger.With("location", opts.Location),
		results: make(chan status.Result, opts.BatchSize),
		sent:    make(chan struct{}, 1),
		probes:  map[string]*running{},
	}, nil
}

// Buffered returns the batches and results waiting on disk, and the
// results dropped to keep the buffer bounded.
func (a *Agent) Buffered() (batches, results, dropped int) { return a.buf.size() }

// Run fetches the checks, runs them and reports until ctx is cancelled.
// On cancellation it stops probing, writes the results in hand to the
// buffer (the next run sends them) and returns nil.
func (a *Agent) Run(ctx context.Context) error {
	if checks, err := a.loadChecks(); err != nil {
		a.log.Warn("agent: cached checks unreadable; waiting for the server", "err", err)
	} else if checks != nil {
		a.log.Info("agent: running the checks of the last run until the server answers", "checks", len(checks))
		a.apply(ctx, checks)
	}
	if n, r, _ := a.buf.size(); n > 0 {
		a.log.Info("agent: results of an earlier run waiting to be sent", "batches", n, "results", r)
	}

	var wg sync.WaitGroup
	batcherDone := make(chan struct{})
	go func() {
		defer close(batcherDone)
		a.batch(ctx)
	}()
	wg.Add(2)
	go func() { defer wg.Done(); a.refresh(ctx) }()
	go func() { defer wg.Done(); a.send(ctx) }()
	<-ctx.Done()
	wg.Wait()
	a.stopAll()
	close(a.results) // every prober has returned: nobody sends any more
	<-batcherDone
	return nil
}

// refresh fetches the checks now and every RefreshEvery; a failed fetch is
// retried sooner, backing off.
func (a *Agent) refresh(ctx context.Context) {
	backoff := a.opts.MinBackoff
	for {
		wait := a.opts.RefreshEvery
		checks, err := a.fetch(ctx)
		switch {
		case err == nil:
			backoff = a.opts.MinBackoff
			a.apply(ctx, checks)
			if err := a.saveChecks(checks); err != nil {
				a.log.Warn("agent: keep checks for a restart", "err", err)
			}
		case ctx.Err() != nil:
			return
		default:
			a.log.Warn("agent: fetch checks", "err", err, "retry_in", backoff)
			wait = min(backoff, wait)
			backoff = a.nextBackoff(backoff)
		}
		select {
		case <-ctx.Done():
			return
		case <-time.After(wait):
		}
	}
}

// nextBackoff doubles d up to MaxBackoff, with up to a fifth of jitter so
// that agents cut off together do not all come back at once.
func (a *Agent) nextBackoff(d time.Duration) time.Duration {
	d = min(2*d, a.opts.MaxBackoff)
	return d - time.Duration(rand.Int64N(int64(d)/5+1))
}

// apply runs the given checks: new and changed ones (by Hash) start,
// removed ones stop, unchanged ones keep their rhythm.
func (a *Agent) apply(ctx context.Context, checks []status.Check) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if ctx.Err() != nil {
		return
	}
	keep := map[string]bool{}
	for _, c := range checks {
		keep[c.ID] = true
		if r := a.probes[c.ID]; r != nil && r.check.Hash == c.Hash && r.check.Hash != "" {
			continue
		}
		p, err := a.opts.NewProber(&c)
		if err != nil {
			a.log.Error("agent: check cannot run here", "check", c.ID, "err", err)
			keep[c.ID] = false
			continue
		}
		if r := a.probes[c.ID]; r != nil {
			r.cancel()
		}
		pctx, cancel := context.WithCancel(ctx)
		a.probes[c.ID] = &running{check: c, cancel: cancel}
		a.wg.Add(1)
		go func() {
			defer a.wg.Done()
			a.loop(pctx, c, p)
		}()
	}
	for id, r := range a.probes {
		if !keep[id] {
			r.cancel()
			delete(a.probes, id)
		}
	}
}

func (a *Agent) stopAll() {
	a.mu.Lock()
	for _, r := range a.probes {
		r.cancel()
	}
	a.probes = map[string]*running{}
	a.mu.Unlock()
	a.wg.Wait()
}

// loop runs one check every interval, at a phase derived from its ID so
// that checks spread over their interval.
func (a *Agent) loop(ctx context.Context, c status.Check, p probe.Prober) {
	interval := max(c.Interval, 100*time.Millisecond)
	h := fnv.New64a()
	h.Write([]byte(c.ID))
	next := time.Now().Add(time.Duration(h.Sum64() % uint64(interval)))
	for {
		select {
		case <-ctx.Done():
			return
		case <-time.After(time.Until(next)):
		}
		res := a.probe(ctx, &c, p)
		if ctx.Err() != nil {
			return // cut short by a stop or a changed check: not a result
		}
		select {
		case a.results <- res:
		case <-ctx.Done():
			return
		}
		next = next.Add(interval)
		if now := time.Now(); !next.After(now) {
			next = now.Add(interval) // fell behind: skip, do not burst
		}
	}
}

// probe runs a check with its retries, each attempt under its timeout, as
// the server does.
func (a *Agent) probe(ctx context.Context, c *status.Check, p probe.Prober) status.Result {
	start := a.opts.Now()
	timeout := c.Timeout
	if timeout <= 0 {
		timeout = 10 * time.Second
	}
	var res status.Result
	for attempt := 0; attempt <= c.Retries; attempt++ {
		actx, cancel := context.WithTimeout(ctx, timeout)
		res = p.Probe(actx)
		cancel()
		if res.OK || ctx.Err() != nil {
			break
		}
	}
	res.CheckID, res.Location, res.At = c.ID, a.opts.Location, start.UTC()
	return res
}

// batch gathers results into batches of BatchSize or FlushEvery and
// writes each to the buffer. It returns once results is closed, after
// writing what it holds.
func (a *Agent) batch(ctx context.Context) {
	var pending []status.Result
	tick := time.NewTicker(a.opts.FlushEvery)
	defer tick.Stop()
	flush := func() {
		if len(pending) == 0 {
			return
		}
		if err := a.buf.add(a.opts.Location, pending); err != nil {
			// Not buffered: sent straight away or lost; say so.
			a.log.Error("agent: buffer results", "results", len(pending), "err", err)
		}
		pending = nil
		select {
		case a.sent <- struct{}{}:
		default:
		}
	}
	for {
		select {
		case res, ok := <-a.results:
			if !ok {
				flush()
				return
			}
			pending = append(pending, res)
			if len(pending) >= a.opts.BatchSize {
				flush()
			}
		case <-tick.C:
			flush()
		}
	}
}

// send posts buffered batches oldest first, removing each once the server
// has taken it; on failure it waits, backing off, and tries the same
// batch again with the same id.
func (a *Agent) send(ctx context.Context) {
	backoff := a.opts.MinBackoff
	for ctx.Err() == nil {
		e, batch, ok, err := a.buf.oldest()
		if err != nil {
			a.log.Error("agent: buffer", "err", err)
			continue
		}
		if !ok {
			select {
			case <-ctx.Done():
			case <-a.sent:
			}
			continue
		}
		rep, err := a.post(ctx, batch)
		if err == nil || errors.Is(err, errRefused) {
			if err != nil {
				// The server will never take it; holding it would block
				// every later batch.
				a.log.Error("agent: batch refused; dropped", "batch", batch.ID, "results", len(batch.Results), "err", err)
			} else if rep.Ignored > 0 {
				a.log.Warn("agent: results for checks no longer assigned here", "ignored", rep.Ignored)
			}
			if err := a.buf.remove(e); err != nil {
				a.log.Error("agent: buffer", "err", err)
			}
			backoff = a.opts.MinBackoff
			continue
		}
		if ctx.Err() != nil {
			return
		}
		_, waiting, dropped := a.buf.size()
		a.log.Warn("agent: server unreachable; results kept on disk", "err", err, "waiting", waiting, "dropped", dropped, "retry_in", backoff)
		select {
		case <-ctx.Done():
		case <-time.After(backoff):
		}
		backoff = a.nextBackoff(backoff)
	}
}

// errRefused marks an answer that retrying the same request cannot change
// (400, 404, 413, 422).
var errRefused = errors.New("refused")

func (a *Agent) post(ctx context.Context, b status.AgentBatch) (status.AgentReport, error) {
	body, err := json.Marshal(b)
	if err != nil {
		return status.AgentReport{}, fmt.Errorf("%w: %v", errRefused, err)
	}
	var rep status.AgentReport
	err = a.call(ctx, http.MethodPost, "/api/v1/agent/results", bytes.NewReader(body), &rep)
	return rep, err
}

func (a *Agent) fetch(ctx context.Context) ([]status.Check, error) {
	var out status.AgentChecks
	q := url.Values{"location": {a.opts.Location}}
	if err := a.call(ctx, http.MethodGet, "/api/v1/agent/checks?"+q.Encode(), nil, &out); err != nil {
		return nil, err
	}
	if out.Checks == nil {
		out.Checks = []status.Check{}
	}
	return out.Checks, nil
}

// call makes one request to the server and decodes its JSON answer.
func (a *Agent) call(ctx context.Context, method, path string, body io.Reader, v any) error {
	req, err := http.NewRequestWithContext(ctx, method, a.server.String()+path, body)
	if err != nil {
		return err
	}
	req.Header.Set("Authorization", "Bearer "+a.opts.Token)
	req.Header.Set("Accept", "application/json")
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := a.opts.Client.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(io.LimitReader(resp.Body, 8<<20))
	if err != nil {
		return fmt.Errorf("%s %s: read answer: %w", method, req.URL.Path, err)
	}
	if resp.StatusCode != http.StatusOK {
		msg := apiMessage(raw)
		err := fmt.Errorf("%s %s: %s: %s", method, req.URL.Path, resp.Status, msg)
		switch resp.StatusCode {
		case http.StatusBadRequest, http.StatusNotFound, http.StatusRequestEntityTooLarge, http.StatusUnprocessableEntity:
			return fmt.Errorf("%w: %w", errRefused, err)
		}
		// 401 and 403 are retried too: a token fixed on the server lets
		// the buffered results through without losing them.
		return err
	}
	if err := json.Unmarshal(raw, v); err != nil {
		return fmt.Errorf("%s %s: answer is not JSON: %w", method, req.URL.Path, err)
	}
	return nil
}

// apiMessage picks the message out of an API error answer.
func apiMessage(raw []byte) string {
	var e struct {
		Error struct {
			Message string `json:"message"`
		} `json:"error"`
	}
	if json.Unmarshal(raw, &e) == nil && e.Error.Message != "" {
		return e.Error.Message
	}
	s := strings.TrimSpace(string(raw))
	if len(s) > 200 {
		s = s[:200]
	}
	return s
}

const checksFile = "checks.json"

// saveChecks keeps the checks for a restart while the server is down. The
// file is private: checks may carry probe secrets.
func (a *Agent) saveChecks(checks []status.Check) error {
	raw, err := json.Marshal(status.AgentChecks{Location: a.opts.Location, Checks: checks})
	if err != nil {
		return err
	}
	tmp := filepath.Join(a.opts.Dir, ".tmp-"+checksFile)
	if err := os.WriteFile(tmp, raw, 0o600); err != nil {
		return err
	}
	return os.Rename(tmp, filepath.Join(a.opts.Dir, checksFile))
}

func (a *Agent) loadChecks() ([]status.Check, error) {
	raw, err := os.ReadFile(filepath.Join(a.opts.Dir, checksFile))
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var ac status.AgentChecks
	if err := json.Unmarshal(raw, &ac); err != nil {
		return nil, fmt.Errorf("%s: %w", checksFile, err)
	}
	if ac.Location != a.opts.Location {
		return nil, nil // another location's: not ours to run
	}
	return ac.Checks, nil
}
