package probe

import (
	"bytes"
	"context"
	"encoding/json"
	"strings"
	"time"

	"github.com/safetynet-dev/safetynet/status"
)

// MinTokenLength is the shortest heartbeat token accepted: the token is the
// only thing standing between the internet and a green heartbeat.
const MinTokenLength = 16

// heartbeatProber stands in for heartbeat checks, which are pushed to by
// jobs rather than probed; the monitor judges them by HeartbeatGrace.
type heartbeatProber struct{}

func (heartbeatProber) Probe(context.Context) status.Result {
	return status.Result{Error: "heartbeat checks are not probed: the job calls the heartbeat URL"}
}

func heartbeatSpec(c *status.Check) (*HeartbeatSpec, error) {
	if c.Kind != status.KindHeartbeat {
		return nil, invalid(c, "not a heartbeat check")
	}
	s := &HeartbeatSpec{}
	if len(c.Spec) > 0 {
		d := json.NewDecoder(bytes.NewReader(c.Spec))
		d.DisallowUnknownFields()
		if err := d.Decode(s); err != nil {
			return nil, invalid(c, "spec: %v", err)
		}
	}
	return s, nil
}

func heartbeatGrace(c *status.Check, s *HeartbeatSpec) (time.Duration, error) {
	if s.Grace <= 0 {
		return 0, invalid(c, "grace must be a positive duration, e.g. grace: 10m (how long the job may stay silent)")
	}
	return time.Duration(s.Grace), nil
}

func checkTokenSource(c *status.Check, s *HeartbeatSpec) error {
	if (s.TokenEnv == "") == (s.TokenFile == "") {
		return invalid(c, "set exactly one of token_env and token_file (the token is a secret, so it never sits in the config)")
	}
	return nil
}

// HeartbeatGrace returns how long a heartbeat check may stay silent before
// it counts as failed.
func HeartbeatGrace(c *status.Check) (time.Duration, error) {
	s, err := heartbeatSpec(c)
	if err != nil {
		return 0, err
	}
	return heartbeatGrace(c, s)
}

// HeartbeatToken reads a heartbeat check's token from the environment
// variable or file its spec names, through getenv and readFile (os.Getenv
// and os.ReadFile in production). Surrounding blanks are trimmed; a token
// must be at least MinTokenLength characters of A-Z a-z 0-9 - _ . ~, as it
// is a path segment of the heartbeat URL.
func HeartbeatToken(c *status.Check, getenv func(string) string, readFile func(string) ([]byte, error)) (string, error) {
	s, err := heartbeatSpec(c)
	if err != nil {
		return "", err
	}
	if err := checkTokenSource(c, s); err != nil {
		return "", err
	}
	var tok, from string
	if s.TokenEnv != "" {
		tok, from = getenv(s.TokenEnv), "environment variable "+s.TokenEnv
	} else {
		b, err := readFile(s.TokenFile)
		if err != nil {
			return "", invalid(c, "token_file: %v", err)
		}
		tok, from = string(b), "token_file "+s.TokenFile
	}
	tok = strings.TrimSpace(tok)
	switch {
	case tok == "":
		return "", invalid(c, "%s is empty", from)
	case len(tok) < MinTokenLength:
		return "", invalid(c, "the token in %s is %d characters; use at least %d (e.g. openssl rand -hex 16)", from, len(tok), MinTokenLength)
	}
	for _, r := range tok {
		if !(r >= 'A' && r <= 'Z' || r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || strings.ContainsRune("-_.~", r)) {
			return "", invalid(c, "the token in %s holds %q; use only letters, digits, '-', '_', '.' and '~'", from, r)
		}
	}
	return tok, nil
}
