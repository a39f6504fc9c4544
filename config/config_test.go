package config_test

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/safetynet-dev/safetynet/config"
	_ "github.com/safetynet-dev/safetynet/notify/webhook"
	"github.com/safetynet-dev/safetynet/status"
)

// env returns an Env reading vars and files from maps, so tests never
// depend on the machine's environment.
func env(vars map[string]string, files map[string]string) config.Env {
	return config.Env{
		Getenv: func(k string) string { return vars[k] },
		ReadFile: func(p string) ([]byte, error) {
			if b, ok := files[p]; ok {
				return []byte(b), nil
			}
			return nil, &os.PathError{Op: "open", Path: p, Err: os.ErrNotExist}
		},
	}
}

const cfgPath = "/etc/sn/safetynet.yaml"

// MustParse parses src as /etc/sn/safetynet.yaml and fails on any error.
func MustParse(tb testing.TB, src string, e config.Env) *config.Config {
	tb.Helper()
	c, err := config.Parse(cfgPath, []byte(src), e)
	if err != nil {
		tb.Fatalf("parse: %v", err)
	}
	return c
}

// parseErrors parses src and returns its errors as "line:col: msg".
func parseErrors(tb testing.TB, src string, e config.Env) []string {
	tb.Helper()
	_, err := config.Parse(cfgPath, []byte(src), e)
	if err == nil {
		tb.Fatalf("parse succeeded, want errors")
	}
	var errs config.Errors
	if !errors.As(err, &errs) {
		tb.Fatalf("error %T %v is not config.Errors", err, err)
	}
	var out []string
	for _, x := range errs {
		if x.File != cfgPath {
			tb.Errorf("error names file %q, want %q", x.File, cfgPath)
		}
		out = append(out, fmt.Sprintf("%d:%d: %s", x.Line, x.Col, x.Msg))
	}
	return out
}

const base = `
components:
  - id: api
    name: API
    owner: platform
teams:
  - name: platform
    notifiers: [hook]
notifiers:
  - name: hook
    kind: webhook
    url: https://hooks.example.com/x
`

func TestExampleParses(t *testing.T) {
	path := filepath.Join("..", "examples", "safetynet.yaml")
	c, err := config.Load(path, config.Env{Getenv: func(string) string { return "" }})
	if err != nil {
		t.Fatalf("examples/safetynet.yaml: %v", err)
	}
	dir, _ := filepath.Abs(filepath.Join("..", "examples"))
	if c.Storage.Driver != "sqlite" || c.Storage.DSN != filepath.Join(dir, "safetynet.db") {
		t.Errorf("storage = %+v, want sqlite beside the file", c.Storage)
	}
	if c.Server.Listen != "127.0.0.1:8080" {
		t.Errorf("listen = %q", c.Server.Listen)
	}
	kinds := map[status.Kind]int{}
	for _, ch := range c.Plan.Checks {
		kinds[ch.Kind]++
		if ch.Hash == "" {
			t.Errorf("check %s has no hash", ch.ID)
		}
	}
	if kinds[status.KindHTTP] < 2 || kinds[status.KindTCP] != 1 || kinds[status.KindHeartbeat] != 1 {
		t.Errorf("check kinds = %v, want http checks, one tcp and one heartbeat", kinds)
	}
	var anomaly bool
	for _, r := range c.Plan.MetricRules {
		anomaly = anomaly || r.Kind == "anomaly" && r.Metric == "users" && r.Direction == "drop"
	}
	if !anomaly {
		t.Error("no anomaly rule on a drop of users")
	}
	for _, ch := range c.Plan.Checks {
		if ch.Kind == status.KindHeartbeat && !strings.Contains(string(ch.Spec), filepath.Join(dir, "demo-heartbeat.token")) {
			t.Errorf("heartbeat token_file not resolved against the file's folder: %s", ch.Spec)
		}
		if ch.ID == "api-users" && !strings.Contains(string(ch.Spec), `"extract":{"users":"[BODY].users"}`) {
			t.Errorf("api-users spec = %s, want the users extraction", ch.Spec)
		}
	}
	if len(c.Plan.Notifiers) != 1 || !strings.Contains(string(c.Plan.Notifiers[0].Settings), "127.0.0.1:8081/admin/webhook-sink") {
		t.Errorf("notifiers = %+v, want the webhook sink by default", c.Plan.Notifiers)
	}
	if !c.AllowPrivateDestinations {
		t.Error("the demo's loopback webhook needs allow_private_addresses")
	}
}

