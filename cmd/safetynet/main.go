// Command safetynet scans CloudFormation templates before deploy and watches
// services after deploy. Run `safetynet help` for the subcommands.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"sort"
	"strings"
	"syscall"
	"time"

	"github.com/safetynet-dev/safetynet"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	m := NewMain()
	code := m.Main(ctx, os.Args[1:])
	stop()
	os.Exit(code)
}

// Main is the program: it holds the process's streams and environment so an
// end-to-end test can run any subcommand in-process.
type Main struct {
	Stdin  io.Reader
	Stdout io.Writer
	Stderr io.Writer
	// Getenv reads the environment (NO_COLOR, GITHUB_STEP_SUMMARY, ...).
	Getenv func(string) string
	// Dir is the working directory; relative paths are read from it.
	Dir string

	cmd command
	// serveReady, when set (by tests), receives the address serve listens
	// on once it accepts connections.
	serveReady func(addr string)
	// Now is the server's clock; nil means time.Now. Tests move it forward
	// to see what happens ten minutes later without waiting ten minutes.
	Now func() time.Time
}

func (m *Main) now() time.Time {
	if m.Now != nil {
		return m.Now()
	}
	return time.Now()
}

// abs resolves a path against the working directory.
func (m *Main) abs(p string) string {
	if filepath.IsAbs(p) {
		return p
	}
	return filepath.Join(m.Dir, p)
}

// command is one subcommand. ParseFlags reads its arguments; Run does the
// work; Close releases what Run opened.
type command interface {
	ParseFlags(args []string) error
	Run(ctx context.Context) error
	Close() error
}

// commandInfo describes a subcommand for help and dispatch.
type commandInfo struct {
	name    string
	summary string
	new     func(*Main) command
}

var commands = []commandInfo{
	{"scan", "scan CloudFormation templates for security and deploy problems", func(m *Main) command { return &scanCmd{m: m} }},
	{"rules", "list the rules", func(m *Main) command { return &rulesCmd{m: m} }},
	{"explain", "explain a rule by ID or cfn_nag alias", func(m *Main) command { return &explainCmd{m: m} }},
	{"version", "print the version", func(m *Main) command { return &versionCmd{m: m} }},
	{"config", "check the server's configuration file (config check --config FILE)", func(m *Main) command { return &configCmd{m: m} }},
	{"serve", "run the monitor: checks, metrics, alerts and the dashboard", func(m *Main) command { return &serveCmd{m: m} }},
	{"agent", "run the checks of one location and report them to a server (agent --server URL --location NAME)", func(m *Main) command { return &agentCmd{m: m} }},
	{"migrate", "apply pending database migrations", func(m *Main) command { return &migrateCmd{m: m} }},
	{"token", "create, list and revoke admin API tokens", func(m *Main) command { return &tokenCmd{m: m} }},
	{"user", "create, list and disable users of the admin web UI", func(m *Main) command { return &userCmd{tokenCmd{m: m}} }},
	{"deploy", "record a deployment of a service's version (deploy record)", func(m *Main) command { return &deployCmd{m: m} }},
	{"gate", "decide by the release policy whether a version may ship (exit 0 ship, 1 hold, 2 cannot decide)", func(m *Main) command { return &gateCmd{m: m} }},
	{"demo-target", "run a small service to point checks at (health, user count, failure switches)", func(m *Main) command { return &demoCmd{m: m} }},
}

// NewMain returns a Main wired to the process.
func NewMain() *Main {
	dir, _ := os.Getwd()
	return &Main{Stdin: os.Stdin, Stdout: os.Stdout, Stderr: os.Stderr, Getenv: os.Getenv, Dir: dir}
}

// Main parses args, runs the subcommand, closes it and returns the exit
// status.
func (m *Main) Main(ctx context.Context, args []string) int {
	if err := m.ParseFlags(args); err != nil {
		return m.exit(err)
	}
	err := m.Run(ctx)
	if cerr := m.Close(); err == nil {
		err = cerr
	}
	return m.exit(err)
}

// ParseFlags picks the subcommand and parses its flags.
func (m *Main) ParseFlags(args []string) error {
	if len(args) == 0 {
		m.usage(m.Stderr)
		return usageError{errors.New("no subcommand given")}
	}
	name := args[0]
	switch name {
	case "help", "-h", "-help", "--help":
		if len(args) > 1 {
			return m.ParseFlags([]string{args[1], "--help"})
		}
		m.usage(m.Stdout)
		return errHelp
	case "-version", "--version":
		name = "version"
	}
	for _, c := range commands {
		if c.name == name {
			m.cmd = c.new(m)
			return m.cmd.ParseFlags(args[1:])
		}
	}
	m.usage(m.Stderr)
	return usageError{fmt.Errorf("unknown subcommand %q", name)}
}

