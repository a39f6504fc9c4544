package main

import (
	"context"
	"fmt"
	"log/slog"
	"net"
	"time"

	"github.com/safetynet-dev/safetynet/demo"
)

const demoExamples = `  safetynet demo-target                          serve on 127.0.0.1:8081
  safetynet demo-target --listen 127.0.0.1:9000

Then, from another shell:
  curl localhost:8081/health                       {"status":"UP","users":1003}
  curl -X POST localhost:8081/admin/lose-users     users drop to 5%; health stays green
  curl -X POST localhost:8081/admin/fail           health answers 503
  curl -X POST localhost:8081/admin/slow           every answer takes 1.5s longer
  curl -X POST localhost:8081/admin/reset          all switches off
  curl localhost:8081/admin/webhook-sink           webhooks received (the last 100)
`

// demoCmd runs the demo target that examples/safetynet.yaml checks.
type demoCmd struct {
	m *Main

	listen    string
	users     int
	slowDelay time.Duration
}

func (c *demoCmd) ParseFlags(args []string) error {
	fs := c.m.newFlagSet("demo-target", "demo-target [flags]", demoExamples)
	fs.StringVar(&c.listen, "listen", "127.0.0.1:8081", "`address` to listen on")
	fs.IntVar(&c.users, "users", 1000, "usual user `count`")
	fs.DurationVar(&c.slowDelay, "slow-delay", 1500*time.Millisecond, "latency /admin/slow adds")
	if err := parse(fs, args, c.m.Stdout); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usageError{fmt.Errorf("demo-target takes no arguments, got %q", fs.Arg(0))}
	}
	if c.users <= 0 || c.slowDelay <= 0 {
		return usageError{fmt.Errorf("--users and --slow-delay must be positive")}
	}
	return nil
}

func (c *demoCmd) Run(ctx context.Context) error {
	log := slog.New(slog.NewTextHandler(c.m.Stderr, nil))
	t := demo.New(demo.Options{Users: c.users, SlowDelay: c.slowDelay, Logger: log})
	ln, err := net.Listen("tcp", c.listen)
	if err != nil {
		return fmt.Errorf("demo-target: %w", err)
	}
	fmt.Fprintf(c.m.Stdout, "safetynet demo target on http://%s (health: /health, users: /api/users/count, switches: POST /admin/{fail,slow,lose-users,reset}); Ctrl-C stops it\n", ln.Addr())
	return t.Serve(ctx, ln)
}

func (c *demoCmd) Close() error { return nil }
