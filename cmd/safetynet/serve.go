package main

import (
	"context"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"runtime/debug"
	"runtime/pprof"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"

	"github.com/safetynet-dev/safetynet/config"
	"github.com/safetynet-dev/safetynet/demo"
	"github.com/safetynet-dev/safetynet/incident"
	"github.com/safetynet-dev/safetynet/monitor"
	"github.com/safetynet-dev/safetynet/monitor/probe"
	"github.com/safetynet-dev/safetynet/notify"
	_ "github.com/safetynet-dev/safetynet/notify/all" // every notifier kind
	"github.com/safetynet-dev/safetynet/notify/email"
	"github.com/safetynet-dev/safetynet/release"
	"github.com/safetynet-dev/safetynet/status"
	"github.com/safetynet-dev/safetynet/store"
	"github.com/safetynet-dev/safetynet/web"
)

const serveExamples = `  safetynet serve --config examples/safetynet.yaml   the demo: SQLite, a demo target, the dashboard on :8080
  safetynet serve --config /etc/safetynet.yaml --listen 0.0.0.0:8080
  DATABASE_URL=postgres://... safetynet serve --config prod.yaml --migrate

The server reloads its configuration on SIGHUP and when the file changes; a
bad edit keeps the running configuration and logs why. SIGTERM or SIGINT stop
it cleanly.
`

type serveCmd struct {
	m *Main

	configPath string
	listen     string
	migrate    bool
	logLevel   string
	reload     time.Duration
	evalEvery  time.Duration
	pageCache  time.Duration
	cpuProfile string
}

func (c *serveCmd) ParseFlags(args []string) error {
	fs := c.m.newFlagSet("serve", "serve [--config FILE] [--listen ADDR]", serveExamples)
	fs.StringVar(&c.configPath, "config", config.DefaultFile, "configuration `file`")
	fs.StringVar(&c.listen, "listen", "", "listen on `host:port` (overrides server.listen; default "+config.DefaultListen+")")
	fs.BoolVar(&c.migrate, "migrate", false, "apply pending database migrations to an existing database")
	fs.StringVar(&c.logLevel, "log-level", "info", "log `level`: debug, info, warn or error")
	fs.DurationVar(&c.reload, "reload-interval", 2*time.Second, "how often the config file is checked for changes")
	fs.DurationVar(&c.evalEvery, "evaluate-every", 30*time.Second, "how often metric rules, outlier groups and maintenance windows are evaluated")
	fs.StringVar(&c.cpuProfile, "cpuprofile", "", "write a Go CPU profile of the whole run to `file`, for performance reports")
	fs.DurationVar(&c.pageCache, "page-cache", 2*time.Second, "how long the public page and API answers are cached; a change made on any server drops them at once")
	if err := parse(fs, args, c.m.Stdout); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usageError{fmt.Errorf("serve takes no arguments, got %q", fs.Args())}
	}
	return nil
}

func (c *serveCmd) logger() (*slog.Logger, error) {
	var level slog.Level
	if err := level.UnmarshalText([]byte(c.logLevel)); err != nil {
		return nil, usageError{fmt.Errorf("--log-level: %w", err)}
	}
	return slog.New(slog.NewTextHandler(c.m.Stderr, &slog.HandlerOptions{Level: level})), nil
}

func (c *serveCmd) env() config.Env {
	return config.Env{Getenv: c.m.Getenv, ReadFile: os.ReadFile}
}

