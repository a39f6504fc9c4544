package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/safetynet-dev/safetynet/config"
	"github.com/safetynet-dev/safetynet/status"
	"github.com/safetynet-dev/safetynet/store"
)

// tokenCmd is `safetynet token create|list|revoke`: API tokens of the admin
// API, kept in the server's database as SHA-256 digests.
type tokenCmd struct {
	m      *Main
	sub    string
	file   string
	dsn    string
	name   string
	scopes listFlag
	json   bool

	db *store.DB
}

const tokenExamples = `  safetynet token create --config safetynet.yaml --name ci --scope write
  safetynet token create --name grafana --scope read
  safetynet token list --config safetynet.yaml
  safetynet token revoke ci

create prints the new token once, on stdout alone so a script can capture it:
  TOKEN=$(safetynet token create --name ci --scope write)
Only its SHA-256 digest is stored; a lost token cannot be shown again, only
revoked and replaced. Scopes: read (GET routes), write (incidents,
maintenance, known issues; includes read), deploy, ingest, agent (safetynet
agent; name it agent.<location> to bind it to one location). Send a token as
  Authorization: Bearer <token>
`

func (c *tokenCmd) ParseFlags(args []string) error {
	fs := c.m.newFlagSet("token", "token create|list|revoke [flags]", tokenExamples)
	fs.StringVar(&c.file, "config", config.DefaultFile, "the server's configuration `file`, for its database")
	fs.StringVar(&c.dsn, "dsn", "", "database `DSN` to use instead of the config's")
	if len(args) == 0 {
		fs.SetOutput(c.m.Stderr)
		fs.Usage()
		return usageError{errors.New("token: missing subcommand (create, list, revoke)")}
	}
	c.sub = args[0]
	switch c.sub {
	case "create":
		fs.StringVar(&c.name, "name", "", "the token's `name`, shown in logs and as the author of what it writes")
		fs.Var(&c.scopes, "scope", "what the token may do: read, write, deploy, ingest, agent (repeat or separate with commas)")
	case "list":
		fs.BoolVar(&c.json, "json", false, "print JSON instead of a table")
	case "revoke":
		fs.StringVar(&c.name, "name", "", "the `name` of the token to revoke (or give it as an argument)")
	case "-h", "-help", "--help", "help":
		return parse(fs, []string{"--help"}, c.m.Stdout)
	default:
		fs.SetOutput(c.m.Stderr)
		fs.Usage()
		return usageError{fmt.Errorf("token: unknown subcommand %q (create, list, revoke)", c.sub)}
	}
	if err := parse(fs, args[1:], c.m.Stdout); err != nil {
		return err
	}
	switch {
	case c.sub == "revoke" && fs.NArg() == 1 && c.name == "":
		c.name = fs.Arg(0)
	case fs.NArg() > 0:
		return usageError{fmt.Errorf("token %s: unexpected argument(s) %q", c.sub, fs.Args())}
	}
	switch c.sub {
	case "create":
		if c.name == "" {
			return usageError{errors.New("token create: --name is required")}
		}
		if len(c.scopes) == 0 {
			return usageError{errors.New("token create: --scope is required (read, write, deploy, ingest, agent)")}
		}
		if _, err := status.ParseScopes(strings.Join(c.scopes, ",")); err != nil {
			return usageError{fmt.Errorf("token create: %v", err)}
		}
	case "revoke":
		if c.name == "" {
			return usageError{errors.New("token revoke: name the token: token revoke NAME")}
		}
	}
	return nil
}

// open opens the database named by --dsn or by the config's storage. It
// does not migrate: a database on an older schema is refused with the
// advice to run `safetynet migrate`.
func (c *tokenCmd) open(ctx context.Context) error {
	dsn := c.dsn
	if dsn == "" {
		cfg, err := config.Load(c.m.abs(c.file), config.Env{Getenv: c.m.Getenv, ReadFile: os.ReadFile})
		if err != nil {
			fmt.Fprintln(c.m.Stderr, err)
			return usageError{fmt.Errorf("configuration %s is not valid", c.file)}
		}
		dsn = cfg.Storage.DSN
	}
	log := slog.New(slog.NewTextHandler(c.m.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	db, err := store.Open(ctx, dsn, store.Options{Logger: log})
	if err != nil {
		return err
	}
	c.db = db
	return nil
}

func (c *tokenCmd) Run(ctx context.Context) error {
	if err := c.open(ctx); err != nil {
		return err
	}
	switch c.sub {
	case "create":
		return c.create(ctx)
	case "list":
		return c.list(ctx)
	default:
		return c.revoke(ctx)
	}
}

func (c *tokenCmd) create(ctx context.Context) error {
	scopes, err := status.ParseScopes(strings.Join(c.scopes, ","))
	if err != nil {
		return usageError{err}
	}
	secret, hash, err := status.NewTokenSecret()
	if err != nil {
		return err
	}
	tok, err := c.db.CreateToken(ctx, status.Token{Name: c.name, Hash: hash, Scopes: scopes})
	if err != nil {
		return err
	}
	// The secret alone on stdout; the words around it on stderr.
	fmt.Fprintln(c.m.Stdout, secret)
	fmt.Fprintf(c.m.Stderr, "created token %q with scope %s; keep it now: it is not shown again\n", tok.Name, scopeList(tok.Scopes))
	return nil
}

func (c *tokenCmd) list(ctx context.Context) error {
	ts, err := c.db.ListTokens(ctx)
	if err != nil {
		return err
	}
	if c.json {
		if ts == nil {
			ts = []status.Token{}
		}
		enc := json.NewEncoder(c.m.Stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(ts)
	}
	if len(ts) == 0 {
		fmt.Fprintln(c.m.Stderr, "no tokens: make one with `safetynet token create --name NAME --scope read`")
		return nil
	}
	tw := tabwriter.NewWriter(c.m.Stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "NAME\tSCOPES\tCREATED\tLAST USED\tREVOKED")
	for _, t := range ts {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", t.Name, scopeList(t.Scopes), t.CreatedAt.Format(time.RFC3339), timeOrDash(t.LastUsedAt), timeOrDash(t.RevokedAt))
	}
	return tw.Flush()
}

func (c *tokenCmd) revoke(ctx context.Context) error {
	if err := c.db.RevokeToken(ctx, c.name, time.Now()); err != nil {
		return err
	}
	fmt.Fprintf(c.m.Stdout, "revoked token %q\n", c.name)
	return nil
}

func (c *tokenCmd) Close() error {
	if c.db == nil {
		return nil
	}
	return c.db.Close()
}

func scopeList(ss []status.Scope) string {
	parts := make([]string, len(ss))
	for i, s := range ss {
		parts[i] = string(s)
	}
	return strings.Join(parts, ",")
}

func timeOrDash(t *time.Time) string {
	if t == nil {
		return "-"
	}
	return t.UTC().Format(time.RFC3339)
}
