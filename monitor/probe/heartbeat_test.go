package probe_test

import (
	"context"
	"errors"
	"io/fs"
	"strings"
	"testing"
	"time"

	"github.com/safetynet-dev/safetynet/monitor/probe"
	"github.com/safetynet-dev/safetynet/status"
)

func TestHeartbeat(t *testing.T) {
	env := map[string]string{"BACKUP_TOKEN": "  0123456789abcdef0123\n", "SHORT": "abc", "BAD": "0123456789abcdef/x"}
	files := map[string]string{"/run/secrets/hb": "fedcba9876543210fedcba\n"}
	getenv := func(k string) string { return env[k] }
	readFile := func(p string) ([]byte, error) {
		if s, ok := files[p]; ok {
			return []byte(s), nil
		}
		return nil, &fs.PathError{Op: "open", Path: p, Err: fs.ErrNotExist}
	}
	tests := []struct {
		name  string
		spec  string
		grace time.Duration
		token string
		err   string
	}{
		{"env", `{"grace":"90m","token_env":"BACKUP_TOKEN"}`, 90 * time.Minute, "0123456789abcdef0123", ""},
		{"file", `{"grace":"2d","token_file":"/run/secrets/hb"}`, 48 * time.Hour, "fedcba9876543210fedcba", ""},
		{"unset env", `{"grace":"1h","token_env":"NOPE"}`, time.Hour, "", "environment variable NOPE is empty"},
		{"short token", `{"grace":"1h","token_env":"SHORT"}`, time.Hour, "", "is 3 characters; use at least 16"},
		{"token unfit for a URL", `{"grace":"1h","token_env":"BAD"}`, time.Hour, "", `holds '/'`},
		{"missing file", `{"grace":"1h","token_file":"/nope"}`, time.Hour, "", "token_file: open /nope: file does not exist"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := check(t, status.KindHeartbeat, "", nil)
			c.Spec = []byte(tt.spec)
			p := MustProber(t, c, probe.Options{})
			if r := p.Probe(context.Background()); r.OK {
				t.Error("a heartbeat prober must not report success by itself")
			}
			g, err := probe.HeartbeatGrace(c)
			if err != nil || g != tt.grace {
				t.Errorf("grace = %v, %v; want %v", g, err, tt.grace)
			}
			tok, err := probe.HeartbeatToken(c, getenv, readFile)
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) {
					t.Fatalf("err = %v, want %q", err, tt.err)
				}
				if strings.Contains(err.Error(), "abc") {
					t.Errorf("the error leaks the secret: %v", err)
				}
				return
			}
			if err != nil || tok != tt.token {
				t.Fatalf("token = %q, %v; want %q", tok, err, tt.token)
			}
		})
	}
	_, err := probe.HeartbeatGrace(check(t, status.KindHTTP, "http://x/", nil))
	if err == nil || errors.Is(err, nil) {
		t.Error("HeartbeatGrace accepted an http check")
	}
}