func (c *serveCmd) Run(ctx context.Context) error {
	log, err := c.logger()
	if err != nil {
		return err
	}
	// Under load most of the heap is long-lived (check state, the cached
	// page) and garbage comes from requests and probes: collecting a third
	// as often as the default took the page's p99 with 10,000 checks from
	// 25–35 ms to 20–25 ms for about twice the memory (BENCHMARKS.md).
	// GOGC and GOMEMLIMIT still win when set.
	if c.m.Getenv("GOGC") == "" {
		debug.SetGCPercent(300)
	}
	if c.cpuProfile != "" {
		f, err := os.Create(c.m.abs(c.cpuProfile))
		if err != nil {
			return usageError{fmt.Errorf("--cpuprofile: %w", err)}
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			return usageError{fmt.Errorf("--cpuprofile: %w", err)}
		}
		defer pprof.StopCPUProfile()
	}
	cfg, err := config.Load(c.m.abs(c.configPath), c.env())
	if err != nil {
		fmt.Fprintln(c.m.Stderr, err)
		return usageError{fmt.Errorf("configuration %s is not valid", c.configPath)}
	}
	if c.listen != "" {
		cfg.SetListen(c.listen)
	}

	now := c.m.now
	db, err := store.Open(ctx, cfg.Storage.DSN, store.Options{Migrate: c.migrate, Logger: log, Now: now})
	if err != nil {
		if errors.Is(err, store.ErrSchemaOutdated) {
			return usageError{err}
		}
		return fmt.Errorf("storage %s: %w", cfg.Storage.Redacted(), err)
	}
	defer db.Close()

	reg := prometheus.NewRegistry()
	prometheus.WrapRegistererWithPrefix("safetynet_", reg).MustRegister(
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))

	owner := instanceName()
	notifiers, err := buildNotifiers(cfg, c.env(), db)
	if err != nil {
		return usageError{err}
	}
	nm := notify.NewMetrics()
	reg.MustRegister(nm.Collectors()...)
	subEmail, err := subscriberEmail(cfg)
	if err != nil {
		return usageError{err}
	}
	subs := &incident.SubscriberNotifiers{Store: db, PageURL: cfg.Server.BaseURL, PageName: cfg.Page.Title, Email: subEmail,
		Env: notify.Env{Getenv: c.env().Getenv, ReadFile: c.env().ReadFile, AllowPrivate: cfg.AllowPrivateDestinations}}
	disp := notify.NewDispatcher(db, notifiers, notify.DispatcherOptions{Owner: owner, Logger: log, Metrics: nm, Resolve: subs.Notifier, Now: now})

	transports := probe.NewTransports(nil)
	mon := monitor.New(monitor.Options{
		Now:   now,
		Store: db,
		NewProber: func(ch *status.Check) (monitor.Prober, error) {
			return probe.New(ch, probe.Options{Transports: transports})
		},
		Owner:    owner,
		Logger:   log,
		Poke:     disp.Poke,
		Registry: reg,
		HeartbeatToken: func(ch *status.Check) (string, error) {
			return probe.HeartbeatToken(ch, c.m.Getenv, os.ReadFile)
		},
		HeartbeatGrace: probe.HeartbeatGrace,
		EvalEvery:      c.evalEvery,
	})

	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var wg sync.WaitGroup
	errc := make(chan error, 4)
	goRun := func(name string, f func(context.Context) error) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := f(ctx); err != nil && !errors.Is(err, context.Canceled) {
				errc <- fmt.Errorf("%s: %w", name, err)
			}
		}()
	}

	if cfg.DemoTarget.Listen != "" {
		addr, err := demo.New(demo.Options{Logger: log.With("part", "demo-target")}).Start(ctx, cfg.DemoTarget.Listen)
		if err != nil {
			return fmt.Errorf("demo target: %w", err)
		}
		log.Info("demo target started", "addr", "http://"+addr)
	}

	if err := mon.SetPlan(ctx, cfg.Plan); err != nil {
		return fmt.Errorf("start monitor: %w", err)
	}
	ln, err := net.Listen("tcp", cfg.Server.Listen)
	if err != nil {
		return usageError{fmt.Errorf("listen: %w", err)}
	}
	// With port 0 the address is known only now; links in alerts and feeds
	// must carry the real one.
	if c.listen != "" || strings.HasSuffix(cfg.Server.Listen, ":0") {
		cfg.SetListen(ln.Addr().String())
	}
	var planMu sync.Mutex
	current := cfg.Plan
	plan := func() status.Plan {
		planMu.Lock()
		defer planMu.Unlock()
		return current
	}
	announcer := &incident.Announcer{Subscribers: db, Outbox: db, PageID: status.Slug(cfg.Page.Title), PageURL: cfg.Server.BaseURL, Now: now,
		Components: func() []status.Component { return plan().Components },
		Indicator: func(ctx context.Context) (status.Indicator, error) {
			statuses, err := db.CurrentStatuses(ctx)
			if err != nil {
				return status.Indicator{}, err
			}
			open, err := db.Incidents(ctx, status.IncidentFilter{OpenOnly: true})
			if err != nil {
				return status.Indicator{}, err
			}
			return status.PageIndicator(statuses, open), nil
		}}
	relSettings := cfg.Releases
	releases := &release.Service{Store: db, Now: now, Logger: log.With("part", "releases"), Plan: plan, Poke: disp.Poke, Redecide: mon.Evaluate,
		Settings: func() release.Settings {
			planMu.Lock()
			defer planMu.Unlock()
			return relSettings
		}}
	engine := &incident.Engine{Store: db, Policy: cfg.Incidents, Now: now, Logger: log.With("part", "incidents"), Plan: plan, Poke: disp.Poke, Subscribers: announcer}
	api := web.New(web.Options{
		Now:      now,
		Public:   publicPage{mon: mon, store: db, page: cfg.Page, url: cfg.Server.BaseURL, plan: plan, charts: &chartCache{ttl: chartTTL}},
		Reporter: db,
		Store:    releaseStore{db, releases},
		IncidentChanged: func(ctx context.Context, id int64) {
			if n, err := announcer.IncidentByID(ctx, db, id); err != nil {
				log.Error("telling subscribers about an incident", "incident", id, "err", err)
			} else if n > 0 {
				disp.Poke()
			}
		},
		Ingester:       mon,
		Heartbeats:     mon,
		Dashboard:      dashboard{mon: mon, store: db, shared: sharedStore(db)},
		Pinger:         db,
		Registry:       reg,
		Logger:         log,
		IngestTokens:   tokenHashes(cfg),
		PublicCacheTTL: c.pageCache,
		OpenRead:       web.LoopbackOnly(cfg.Server.Listen),
		TrustedProxies: cfg.Server.TrustedProxies,
		RateLimit: web.RateLimit{PerSecond: cfg.Server.RateLimit.PerSecond, Burst: cfg.Server.RateLimit.Burst,
			Disabled: !cfg.Server.RateLimit.Enabled},
	})
	srv := web.NewHTTPServer(ln.Addr().String(), api.Handler())
	if db.Dialect() == "postgres" {
		// Other servers on the database write incidents, statuses and
		// maintenance too: drop the cached page when they do.
		changes := db.WatchChanges(ctx, store.WatchOptions{})
		go func() {
			for range changes {
				api.PublicChanged()
			}
		}()
	}

	// Whole-system tasks: each acts on the whole database (opens incidents,
	// tells subscribers, prunes), so on a database several servers share
	// one of them runs each at a time, under a lease (leased); another
	// takes over within the lease when it dies, and at once when it stops.
	// Alone on SQLite, a server runs them as it always has.
	periodic := func(name string, period time.Duration, f func(context.Context) error) {
		tlog := log.With("task", name)
		goRun(name, func(ctx context.Context) error {
			if shared := sharedStore(db); shared != nil {
				f = leased(shared, name, owner, taskLeaseTTL(period), f, tlog)
				defer func() {
					rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
					defer cancel()
					if err := shared.ReleaseLease(rctx, name, owner); err != nil {
						tlog.Warn("release the task lease at shutdown", "err", err)
					}
				}()
			}
			return every(ctx, period, f, tlog)
		})
	}

	goRun("monitor", mon.Run)
	goRun("notifier", disp.Run)
	periodic("retention", time.Hour, func(ctx context.Context) error {
		if err := db.Prune(ctx, now(), cfg.Storage.Retention); err != nil {
			return fmt.Errorf("retention: prune: %w", err)
		}
		return nil
	})
	periodic("incidents", min(c.evalEvery, 15*time.Second), engine.Tick)
	// Expired admin sessions are refused at once; the sweep only keeps the
	// table small.
	periodic("admin sessions", 10*time.Minute, api.SweepSessions)
	periodic("maintenance notices", time.Minute, func(ctx context.Context) error {
		n, err := announcer.Maintenances(ctx, db, incident.MaintenanceLead)
		if n > 0 {
			disp.Poke()
		}
		if err != nil {
			return err
		}
		// Addresses nobody confirmed within a week are not kept.
		_, err = db.DeletePendingSubscribers(ctx, now().Add(-7*24*time.Hour))
		return err
	})
	go func() {
		if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			errc <- fmt.Errorf("http: %w", err)
		}
	}()

	// Reloads: on file change and on SIGHUP. Listen address and storage are
	// read at start only; a change to them is logged, not applied.
	watcher := config.Watch(ctx, cfg.File, c.env(), c.reload, func(next *config.Config) {
		if next.Server.Listen != cfg.Server.Listen && c.listen == "" || next.Storage.DSN != cfg.Storage.DSN {
			log.Warn("config reload: listen address and storage change only on restart")
		}
		ns, err := buildNotifiers(next, c.env(), db)
		if err != nil {
			log.Error("config reload rejected", "err", err)
			return
		}
		if err := mon.SetPlan(ctx, next.Plan); err != nil {
			log.Error("config reload: monitor", "err", err)
			return
		}
		disp.SetNotifiers(ns)
		engine.SetPolicy(next.Incidents)
		planMu.Lock()
		current = next.Plan
		relSettings = next.Releases
		planMu.Unlock()
		if err := api.SetIngestTokens(tokenHashes(next)); err != nil {
			log.Error("config reload: ingest tokens", "err", err)
		}
		log.Info("config reloaded", "summary", next.Summary())
	}, func(err error) {
		log.Error("config reload failed; the running configuration stays", "err", err)
	})
	hup := make(chan os.Signal, 1)
	signal.Notify(hup, syscall.SIGHUP)
	defer signal.Stop(hup)
	go func() {
		for {
			select {
			case <-ctx.Done():
				return
			case <-hup:
				watcher.Trigger()
			}
		}
	}()

	addr := ln.Addr().String()
	log.Info("safetynet serving", "dashboard", "http://"+addr+"/", "config", cfg.File, "storage", cfg.Storage.Redacted(), "summary", cfg.Summary())
	if c.m.serveReady != nil {
		c.m.serveReady(addr)
	}

	var runErr error
	select {
	case <-ctx.Done():
	case runErr = <-errc:
		log.Error("stopping", "err", runErr)
	}
	cancel()
	shutdown, done := context.WithTimeout(context.Background(), 10*time.Second)
	defer done()
	if err := srv.Shutdown(shutdown); err != nil {
		log.Warn("http shutdown", "err", err)
	}
	wg.Wait()
	log.Info("stopped")
	return runErr
}

