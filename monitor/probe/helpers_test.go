package probe_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/safetynet-dev/safetynet/monitor/probe"
	"github.com/safetynet-dev/safetynet/status"
)

// check builds a check of kind with spec marshalled into it, as package
// config does.
func check(tb testing.TB, kind status.Kind, target string, spec any) *status.Check {
	tb.Helper()
	c := &status.Check{ID: "api/health", Component: "api", Kind: kind, Target: target,
		Interval: time.Minute, Timeout: 5 * time.Second, FailuresToDown: 1, SuccessesToUp: 1}
	if spec != nil {
		b, err := json.Marshal(spec)
		if err != nil {
			tb.Fatal(err)
		}
		c.Spec = b
	}
	return c
}

// MustProber builds the prober or fails the test.
func MustProber(tb testing.TB, c *status.Check, opts probe.Options) probe.Prober {
	tb.Helper()
	p, err := probe.New(c, opts)
	if err != nil {
		tb.Fatalf("New: %v", err)
	}
	return p
}

// run probes once with a timeout.
func run(tb testing.TB, p probe.Prober, timeout time.Duration) status.Result {
	tb.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	return p.Probe(ctx)
}

// wantResult checks OK and that Error/Warning contain the given text.
func wantResult(tb testing.TB, r status.Result, ok bool, errText string) {
	tb.Helper()
	if r.OK != ok {
		tb.Fatalf("OK = %v, want %v (error %q, warning %q, conditions %+v)", r.OK, ok, r.Error, r.Warning, r.Conditions)
	}
	if errText == "" && r.Error != "" {
		tb.Fatalf("Error = %q, want none", r.Error)
	}
	if !strings.Contains(r.Error, errText) {
		tb.Fatalf("Error = %q, want it to contain %q", r.Error, errText)
	}
}
