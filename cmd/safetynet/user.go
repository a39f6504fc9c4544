package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/safetynet-dev/safetynet/config"
	"github.com/safetynet-dev/safetynet/status"
)

// userCmd is `safetynet user create|list|disable`: the people who may sign
// in to the admin web UI at /admin, kept in the server's database with
// bcrypt password hashes.
type userCmd struct {
	tokenCmd // the flags --config and --dsn, and open
}

const userExamples = `  echo "$PASSWORD" | safetynet user create --config safetynet.yaml --name alice
  safetynet user create --name alice        (prompts for the password on a terminal)
  safetynet user list --config safetynet.yaml
  safetynet user disable alice

create reads the password from the first line of stdin, or asks for it on a
terminal. It needs 10 to 72 characters; only its bcrypt hash is stored.
disable signs the user out everywhere and refuses further logins.
`

func (c *userCmd) ParseFlags(args []string) error {
	fs := c.m.newFlagSet("user", "user create|list|disable [flags]", userExamples)
	fs.StringVar(&c.file, "config", config.DefaultFile, "the server's configuration `file`, for its database")
	fs.StringVar(&c.dsn, "dsn", "", "database `DSN` to use instead of the config's")
	if len(args) == 0 {
		fs.SetOutput(c.m.Stderr)
		fs.Usage()
		return usageError{errors.New("user: missing subcommand (create, list, disable)")}
	}
	c.sub = args[0]
	switch c.sub {
	case "create":
		fs.StringVar(&c.name, "name", "", "the user's `name`, used to sign in and shown as the author of updates")
	case "list":
		fs.BoolVar(&c.json, "json", false, "print JSON instead of a table")
	case "disable":
		fs.StringVar(&c.name, "name", "", "the `name` of the user to disable (or give it as an argument)")
	case "-h", "-help", "--help", "help":
		return parse(fs, []string{"--help"}, c.m.Stdout)
	default:
		fs.SetOutput(c.m.Stderr)
		fs.Usage()
		return usageError{fmt.Errorf("user: unknown subcommand %q (create, list, disable)", c.sub)}
	}
	if err := parse(fs, args[1:], c.m.Stdout); err != nil {
		return err
	}
	switch {
	case c.sub == "disable" && fs.NArg() == 1 && c.name == "":
		c.name = fs.Arg(0)
	case fs.NArg() > 0:
		return usageError{fmt.Errorf("user %s: unexpected argument(s) %q", c.sub, fs.Args())}
	}
	if c.name == "" && c.sub != "list" {
		return usageError{fmt.Errorf("user %s: name the user with --name", c.sub)}
	}
	if c.sub == "create" {
		u := status.User{Name: c.name, PasswordHash: "$2a$04$" + strings.Repeat("a", 53)}
		if err := u.Validate(); err != nil {
			return usageError{fmt.Errorf("user create: %v", err)}
		}
	}
	return nil
}

func (c *userCmd) Run(ctx context.Context) error {
	var password string
	if c.sub == "create" {
		// Read the password before opening the database, so a missing
		// password fails fast and leaves nothing behind.
		p, err := c.readPassword()
		if err != nil {
			return err
		}
		password = p
	}
	if err := c.open(ctx); err != nil {
		return err
	}
	switch c.sub {
	case "create":
		return c.create(ctx, password)
	case "list":
		return c.list(ctx)
	default:
		return c.disable(ctx)
	}
}

// readPassword reads the first line of stdin. On a terminal it asks for
// the password and turns echo off (with stty) while it is typed.
func (c *userCmd) readPassword() (string, error) {
	f, isFile := c.m.Stdin.(*os.File)
	tty := false
	if isFile {
		// A character device that stty can switch echo off on is a
		// terminal; /dev/null is a character device too, but not that.
		if fi, err := f.Stat(); err == nil && fi.Mode()&os.ModeCharDevice != 0 {
			tty = echoOff(f)
		}
	}
	if tty {
		fmt.Fprint(c.m.Stderr, "Password for "+c.name+": ")
		defer func() { echoOn(f); fmt.Fprintln(c.m.Stderr) }()
	}
	line, err := bufio.NewReader(io.LimitReader(c.m.Stdin, 4096)).ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return "", fmt.Errorf("user create: read the password: %w", err)
	}
	line = strings.TrimRight(line, "\r\n")
	if line == "" {
		return "", usageError{errors.New("user create: no password on stdin: pipe it in (echo \"$PASSWORD\" | safetynet user create ...) or run on a terminal")}
	}
	return line, nil
}

func echoOff(f *os.File) bool {
	cmd := exec.Command("stty", "-echo")
	cmd.Stdin = f
	return cmd.Run() == nil
}

func echoOn(f *os.File) {
	cmd := exec.Command("stty", "echo")
	cmd.Stdin = f
	_ = cmd.Run()
}

func (c *userCmd) create(ctx context.Context, password string) error {
	hash, err := status.HashPassword(password)
	if err != nil {
		return usageError{fmt.Errorf("user create: %v", err)}
	}
	u, err := c.db.CreateUser(ctx, status.User{Name: c.name, PasswordHash: hash})
	if err != nil {
		return err
	}
	fmt.Fprintf(c.m.Stdout, "created user %q; sign in at /admin/login\n", u.Name)
	return nil
}

func (c *userCmd) list(ctx context.Context) error {
	us, err := c.db.ListUsers(ctx)
	if err != nil {
		return err
	}
	if c.json {
		if us == nil {
			us = []status.User{}
		}
		enc := json.NewEncoder(c.m.Stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(us)
	}
	if len(us) == 0 {
		fmt.Fprintln(c.m.Stderr, "no users: make one with `safetynet user create --name NAME`")
		return nil
	}
	tw := tabwriter.NewWriter(c.m.Stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "NAME\tCREATED\tDISABLED")
	for _, u := range us {
		fmt.Fprintf(tw, "%s\t%s\t%s\n", u.Name, u.CreatedAt.Format(time.RFC3339), timeOrDash(u.DisabledAt))
	}
	return tw.Flush()
}

func (c *userCmd) disable(ctx context.Context) error {
	if err := c.db.DisableUser(ctx, c.name, time.Now()); err != nil {
		return err
	}
	fmt.Fprintf(c.m.Stdout, "disabled user %q and ended its sessions\n", c.name)
	return nil
}