func (c *serveCmd) Close() error { return nil }

// buildNotifiers builds every configured notifier, or reports the first
// that cannot be built.
// Team notifiers get acknowledgement links added to their messages (never
// subscribers': customers do not acknowledge).
func buildNotifiers(cfg *config.Config, env config.Env, db *store.DB) (map[string]notify.Notifier, error) {
	out := map[string]notify.Notifier{}
	nenv := notify.Env{Getenv: env.Getenv, ReadFile: env.ReadFile, AllowPrivate: cfg.AllowPrivateDestinations}
	for _, spec := range cfg.Plan.Notifiers {
		n, err := notify.New(spec, nenv)
		if err != nil {
			return nil, err
		}
		out[spec.Name] = &incident.AckLinks{Next: n, Keys: db, BaseURL: cfg.Server.BaseURL}
	}
	return out, nil
}

func tokenHashes(cfg *config.Config) map[string]string {
	out := map[string]string{}
	for _, t := range cfg.IngestTokens {
		out[hex.EncodeToString(t.Hash[:])] = t.Name
	}
	return out
}

// sharedStore returns db when other servers may use it too.
func sharedStore(db *store.DB) *store.DB {
	if db.Dialect() == "postgres" {
		return db
	}
	return nil
}

// instanceName identifies this process in leases, so several servers on
// one database can tell their claims apart.
func instanceName() string {
	host, _ := os.Hostname()
	if host == "" {
		host = "safetynet"
	}
	return fmt.Sprintf("%s-%d", host, os.Getpid())
}

