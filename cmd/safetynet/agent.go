package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/safetynet-dev/safetynet/agent"
)

// agentCmd is `safetynet agent`: runs the checks a server assigns to one
// location and reports their results to it (docs/agents.md).
type agentCmd struct {
	m           *Main
	server      string
	location    string
	tokenFile   string
	dir         string
	maxBuffered int
	logLevel    string

	opts agent.Options
	log  *slog.Logger
}

const agentExamples = `  export SAFETYNET_TOKEN=$(cat /run/secrets/safetynet-agent)
  safetynet agent --server https://status.example.com --location eu-west
  safetynet agent --server https://status.example.com --location us-east --token-file /etc/safetynet/agent.token

Checks run where their config lists the location (locations: [local, eu-west,
us-east]); "local" is the server itself. The token needs the agent scope:
  safetynet token create --name agent.eu-west --scope agent
A token named agent.<location> may report for that location only.

Environment:
  SAFETYNET_TOKEN     the token, unless --token-file is given (never a flag:
                      flags show in ps)
  SAFETYNET_URL       the server, unless --server is given
  SAFETYNET_LOCATION  the location, unless --location is given

Results are written to a bounded buffer in the state directory before they
are sent and removed once the server has them, so an unreachable server or a
restart loses nothing (up to --max-buffered results; then the oldest go).
The state directory also keeps the last checks fetched, which may hold probe
secrets: it is created private to the user.
`

func (c *agentCmd) ParseFlags(args []string) error {
	fs := c.m.newFlagSet("agent", "agent --server URL --location NAME [flags]", agentExamples)
	fs.StringVar(&c.server, "server", "", "the server's `URL` (default $SAFETYNET_URL)")
	fs.StringVar(&c.location, "location", "", "this agent's location `name`, as the config's checks list it (default $SAFETYNET_LOCATION)")
	fs.StringVar(&c.tokenFile, "token-file", "", "read the agent token from this `file` (default $SAFETYNET_TOKEN)")
	fs.StringVar(&c.dir, "state-dir", "", "`directory` for the result buffer and the last checks fetched (default <user cache dir>/safetynet/agent-<location>)")
	fs.IntVar(&c.maxBuffered, "max-buffered", 100_000, "most results kept on disk while the server is unreachable")
	fs.StringVar(&c.logLevel, "log-level", "info", "log `level`: debug, info, warn or error")
	for _, a := range args {
		if name, _, _ := strings.Cut(strings.TrimLeft(a, "-"), "="); strings.HasPrefix(a, "-") && name == "token" {
			return usageError{errors.New("agent: the token is read from $SAFETYNET_TOKEN or --token-file, never from a flag (flags show in ps)")}
		}
	}
	if err := parse(fs, args, c.m.Stdout); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usageError{fmt.Errorf("agent takes no arguments, got %q", fs.Args())}
	}
	if c.server == "" {
		c.server = c.m.Getenv("SAFETYNET_URL")
	}
	if c.location == "" {
		c.location = c.m.Getenv("SAFETYNET_LOCATION")
	}
	if c.server == "" || c.location == "" {
		return usageError{errors.New("agent: --server and --location are required (or SAFETYNET_URL and SAFETYNET_LOCATION)")}
	}
	var level slog.Level
	if err := level.UnmarshalText([]byte(c.logLevel)); err != nil {
		return usageError{fmt.Errorf("--log-level: %w", err)}
	}
	c.log = slog.New(slog.NewTextHandler(c.m.Stderr, &slog.HandlerOptions{Level: level}))

	token := strings.TrimSpace(c.m.Getenv("SAFETYNET_TOKEN"))
	if c.tokenFile != "" {
		b, err := os.ReadFile(c.m.abs(c.tokenFile))
		if err != nil {
			return fmt.Errorf("agent: token file: %w", err)
		}
		token = strings.TrimSpace(string(b))
	}
	if token == "" {
		return usageError{errors.New("agent: no token: set SAFETYNET_TOKEN or pass --token-file (safetynet token create --name agent." + c.location + " --scope agent)")}
	}
	dir := c.dir
	if dir == "" {
		cache, err := os.UserCacheDir()
		if err != nil {
			return fmt.Errorf("agent: no --state-dir and no user cache directory: %w", err)
		}
		dir = filepath.Join(cache, "safetynet", "agent-"+c.location)
	}
	c.opts = agent.Options{
		Server: c.server, Token: token, Location: c.location, Dir: c.m.abs(dir),
		MaxBuffered: c.maxBuffered, Logger: c.log,
	}
	if c.m.Now != nil {
		c.opts.Now = c.m.Now
	}
	return nil
}

func (c *agentCmd) Run(ctx context.Context) error {
	a, err := agent.New(c.opts)
	if err != nil {
		return err
	}
	c.log.Info("agent: started", "server", c.opts.Server, "location", c.opts.Location, "state_dir", c.opts.Dir)
	start := time.Now()
	err = a.Run(ctx)
	batches, results, dropped := a.Buffered()
	c.log.Info("agent: stopped", "ran_for", time.Since(start).Round(time.Second), "batches_waiting", batches, "results_waiting", results, "results_dropped", dropped)
	return err
}

func (c *agentCmd) Close() error { return nil }
