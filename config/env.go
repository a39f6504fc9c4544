package config

import (
	"fmt"
	"os"
	"regexp"
	"strings"
)

// Env is what a configuration may read besides its own file: environment
// variables (for ${NAME}) and files (the config itself, token files). A nil
// field uses the process's own, so the zero Env reads the real environment;
// tests pass maps.
type Env struct {
	Getenv   func(string) string
	ReadFile func(string) ([]byte, error)
}

func (e Env) getenv(name string) string {
	if e.Getenv == nil {
		return os.Getenv(name)
	}
	return e.Getenv(name)
}

func (e Env) readFile(name string) ([]byte, error) {
	if e.ReadFile == nil {
		return os.ReadFile(name)
	}
	return e.ReadFile(name)
}

var envNameRE = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)

// expansion records one ${NAME} that took its value from the environment,
// so that value can be scrubbed from every error message: a secret must not
// come back in a log line because a neighbouring field was mistyped.
type expansion struct {
	name, value string
}

// expand replaces ${NAME} and ${NAME:-default} in s. "$${" stands for a
// literal "${"; any other '$' is kept as written, so passwords with a dollar
// sign need no escaping. An empty variable counts as unset (the process
// environment cannot tell them apart reliably across platforms).
func expand(s string, getenv func(string) string) (string, []expansion, error) {
	if !strings.Contains(s, "${") {
		return s, nil, nil
	}
	var b strings.Builder
	var used []expansion
	for {
		i := strings.Index(s, "${")
		if i < 0 {
			b.WriteString(s)
			return b.String(), used, nil
		}
		if i > 0 && s[i-1] == '$' {
			b.WriteString(s[:i-1])
			b.WriteString("${")
			s = s[i+2:]
			continue
		}
		b.WriteString(s[:i])
		end := strings.IndexByte(s[i:], '}')
		if end < 0 {
			return "", nil, fmt.Errorf("%q has no closing '}' (write $${ for a literal ${)", s[i:])
		}
		expr := s[i+2 : i+end]
		s = s[i+end+1:]
		name, def, hasDef := strings.Cut(expr, ":-")
		if !envNameRE.MatchString(name) {
			return "", nil, fmt.Errorf("${%s}: %q is not an environment variable name", expr, name)
		}
		v := getenv(name)
		switch {
		case v != "":
			used = append(used, expansion{name, v})
		case hasDef:
			v = def
		default:
			return "", nil, fmt.Errorf("environment variable %s is not set (write ${%s:-default} to give a default)", name, name)
		}
		b.WriteString(v)
	}
}

// redact replaces every value taken from the environment with the ${NAME}
// it came from. Very short values are left alone: they are not secrets,
// and scrubbing "1" would garble every number in the message.
func redact(msg string, used []expansion) string {
	for _, u := range used {
		if len(u.value) >= 4 {
			msg = strings.ReplaceAll(msg, u.value, "${"+u.name+"}")
		}
	}
	return msg
}