// every runs f at each interval until ctx ends, logging its failures: one
// failed pass must not stop the next.
func every(ctx context.Context, d time.Duration, f func(context.Context) error, log *slog.Logger) error {
	t := time.NewTicker(d)
	defer t.Stop()
	for {
		if err := f(ctx); err != nil && ctx.Err() == nil {
			log.Error("periodic task failed", "err", err)
		}
		select {
		case <-ctx.Done():
			return nil
		case <-t.C:
		}
	}
}

type migrateCmd struct {
	m          *Main
	configPath string
	dsn        string
}

func (c *migrateCmd) ParseFlags(args []string) error {
	fs := c.m.newFlagSet("migrate", "migrate [--config FILE | --dsn DSN]", `  safetynet migrate --config /etc/safetynet.yaml
  safetynet migrate --dsn postgres://user@db:5432/safetynet
`)
	fs.StringVar(&c.configPath, "config", config.DefaultFile, "configuration `file` whose storage to migrate")
	fs.StringVar(&c.dsn, "dsn", "", "database `DSN` to migrate instead of the config's")
	return parse(fs, args, c.m.Stdout)
}

func (c *migrateCmd) Run(ctx context.Context) error {
	dsn := c.dsn
	if dsn == "" {
		cfg, err := config.Load(c.m.abs(c.configPath), config.Env{Getenv: c.m.Getenv, ReadFile: os.ReadFile})
		if err != nil {
			fmt.Fprintln(c.m.Stderr, err)
			return usageError{fmt.Errorf("configuration %s is not valid", c.configPath)}
		}
		dsn = cfg.Storage.DSN
	}
	db, err := store.Open(ctx, dsn, store.Options{})
	if err == nil {
		fmt.Fprintln(c.m.Stdout, "database schema is up to date")
		return db.Close()
	}
	if !errors.Is(err, store.ErrSchemaOutdated) {
		return err
	}
	db, err = store.Open(ctx, dsn, store.Options{Migrate: true})
	if err != nil {
		return err
	}
	fmt.Fprintln(c.m.Stdout, "database migrated")
	return db.Close()
}

func (c *migrateCmd) Close() error { return nil }

// subscriberEmail returns the SMTP settings of the e-mail notifier named
// "subscribers", which mails status page subscribers (its "to" is
// replaced by each subscriber's address), or nil when there is none.
func subscriberEmail(cfg *config.Config) (*email.Settings, error) {
	for _, spec := range cfg.Plan.Notifiers {
		if spec.Name == "subscribers" && spec.Kind == email.Kind {
			var s email.Settings
			if err := notify.DecodeSettings(spec.Name, spec.Settings, &s); err != nil {
				return nil, err
			}
			return &s, nil
		}
	}
	return nil, nil
}
