package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"

	"github.com/safetynet-dev/safetynet"
	"github.com/safetynet-dev/safetynet/config"
	// The notifier kinds a config may name: config validates settings
	// through notify.New, which knows only the channels linked in.
	_ "github.com/safetynet-dev/safetynet/notify/slack"
	_ "github.com/safetynet-dev/safetynet/notify/webhook"
)

// configCmd is `safetynet config check`: validate a server configuration
// without starting anything, for editors, pre-commit hooks and CI.
type configCmd struct {
	m    *Main
	file string
}

const configExamples = `  safetynet config check
  safetynet config check --config /etc/safetynet/safetynet.yaml
  DATABASE_URL=postgres://... safetynet config check --config prod.yaml

Prints "ok: ..." with what the file declares and exits 0, or prints every
problem as file:line:col: message and exits 3.
`

func (c *configCmd) ParseFlags(args []string) error {
	fs := c.m.newFlagSet("config", "config check [--config FILE]", configExamples)
	fs.StringVar(&c.file, "config", config.DefaultFile, "the server's configuration `file`")
	if len(args) == 0 {
		fs.SetOutput(c.m.Stderr)
		fs.Usage()
		return usageError{errors.New("config: missing subcommand (check)")}
	}
	switch args[0] {
	case "check":
		args = args[1:]
	case "-h", "-help", "--help", "help":
		return parse(fs, []string{"--help"}, c.m.Stdout)
	default:
		fs.SetOutput(c.m.Stderr)
		fs.Usage()
		return usageError{fmt.Errorf("config: unknown subcommand %q (check)", args[0])}
	}
	if err := parse(fs, args, c.m.Stdout); err != nil {
		return err
	}
	switch fs.NArg() {
	case 0:
	case 1:
		// `config check FILE` reads as naturally as --config FILE.
		if isFlagSet(fs, "config") {
			return usageError{errors.New("config check: give the file once, as --config FILE or as an argument")}
		}
		c.file = fs.Arg(0)
	default:
		return usageError{fmt.Errorf("config check: one file at a time, got %d", fs.NArg())}
	}
	return nil
}

func isFlagSet(fs *flag.FlagSet, name string) bool {
	set := false
	fs.Visit(func(f *flag.Flag) { set = set || f.Name == name })
	return set
}

func (c *configCmd) Run(ctx context.Context) error {
	path := c.file
	if !filepath.IsAbs(path) {
		path = filepath.Join(c.m.Dir, path)
	}
	cfg, err := config.Load(path, config.Env{Getenv: c.m.Getenv, ReadFile: os.ReadFile})
	if err != nil {
		var errs config.Errors
		if !errors.As(err, &errs) {
			return err
		}
		for _, e := range errs {
			// Name the file as the user wrote it, not as it was resolved.
			e.File = c.file
			fmt.Fprintln(c.m.Stderr, e)
		}
		fmt.Fprintf(c.m.Stderr, "%s: %d problem%s\n", c.file, len(errs), configPlural(len(errs)))
		return exitError{safetynet.ExitUsage}
	}
	fmt.Fprintf(c.m.Stdout, "ok: %s (%s)\n", cfg.Summary(), c.file)
	return nil
}

func configPlural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}

func (c *configCmd) Close() error { return nil }