func TestDefaults(t *testing.T) {
	c := MustParse(t, base+`
checks:
  - id: api-health
    component: api
    kind: http
    target: http://127.0.0.1:8081/health
  - id: fast
    component: api
    kind: tcp
    target: 127.0.0.1:8081
    interval: 5s
metrics:
  - id: users-drop
    component: api
    metric: users
    kind: anomaly
`, env(nil, nil))
	if c.Server.Listen != "127.0.0.1:8080" || c.Server.BaseURL != "http://127.0.0.1:8080" || c.Server.DataDir != "/etc/sn" {
		t.Errorf("server = %+v", c.Server)
	}
	if c.Storage.Driver != "sqlite" || c.Storage.DSN != "/etc/sn/safetynet.db" {
		t.Errorf("storage = %+v, want SQLite beside the file", c.Storage)
	}
	if c.Storage.Retention != status.DefaultRetention {
		t.Errorf("retention = %+v, want the defaults", c.Storage.Retention)
	}
	h := c.Plan.Checks[0]
	if h.Interval != 60*time.Second || h.Timeout != 10*time.Second || h.FailuresToDown != 2 || h.SuccessesToUp != 2 || h.Retries != 0 || h.Name != "api-health" {
		t.Errorf("check defaults = %+v", h)
	}
	if f := c.Plan.Checks[1]; f.Timeout != 5*time.Second {
		t.Errorf("timeout of a 5s check = %s, want the interval when it is under 10s", f.Timeout)
	}
	r := c.Plan.MetricRules[0]
	if r.Direction != "both" || r.Bounds != 3 || r.Baseline != 24*time.Hour || r.AlertWindow != 5*time.Minute || r.Share != 0.6 || r.Recovery != 10*time.Minute || r.MinChange != 0.2 || r.Status != status.Degraded {
		t.Errorf("anomaly defaults = %+v", r)
	}
	if a := c.Plan.Alerting; a.RemindEvery != time.Hour || a.FlapWindow != 15*time.Minute || a.FlapChanges != 5 || a.BaseURL != "http://127.0.0.1:8080" {
		t.Errorf("alerting = %+v", a)
	}
	if c.Page.Title != "Status" || c.Plan.Components[0].Public {
		t.Errorf("page %+v, component public %v: want title Status and components private by default", c.Page, c.Plan.Components[0].Public)
	}
	c.SetListen("0.0.0.0:9000")
	if c.Server.BaseURL != "http://localhost:9000" || c.Plan.Alerting.BaseURL != c.Server.BaseURL {
		t.Errorf("after SetListen base URL = %q / %q", c.Server.BaseURL, c.Plan.Alerting.BaseURL)
	}
}

func TestExplicitZeroKeepsZero(t *testing.T) {
	c := MustParse(t, base+`
metrics:
  - {id: m, component: api, metric: users, kind: anomaly, min_change: 0}
alerting:
  remind_every: 0s
  flap_changes: 0
`, env(nil, nil))
	if c.Plan.MetricRules[0].MinChange != 0 || c.Plan.Alerting.RemindEvery != 0 || c.Plan.Alerting.FlapChanges != 0 {
		t.Errorf("explicit zeros were replaced by defaults: %+v %+v", c.Plan.MetricRules[0], c.Plan.Alerting)
	}
}