// Run runs the parsed subcommand.
func (m *Main) Run(ctx context.Context) error {
	if m.cmd == nil {
		return errors.New("no subcommand parsed")
	}
	return m.cmd.Run(ctx)
}

// Close releases what the subcommand opened.
func (m *Main) Close() error {
	if m.cmd == nil {
		return nil
	}
	return m.cmd.Close()
}

func (m *Main) usage(w io.Writer) {
	fmt.Fprintf(w, "safetynet %s: safety nets for teams that ship CloudFormation continuously.\n\nUsage:\n  safetynet <command> [flags]\n\nCommands:\n", safetynet.Version)
	cs := append([]commandInfo(nil), commands...)
	sort.Slice(cs, func(i, j int) bool { return cs[i].name < cs[j].name })
	for _, c := range cs {
		fmt.Fprintf(w, "  %-12s %s\n", c.name, c.summary)
	}
	fmt.Fprintf(w, "\nRun 'safetynet <command> --help' for a command's flags and examples.\n")
}

// errHelp means help was asked for and printed: exit 0.
var errHelp = errors.New("help printed")

// usageError is a problem with flags or configuration: exit 3.
type usageError struct{ err error }

func (e usageError) Error() string { return e.err.Error() }
func (e usageError) Unwrap() error { return e.err }

// exitError carries an exit status chosen by a command.
type exitError struct{ code int }

func (e exitError) Error() string { return fmt.Sprintf("exit status %d", e.code) }

// exit maps an error to the exit status, in one place.
func (m *Main) exit(err error) int {
	var ue usageError
	var ee exitError
	switch {
	case err == nil, errors.Is(err, errHelp):
		return safetynet.ExitOK
	case errors.As(err, &ee):
		return ee.code
	case errors.As(err, &ue):
		fmt.Fprintf(m.Stderr, "safetynet: %v\n", err)
		return safetynet.ExitUsage
	case errors.Is(err, context.Canceled):
		fmt.Fprintln(m.Stderr, "safetynet: interrupted")
		return safetynet.ExitInput
	default:
		fmt.Fprintf(m.Stderr, "safetynet: %v\n", err)
		return safetynet.ExitInput
	}
}

// newFlagSet returns a flag set whose help text shows the examples.
func (m *Main) newFlagSet(name, synopsis, examples string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(m.Stderr)
	fs.Usage = func() {
		w := fs.Output()
		fmt.Fprintf(w, "Usage: safetynet %s\n\nFlags:\n", synopsis)
		fs.PrintDefaults()
		if examples != "" {
			fmt.Fprintf(w, "\nExamples:\n%s", examples)
		}
	}
	return fs
}

// parse parses flags, turning -h into errHelp (help goes to stdout) and
// other problems into usage errors.
func parse(fs *flag.FlagSet, args []string, stdout io.Writer) error {
	for _, a := range args {
		if a == "-h" || a == "-help" || a == "--help" {
			fs.SetOutput(stdout)
			fs.Usage()
			return errHelp
		}
		if a == "--" {
			break
		}
	}
	// Flags may follow paths ("scan templates/ --format json"), so parse
	// again after each positional argument and keep the positionals.
	var positional []string
	for {
		if err := fs.Parse(args); err != nil {
			return usageError{err}
		}
		rest := fs.Args()
		if len(rest) == 0 {
			break
		}
		if len(rest) < len(args) && args[len(args)-len(rest)-1] == "--" {
			positional = append(positional, rest...)
			break
		}
		positional = append(positional, rest[0])
		args = rest[1:]
	}
	// Leave the positionals where fs.Args finds them.
	return fs.Parse(append([]string{"--"}, positional...))
}

// listFlag collects a repeatable flag, splitting comma-separated values.
type listFlag []string

func (l *listFlag) String() string { return strings.Join(*l, ",") }
func (l *listFlag) Set(s string) error {
	for _, part := range strings.Split(s, ",") {
		if part = strings.TrimSpace(part); part != "" {
			*l = append(*l, part)
		}
	}
	return nil
}
