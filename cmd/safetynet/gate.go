package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/safetynet-dev/safetynet/status"
)

// The exit statuses of `safetynet gate`: a contract with pipelines.
const (
	gateShip      = 0
	gateHold      = 1
	gateUndecided = 2
)

// gateCmd is `safetynet gate`: asks the server whether a release may go to
// an environment, or overrides its answer with a written reason.
type gateCmd struct {
	m        *Main
	client   apiClient
	service  string
	version  string
	to       string
	override string
	json     bool
}

const gateExamples = `  export SAFETYNET_URL=https://status.example.com
  export SAFETYNET_TOKEN=snt_...            # a token with the deploy scope
  safetynet gate --service api --version 2.0.1 --to production && ./deploy-production.sh

  # Ship a release the policy holds, with a written reason (recorded with
  # your token's name and shown beside the release):
  safetynet gate --service api --version 2.0.1 --to production \
      --override "Critical login fix; the staging outage was the DB failover drill"

Exit status:
  0  ship: the release may go to the environment
  1  hold: the policy says wait; the reason says why and for how long
  2  cannot decide: the facts cannot be judged (a deployment that names no
     components), or the gate could not be asked (bad flags, no server, a
     refused token)

The reason is printed as one paragraph. The server decides by the policy in
its config (releases:, docs/releases.md): a release must have soaked in
staging (24h by default) with no outage, alert or anomaly on its components,
and ships with known issues only when its most severe fix outranks them.
Every decision is stored with its inputs. The token comes from
$SAFETYNET_TOKEN or --token-file, never from a flag value, which would show
in ps.
`

func (c *gateCmd) ParseFlags(args []string) error {
	c.client.m = c.m
	fs := c.m.newFlagSet("gate", "gate --service S --version V --to ENV [--override REASON]", gateExamples)
	c.client.addFlags(fs)
	fs.StringVar(&c.service, "service", "", "the service to release")
	fs.StringVar(&c.version, "version", "", "the version to release")
	fs.StringVar(&c.to, "to", "", "the target `environment` (production, ...)")
	fs.StringVar(&c.override, "override", "", "ship whatever the policy says, for this written `reason` (recorded)")
	fs.BoolVar(&c.json, "json", false, "print the decision with its inputs as JSON")
	err := parse(fs, args, c.m.Stdout)
	if errors.Is(err, errHelp) {
		return err
	}
	if err == nil && fs.NArg() > 0 {
		err = fmt.Errorf("unexpected argument(s) %q", fs.Args())
	}
	if err == nil && (c.service == "" || c.version == "" || c.to == "") {
		err = errors.New("--service, --version and --to are required")
	}
	if err == nil {
		err = c.client.setup()
	}
	if err != nil {
		// A pipeline reads any status but 0 and 1 as "cannot decide".
		fmt.Fprintf(c.m.Stderr, "safetynet gate: %v\n", err)
		return exitError{gateUndecided}
	}
	return nil
}

func (c *gateCmd) Run(ctx context.Context) error {
	req := map[string]string{"service": c.service, "version": c.version, "to": c.to}
	path, want := "/api/v1/gate", http.StatusOK
	if c.override != "" {
		req["reason"] = c.override
		path, want = "/api/v1/gate/override", http.StatusCreated
	}
	var d status.GateDecision
	if err := c.client.post(ctx, path, req, want, &d); err != nil {
		fmt.Fprintf(c.m.Stderr, "safetynet gate: cannot decide: %v\n", err)
		return exitError{gateUndecided}
	}
	if c.json {
		enc := json.NewEncoder(c.m.Stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(d); err != nil {
			return err
		}
	} else {
		reason := d.Reason
		if d.Override {
			reason = fmt.Sprintf("Ship %s %s to %s on your override (decision %d, recorded as %s): %q.", d.Service, d.Version, d.To, d.ID, d.By, d.Reason)
		}
		fmt.Fprintln(c.m.Stdout, strings.Join(strings.Fields(reason), " "))
	}
	switch d.Outcome {
	case status.Ship:
		return nil
	case status.Hold:
		return exitError{gateHold}
	}
	return exitError{gateUndecided}
}

func (c *gateCmd) Close() error { return nil }