// TestErrorLines pins each kind of mistake to the line and column a person
// must fix.
func TestErrorLines(t *testing.T) {
	tests := []struct {
		name, src string
		want      string // "line:col: substring"
	}{
		{"unknown top-level key", "componets: []\n", `1:1: unknown key "componets" (did you mean "components"?)`},
		{"unknown check key", base + `
checks:
  - id: c
    component: api
    kind: tcp
    target: 127.0.0.1:1
    intreval: 30s
`, `19:5: unknown key "intreval" in checks[c] (did you mean "interval"?)`},
		{"unknown nested key", "server:\n  listen: 127.0.0.1:1\n  bsae_url: http://x\n", `3:3: unknown key "bsae_url" in server (did you mean "base_url"?)`},
		{"bad duration", base + `
checks:
  - id: c
    component: api
    kind: tcp
    target: 127.0.0.1:1
    interval: 5 minutes
`, `19:15: checks[c].interval: invalid duration "5 minutes"`},
		{"duration without unit", "alerting:\n  remind_every: 60\n", `2:17: alerting.remind_every: duration "60" has no unit: write 60s, 60m or 60h`},
		{"missing env var", "storage:\n  dsn: ${DATABASE_URL}\n", `2:8: environment variable DATABASE_URL is not set (write ${DATABASE_URL:-default} to give a default)`},
		{"duplicate component", `components:
  - id: api
    name: API
  - id: api
    name: Again
`, `4:9: duplicate component id "api" (first at line 2)`},
		{"duplicate key", "page:\n  title: a\n  title: b\n", `3:3: page: key "title" appears twice (first at line 2)`},
		{"dangling component", base + `
checks:
  - id: c
    component: apj
    kind: tcp
    target: 127.0.0.1:1
`, `16:16: checks[c].component: unknown component "apj" (did you mean "api"?)`},
		{"dangling team notifier", strings.Replace(base, "notifiers: [hook]", "notifiers: [hook, pager]", 1), `8:23: teams[platform].notifiers[1]: unknown notifier "pager"`},
		{"dangling owner", strings.Replace(base, "owner: platform", "owner: platfrom", 1), `5:12: components[api].owner: unknown team "platfrom" (did you mean "platform"?)`},
		{"not a slug", "components:\n  - id: My API\n    name: x\n", `2:9: components[My API]: component id "My API" must be lower-case`},
		{"yaml syntax", "page:\n\ttitle: x\n", `2:0: YAML syntax: found character that cannot start any token`},
		{"bad number", base + `
checks:
  - id: c
    component: api
    kind: tcp
    target: 127.0.0.1:1
    retries: lots
`, `19:14: checks[c].retries: want a whole number, got "lots"`},
		{"unknown kind", base + `
checks:
  - id: c
    component: api
    kind: smtp
`, `17:11: checks[c]: unknown kind "smtp"`},
		{"notifier setting", strings.Replace(base, "url: https://hooks.example.com/x", "url: http://127.0.0.1:9/x", 1), `12:10: notifiers[hook]: url: host 127.0.0.1 is a loopback address`},
		{"outlier group too small", base + `
checks:
  - {id: a, component: api, kind: tcp, target: "127.0.0.1:1"}
  - {id: b, component: api, kind: tcp, target: "127.0.0.1:2"}
outliers:
  - id: g
    component: api
    checks: [a, b]
`, `20:13: outliers[g]: an outlier group needs at least 3 checks`},
		{"threshold without limit", base + `
metrics:
  - id: m
    component: api
    metric: users
    kind: threshold
`, `15:5: metrics[m]: a threshold rule needs below:, above: or both`},
		{"anomaly key on threshold rule", base + `
metrics:
  - {id: m, component: api, metric: users, kind: threshold, below: 1, direction: drop}
`, `15:82: metrics[m]: direction applies to anomaly rules`},
		{"bad event", base + `
routes:
  - components: ["*"]
    events: [down, upp]
    notifiers: [hook]
`, `16:20: routes[0].events[1]: unknown event "upp"`},
		{"bad time", base + `
maintenance:
  - title: Upgrade
    components: [api]
    start: tomorrow
    end: 2030-01-01T00:00:00Z
`, `17:12: maintenance[0].start: invalid time "tomorrow"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := parseErrors(t, tt.src, env(nil, nil))
			for _, g := range got {
				if strings.HasPrefix(g, tt.want) || strings.Contains(g, tt.want) && strings.HasPrefix(g, strings.SplitN(tt.want, " ", 2)[0]) {
					return
				}
			}
			t.Errorf("errors:\n  %s\nwant one starting %q", strings.Join(got, "\n  "), tt.want)
		})
	}
}

// TestProbeErrors checks that the probe's verdict on a check's own
// settings comes back at the line of the setting it names, next to this
// package's own findings in the same check.
func TestProbeErrors(t *testing.T) {
	got := parseErrors(t, base+`
checks:
  - id: c
    component: api
    kind: http
    target: http://127.0.0.1:1/
    methd: POST
    conditions:
      - "[STATUS] < 500"
      - "[STATUS] === 200"
  - id: d
    component: api
    dns:
      type: AXFR
    target: example.com
  - id: e
    component: api
    kind: tcp
    http: {url: "http://x/"}
`, env(nil, nil))
	want := []string{
		`19:5: unknown key "methd" in checks[c] (did you mean "method"?)`,
		"22:9: checks[c]: condition 2 `[STATUS] === 200`: unknown operator ===",
		`26:13: checks[d]: type "AXFR"`,
		`31:5: checks[e]: kind is tcp but the settings are under http:`,
	}
	if len(got) != len(want) {
		t.Fatalf("errors:\n  %s\nwant %d", strings.Join(got, "\n  "), len(want))
	}
	for i := range want {
		if !strings.HasPrefix(got[i], want[i]) {
			t.Errorf("error %d = %q, want it to start %q", i, got[i], want[i])
		}
	}
}

// TestKindSettingsBlock: the kind's settings may sit inline or under a key
// named after the kind, which also settles the kind.
func TestKindSettingsBlock(t *testing.T) {
	c := MustParse(t, base+`
checks:
  - id: inline
    component: api
    kind: http
    target: http://127.0.0.1:1/
    method: HEAD
  - id: block
    component: api
    target: http://127.0.0.1:1/
    http:
      method: HEAD
`, env(nil, nil))
	a, b := c.Plan.Checks[0], c.Plan.Checks[1]
	if b.Kind != status.KindHTTP || string(a.Spec) != string(b.Spec) || !strings.Contains(string(a.Spec), `"method":"HEAD"`) {
		t.Errorf("inline %s %s, block %s %s: want the same http spec", a.Kind, a.Spec, b.Kind, b.Spec)
	}
}

func TestAllErrorsAtOnce(t *testing.T) {
	src := `server:
  listen: nowhere
componets: []
components:
  - id: api
    name: API
checks:
  - id: a
    component: api
    kind: tcp
    target: 127.0.0.1:1
    interval: soon
  - id: a
    component: web
    kind: tcp
    target: 127.0.0.1:2
notifiers:
  - name: hook
    kind: webhook
    url: ${HOOK_URL}
`
	got := parseErrors(t, src, env(nil, nil))
	wantLines := []string{"2:11:", "3:1:", "12:15:", "13:9:", "20:10:"}
	if len(got) != len(wantLines) {
		t.Fatalf("got %d errors, want %d:\n  %s", len(got), len(wantLines), strings.Join(got, "\n  "))
	}
	for i, w := range wantLines {
		if !strings.HasPrefix(got[i], w) {
			t.Errorf("error %d = %q, want it at %s", i, got[i], w)
		}
	}
	_, err := config.Parse(cfgPath, []byte(src), env(nil, nil))
	if lines := strings.Split(err.Error(), "\n"); len(lines) != len(wantLines) || !strings.HasPrefix(lines[0], cfgPath+":2:11: ") {
		t.Errorf("Error() =\n%s\nwant one file:line:col per line", err)
	}
}

func TestEnvExpansion(t *testing.T) {
	vars := map[string]string{"DATABASE_URL": "postgres://sn:hunter2-secret@db:5432/sn", "RETRIES": "3", "TITLE": "Acme"}
	c := MustParse(t, base+`
storage:
  dsn: ${DATABASE_URL}
page:
  title: "${TITLE} status"
  description: costs $5, literal $${NOT_EXPANDED}
checks:
  - id: c
    component: api
    kind: tcp
    target: ${TARGET:-127.0.0.1:8081}
    retries: ${RETRIES}
`, env(vars, nil))
	if c.Storage.Driver != "postgres" || c.Storage.DSN != vars["DATABASE_URL"] {
		t.Errorf("storage = %+v", c.Storage)
	}
	if strings.Contains(c.Storage.Redacted(), "hunter2") {
		t.Errorf("Redacted() = %q shows the password", c.Storage.Redacted())
	}
	if c.Page.Title != "Acme status" || c.Page.Description != "costs $5, literal ${NOT_EXPANDED}" {
		t.Errorf("page = %+v", c.Page)
	}
	if ch := c.Plan.Checks[0]; ch.Target != "127.0.0.1:8081" || ch.Retries != 3 {
		t.Errorf("check = %+v, want the default target and retries from the environment", ch)
	}
}

// TestSecretsNotEchoed: a value from the environment never appears in an
// error, even when it is the value that is wrong.
func TestSecretsNotEchoed(t *testing.T) {
	secret := "s3cr3t-token-value"
	got := parseErrors(t, base+`
server:
  listen: ${LISTEN}
alerting:
  remind_every: ${REMIND}
`, env(map[string]string{"LISTEN": secret, "REMIND": "x" + secret}, nil))
	all := strings.Join(got, "\n")
	if strings.Contains(all, secret) {
		t.Fatalf("errors echo the secret:\n%s", all)
	}
	if !strings.Contains(all, "${LISTEN}") || !strings.Contains(all, "x${REMIND}") && !strings.Contains(all, "${REMIND}") {
		t.Errorf("errors should name the variables instead:\n%s", all)
	}
}

func TestRelativePaths(t *testing.T) {
	files := map[string]string{"/etc/sn/secrets/ingest": "0123456789abcdef-ingest\n"}
	c := MustParse(t, base+`
server:
  data_dir: data
storage:
  dsn: db/sn.db?_pragma=busy_timeout(5000)
page:
  logo: img/logo.svg
ingest_tokens:
  - name: jobs
    token_file: secrets/ingest
checks:
  - id: nightly
    component: api
    kind: heartbeat
    interval: 1m
    grace: 25h
    token_file: hb.token
`, env(nil, files))
	if c.Server.DataDir != "/etc/sn/data" || c.Storage.DSN != "/etc/sn/db/sn.db?_pragma=busy_timeout(5000)" || c.Page.Logo != "/etc/sn/img/logo.svg" {
		t.Errorf("paths not resolved against the config's folder: %+v %+v %+v", c.Server, c.Storage, c.Page)
	}
	if !strings.Contains(string(c.Plan.Checks[0].Spec), `"/etc/sn/hb.token"`) {
		t.Errorf("heartbeat spec = %s, want token_file resolved", c.Plan.Checks[0].Spec)
	}
	if name, ok := c.IngestToken("0123456789abcdef-ingest"); !ok || name != "jobs" {
		t.Errorf("IngestToken = %q, %v; want the token read from the file", name, ok)
	}
	if _, ok := c.IngestToken("wrong"); ok {
		t.Error("IngestToken accepts a wrong token")
	}
	abs := MustParse(t, "storage:\n  dsn: /var/lib/sn.db\n", env(nil, nil))
	if abs.Storage.DSN != "/var/lib/sn.db" {
		t.Errorf("absolute DSN changed to %q", abs.Storage.DSN)
	}
}

func TestIngestTokens(t *testing.T) {
	c := MustParse(t, `
ingest_tokens:
  - name: ci
    token: ${CI_TOKEN}
  - name: cron
    token_env: CRON_TOKEN
`, env(map[string]string{"CI_TOKEN": "ci-token-0123456789", "CRON_TOKEN": "cron-token-0123456789"}, nil))
	for tok, want := range map[string]string{"ci-token-0123456789": "ci", "cron-token-0123456789": "cron"} {
		if name, ok := c.IngestToken(tok); !ok || name != want {
			t.Errorf("IngestToken(%q) = %q, %v", tok, name, ok)
		}
	}
	if s := fmt.Sprintf("%+v", c); strings.Contains(s, "ci-token-0123456789") {
		t.Error("the Config holds a token in clear")
	}
	got := parseErrors(t, "ingest_tokens:\n  - name: short\n    token: abc\n  - name: none\n", env(nil, nil))
	if len(got) != 2 || !strings.HasPrefix(got[0], "3:12: ") || !strings.Contains(got[0], "too short") || !strings.HasPrefix(got[1], "4:5: ") {
		t.Errorf("errors = %q", got)
	}
}

// TestCheckHash: the hash follows the check's settings and nothing else,
// so a reload restarts exactly the checks that changed.
func TestCheckHash(t *testing.T) {
	const checks = `
checks:
  - id: a
    component: api
    kind: http
    target: http://127.0.0.1:1/health
    interval: 30s
    conditions: ["[STATUS] == 200"]
    headers: {X-A: "1", X-B: "2"}
  - id: b
    component: api
    kind: tcp
    target: 127.0.0.1:2
`
	hashes := func(src string) map[string]string {
		t.Helper()
		c := MustParse(t, base+src, env(nil, nil))
		m := map[string]string{}
		for _, ch := range c.Plan.Checks {
			m[ch.ID] = ch.Hash
		}
		return m
	}
	orig := hashes(checks)
	if orig["a"] == "" || orig["a"] == orig["b"] {
		t.Fatalf("hashes = %v", orig)
	}
	// Same settings written differently: same hash.
	same := hashes(`
# a comment
checks:
  - id: a
    http:
      headers: {X-B: "2", X-A: "1"}
      conditions:
        - "[STATUS] == 200"
    interval: 0.5m
    target: http://127.0.0.1:1/health
    component: api
  - {id: b, component: api, kind: tcp, target: "127.0.0.1:2"}
`)
	if same["a"] != orig["a"] || same["b"] != orig["b"] {
		t.Errorf("equal settings, different hashes: %v vs %v", same, orig)
	}
	for name, edit := range map[string][2]string{
		"interval":  {"interval: 30s", "interval: 31s"},
		"target":    {"/health", "/healthz"},
		"condition": {"== 200", "== 204"},
		"header":    {`X-A: "1"`, `X-A: "3"`},
		"timeout":   {"interval: 30s", "interval: 30s\n    timeout: 5s"},
	} {
		changed := hashes(strings.Replace(checks, edit[0], edit[1], 1))
		if changed["a"] == orig["a"] {
			t.Errorf("changing the %s kept check a's hash", name)
		}
		if changed["b"] != orig["b"] {
			t.Errorf("changing check a's %s changed check b's hash", name)
		}
	}
}

func TestOutlierGroupSetsPeers(t *testing.T) {
	c := MustParse(t, base+`
checks:
  - {id: eu-1, component: api, kind: tcp, target: "127.0.0.1:1"}
  - {id: eu-2, component: api, kind: tcp, target: "127.0.0.1:2"}
  - {id: us-1, component: api, kind: tcp, target: "127.0.0.1:3"}
outliers:
  - id: api-instances
    component: api
    checks: [eu-1, eu-2, us-1]
`, env(nil, nil))
	g := c.Plan.OutlierGroups[0]
	if g.Algorithm != "mad" || g.Tolerance != 3 || g.Pct != 0.2 || g.Window != 15*time.Minute || g.Bucket != time.Minute || g.Signal != "latency" {
		t.Errorf("outlier defaults = %+v", g)
	}
	for _, ch := range c.Plan.Checks {
		if ch.Peers != "api-instances" {
			t.Errorf("check %s peers = %q", ch.ID, ch.Peers)
		}
	}
}

func TestLoadUnreadable(t *testing.T) {
	_, err := config.Load(filepath.Join(t.TempDir(), "missing.yaml"), config.Env{})
	var errs config.Errors
	if !errors.As(err, &errs) || len(errs) != 1 || !strings.Contains(errs[0].Error(), "missing.yaml: cannot read: ") {
		t.Errorf("err = %v", err)
	}
}
