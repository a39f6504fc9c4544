package config

import (
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"net"
	"net/netip"
	"net/url"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	yaml "go.yaml.in/yaml/v3"

	"github.com/safetynet-dev/safetynet/notify"
	"github.com/safetynet-dev/safetynet/status"
)

// fileRoot is the file's top level. Each section is decoded on its own so
// a problem in one does not hide problems in the others.
type fileRoot struct {
	Server       *yaml.Node `yaml:"server"`
	Storage      *yaml.Node `yaml:"storage"`
	Page         *yaml.Node `yaml:"page"`
	IngestTokens *yaml.Node `yaml:"ingest_tokens"`
	Components   *yaml.Node `yaml:"components"`
	Checks       *yaml.Node `yaml:"checks"`
	Metrics      *yaml.Node `yaml:"metrics"`
	Outliers     *yaml.Node `yaml:"outliers"`
	Notifiers    *yaml.Node `yaml:"notifiers"`
	Teams        *yaml.Node `yaml:"teams"`
	Routes       *yaml.Node `yaml:"routes"`
	Maintenance  *yaml.Node `yaml:"maintenance"`
	Alerting     *yaml.Node `yaml:"alerting"`
	DemoTarget   *yaml.Node `yaml:"demo_target"`
	Incidents    *yaml.Node `yaml:"incidents"`
	Releases     *yaml.Node `yaml:"releases"`
	AWSEvents    *yaml.Node `yaml:"aws_events"`
}

type fileServer struct {
	Listen         string   `yaml:"listen"`
	BaseURL        string   `yaml:"base_url"`
	DataDir        string   `yaml:"data_dir"`
	TrustedProxies []string `yaml:"trusted_proxies"`
	RateLimit      struct {
		Enabled   *bool   `yaml:"enabled"`
		PerSecond float64 `yaml:"per_second"`
		Burst     int     `yaml:"burst"`
	} `yaml:"rate_limit"`
}

type fileStorage struct {
	DSN       string `yaml:"dsn"`
	Retention struct {
		Raw     time.Duration `yaml:"raw"`
		Minute  time.Duration `yaml:"minute"`
		Hour    time.Duration `yaml:"hour"`
		Day     time.Duration `yaml:"day"`
		Samples time.Duration `yaml:"samples"`
	} `yaml:"retention"`
}

type filePage struct {
	Title       string `yaml:"title"`
	Description string `yaml:"description"`
	Logo        string `yaml:"logo"`
}

type fileToken struct {
	Name      string `yaml:"name"`
	Token     string `yaml:"token"`
	TokenEnv  string `yaml:"token_env"`
	TokenFile string `yaml:"token_file"`
}

type fileComponent struct {
	ID          string   `yaml:"id"`
	Name        string   `yaml:"name"`
	Group       string   `yaml:"group"`
	Description string   `yaml:"description"`
	Owner       string   `yaml:"owner"`
	Customers   []string `yaml:"customers"`
	Public      bool     `yaml:"public"`
}

// fileCheck holds the keys every check has; the rest belong to its kind.
type fileCheck struct {
	ID             string        `yaml:"id"`
	Name           string        `yaml:"name"`
	Component      string        `yaml:"component"`
	Kind           status.Kind   `yaml:"kind"`
	Target         string        `yaml:"target"`
	Interval       time.Duration `yaml:"interval"`
	Timeout        time.Duration `yaml:"timeout"`
	Retries        int           `yaml:"retries"`
	FailuresToDown int           `yaml:"failures_to_down"`
	SuccessesToUp  int           `yaml:"successes_to_up"`
	DegradedAfter  time.Duration `yaml:"degraded_after"`
	Customer       string        `yaml:"customer"`
	Locations      []string      `yaml:"locations"`
	// Quorum is "majority" or a number of locations (see status.Check.Quorum).
	Quorum string `yaml:"quorum"`
}

type fileNotifier struct {
	Name string `yaml:"name"`
	Kind string `yaml:"kind"`
}

type fileMaintenance struct {
	Title      string    `yaml:"title"`
	Components []string  `yaml:"components"`
	Start      time.Time `yaml:"start"`
	End        time.Time `yaml:"end"`
}

type fileAlerting struct {
	RemindEvery time.Duration `yaml:"remind_every"`
	FlapWindow  time.Duration `yaml:"flap_window"`
	FlapChanges int           `yaml:"flap_changes"`
	// AllowPrivateAddresses lets notifiers reach loopback and link-local
	// addresses (see notify.Env.AllowPrivate).
	AllowPrivateAddresses bool `yaml:"allow_private_addresses"`
}

// Check defaults, documented in examples/safetynet.yaml.
const (
	DefaultInterval       = 60 * time.Second
	DefaultTimeout        = 10 * time.Second
	DefaultFailuresToDown = 2
	DefaultSuccessesToUp  = 2
)

// Kinds lists the check kinds, in the order help texts show them.
var Kinds = []status.Kind{status.KindHTTP, status.KindTCP, status.KindUDP, status.KindSTUN, status.KindDNS, status.KindTLS, status.KindHeartbeat}

// NotifierKinds lists the notifier kinds the config accepts.
var NotifierKinds = []string{"slack", "email", "webhook", "pagerduty", "teams", "discord"}

var slugRE = regexp.MustCompile(`^[a-z0-9][a-z0-9_/-]{0,127}$`)

// builder turns the decoded sections into a Config and checks that they
// agree with each other.
type builder struct {
	d   *decoder
	cfg *Config

	components map[string]*yaml.Node // id → where it was defined
	customers  map[string][]string   // component → customers
	checks     map[string]*yaml.Node
	teams      map[string]*yaml.Node
	notifiers  map[string]*yaml.Node
	outliers   map[string]*yaml.Node
	metrics    map[string]*yaml.Node
	// refs are checked once every section is read, so sections may come
	// in any order.
	refs []ref
}

type ref struct {
	n         *yaml.Node
	what, id  string // "component", "api"
	fromWhere string // "check api-health"
}

func (b *builder) errorf(n *yaml.Node, format string, args ...any) { b.d.errorf(n, format, args...) }

func (b *builder) build(root *yaml.Node) {
	var f fileRoot
	b.d.decode(root, reflect.ValueOf(&f).Elem(), "")
	b.components = map[string]*yaml.Node{}
	b.customers = map[string][]string{}
	b.checks = map[string]*yaml.Node{}
	b.teams = map[string]*yaml.Node{}
	b.notifiers = map[string]*yaml.Node{}
	b.outliers = map[string]*yaml.Node{}
	b.metrics = map[string]*yaml.Node{}

	b.server(f.Server)
	b.storage(f.Storage)
	b.page(f.Page)
	b.demoTarget(f.DemoTarget)
	b.tokens(f.IngestTokens)
	// Alerting first: it decides which addresses notifiers may reach.
	b.alerting(f.Alerting)
	b.incidents(f.Incidents)
	b.releases(f.Releases)
	b.awsEvents(f.AWSEvents)
	for i, n := range b.list(f.Components, "components") {
		b.component(i, n)
	}
	for _, n := range b.list(f.Notifiers, "notifiers") {
		b.notifier(n)
	}
	for _, n := range b.list(f.Teams, "teams") {
		b.team(n)
	}
	for _, n := range b.list(f.Checks, "checks") {
		b.check(n)
	}
	for _, n := range b.list(f.Outliers, "outliers") {
		b.outlier(n)
	}
	for _, n := range b.list(f.Metrics, "metrics") {
		b.metric(n)
	}
	for i, n := range b.list(f.Routes, "routes") {
		b.route(i, n)
	}
	for i, n := range b.list(f.Maintenance, "maintenance") {
		b.maintenance(i, n)
	}
	b.resolveRefs()

	// Hash last: outlier groups set Check.Peers.
	for i := range b.cfg.Plan.Checks {
		c := &b.cfg.Plan.Checks[i]
		c.Hash = checkHash(*c)
	}
}

// list returns a section's entries, which must be a list of mappings.
func (b *builder) list(n *yaml.Node, section string) []*yaml.Node {
	n = resolve(n)
	if isNull(n) {
		return nil
	}
	if n.Kind != yaml.SequenceNode {
		b.errorf(n, "%s: want a list (lines starting with '- '), got %s", section, kindName(n))
		return nil
	}
	var out []*yaml.Node
	for i, c := range n.Content {
		c = resolve(c)
		if c.Kind != yaml.MappingNode {
			b.errorf(c, "%s[%d]: want a mapping (key: value lines), got %s", section, i, kindName(c))
			continue
		}
		out = append(out, c)
	}
	return out
}

// itemPath names a list entry in messages by its id when it has one.
func itemPath(section string, n *yaml.Node, idKey string, i int) string {
	if v := lookup(n, idKey); v != nil && v.Kind == yaml.ScalarNode && v.Value != "" {
		return fmt.Sprintf("%s[%s]", section, v.Value)
	}
	return fmt.Sprintf("%s[%d]", section, i)
}

// id checks an entry's id (or name) and records it, reporting duplicates.
func (b *builder) id(n *yaml.Node, key, what, path, value string, seen map[string]*yaml.Node) bool {
	v := at(n, key)
	switch {
	case value == "":
		b.errorf(n, "%s: %s %s is missing", path, what, key)
		return false
	case !slugRE.MatchString(value):
		b.errorf(v, "%s: %s %s %q must be lower-case letters, digits, '-', '_' or '/', starting with a letter or digit", path, what, key, value)
		return false
	}
	if first, dup := seen[value]; dup {
		b.errorf(v, "duplicate %s %s %q (first at line %d)", what, key, value, first.Line)
		return false
	}
	seen[value] = v
	return true
}

func (b *builder) refer(n *yaml.Node, what, id, from string) {
	b.refs = append(b.refs, ref{n: n, what: what, id: id, fromWhere: from})
}

func (b *builder) resolveRefs() {
	for _, r := range b.refs {
		var known map[string]*yaml.Node
		switch r.what {
		case "component":
			known = b.components
		case "check":
			known = b.checks
		case "team":
			known = b.teams
		case "notifier":
			known = b.notifiers
		}
		if known[r.id] != nil {
			continue
		}
		names := make([]string, 0, len(known))
		for k := range known {
			names = append(names, k)
		}
		hint := ""
		if s := suggest(r.id, names); s != "" {
			hint = fmt.Sprintf(" (did you mean %q?)", s)
		} else if len(names) == 0 {
			hint = fmt.Sprintf(" (no %ss are defined)", r.what)
		}
		b.errorf(r.n, "%s: unknown %s %q%s", r.fromWhere, r.what, r.id, hint)
	}
}

// resolvePath makes p absolute against the config file's folder.
func (b *builder) resolvePath(p string) string {
	if p == "" || filepath.IsAbs(p) {
		return p
	}
	return filepath.Join(b.cfg.Dir, p)
}

func (b *builder) server(n *yaml.Node) {
	f := fileServer{Listen: DefaultListen}
	b.d.decode(n, reflect.ValueOf(&f).Elem(), "server")
	s := &b.cfg.Server
	s.Listen = f.Listen
	if host, port, err := net.SplitHostPort(f.Listen); err != nil || port == "" {
		b.errorf(at(n, "listen"), "server.listen: %q is not host:port (like 127.0.0.1:8080 or :8080)", f.Listen)
	} else if p, err := strconv.Atoi(port); err != nil || p < 0 || p > 65535 {
		b.errorf(at(n, "listen"), "server.listen: port %q is not a number from 0 to 65535", port)
	} else {
		_ = host
	}
	if f.BaseURL == "" {
		s.BaseURL, s.baseDerived = baseURLFor(f.Listen), true
	} else {
		u, err := url.Parse(f.BaseURL)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			b.errorf(at(n, "base_url"), "server.base_url: %q is not an http:// or https:// URL", f.BaseURL)
		}
		s.BaseURL = strings.TrimSuffix(f.BaseURL, "/")
	}
	s.DataDir = b.cfg.Dir
	if f.DataDir != "" {
		s.DataDir = b.resolvePath(f.DataDir)
	}
	b.cfg.Plan.Alerting.BaseURL = s.BaseURL
	for i, e := range f.TrustedProxies {
		e = strings.TrimSpace(e)
		if p, err := netip.ParsePrefix(e); err == nil {
			s.TrustedProxies = append(s.TrustedProxies, p.Masked())
		} else if a, err := netip.ParseAddr(e); err == nil {
			s.TrustedProxies = append(s.TrustedProxies, netip.PrefixFrom(a, a.BitLen()))
		} else {
			where := at(n, "trusted_proxies")
			if where.Kind == yaml.SequenceNode && i < len(where.Content) {
				where = where.Content[i]
			}
			b.errorf(where, "server.trusted_proxies[%d]: %q is not an IP address or CIDR (like 10.0.0.0/8)", i, e)
		}
	}
	rl := f.RateLimit
	s.RateLimit = RateLimit{Enabled: rl.Enabled == nil || *rl.Enabled, PerSecond: rl.PerSecond, Burst: rl.Burst}
	if rl.PerSecond < 0 || rl.Burst < 0 {
		b.errorf(at(n, "rate_limit"), "server.rate_limit: per_second and burst must not be negative")
	}
}

func (b *builder) storage(n *yaml.Node) {
	var f fileStorage
	r := status.DefaultRetention
	f.Retention.Raw, f.Retention.Minute, f.Retention.Hour, f.Retention.Day, f.Retention.Samples = r.Raw, r.Minute, r.Hour, r.Day, r.Samples
	b.d.decode(n, reflect.ValueOf(&f).Elem(), "storage")
	s := &b.cfg.Storage
	s.Retention = status.Retention{Raw: f.Retention.Raw, Minute: f.Retention.Minute, Hour: f.Retention.Hour, Day: f.Retention.Day, Samples: f.Retention.Samples}
	rn := lookup(n, "retention")
	for key, d := range map[string]time.Duration{"raw": s.Retention.Raw, "minute": s.Retention.Minute, "hour": s.Retention.Hour, "day": s.Retention.Day, "samples": s.Retention.Samples} {
		if d < time.Hour {
			b.errorf(at(rn, key), "storage.retention.%s: keep data at least 1h, not %s", key, d)
		}
	}
	dsn := strings.TrimSpace(f.DSN)
	switch {
	case dsn == "":
		s.Driver, s.DSN = "sqlite", filepath.Join(b.cfg.Dir, "safetynet.db")
	case strings.HasPrefix(dsn, "postgres://"), strings.HasPrefix(dsn, "postgresql://"):
		s.Driver, s.DSN = "postgres", dsn
		if _, err := url.Parse(dsn); err != nil {
			// url's message quotes the DSN, password and all.
			b.errorf(at(n, "dsn"), "storage.dsn: not a valid PostgreSQL URL")
		}
	case strings.Contains(dsn, "host=") || strings.Contains(dsn, "dbname="):
		s.Driver, s.DSN = "postgres", dsn
	default:
		s.Driver = "sqlite"
		if dsn == ":memory:" {
			s.DSN = dsn
			break
		}
		path, query, _ := strings.Cut(strings.TrimPrefix(dsn, "file:"), "?")
		s.DSN = b.resolvePath(path)
		if query != "" {
			s.DSN += "?" + query
		}
	}
}

type fileDemoTarget struct {
	Listen string `yaml:"listen"`
}

// demoTarget reads the demo target that serve starts in-process, so the
// example configuration shows real checks with no other step.
func (b *builder) demoTarget(n *yaml.Node) {
	if n == nil {
		return
	}
	var f fileDemoTarget
	b.d.decode(n, reflect.ValueOf(&f).Elem(), "demo_target")
	if f.Listen == "" {
		f.Listen = "127.0.0.1:8081"
	}
	if _, _, err := net.SplitHostPort(f.Listen); err != nil {
		b.errorf(n, "demo_target.listen %q: want host:port", f.Listen)
		return
	}
	b.cfg.DemoTarget = DemoTarget(f)
}

func (b *builder) page(n *yaml.Node) {
	f := filePage{Title: "Status"}
	b.d.decode(n, reflect.ValueOf(&f).Elem(), "page")
	logo := f.Logo
	if logo != "" && !strings.HasPrefix(logo, "https://") && !strings.HasPrefix(logo, "http://") {
		logo = b.resolvePath(logo)
	}
	b.cfg.Page = Page{Title: f.Title, Description: f.Description, Logo: logo}
}

func (b *builder) tokens(n *yaml.Node) {
	seenName := map[string]*yaml.Node{}
	seenHash := map[[sha256.Size]byte]*yaml.Node{}
	for i, tn := range b.list(n, "ingest_tokens") {
		var f fileToken
		path := itemPath("ingest_tokens", tn, "name", i)
		b.d.decode(tn, reflect.ValueOf(&f).Elem(), path)
		if f.Name == "" {
			f.Name = fmt.Sprintf("token-%d", i+1)
		} else if !b.id(tn, "name", "token", path, f.Name, seenName) {
			continue
		}
		sources := 0
		for _, v := range []string{f.Token, f.TokenEnv, f.TokenFile} {
			if v != "" {
				sources++
			}
		}
		if sources != 1 {
			b.errorf(tn, "%s: give exactly one of token, token_env and token_file", path)
			continue
		}
		secret := f.Token
		switch {
		case f.TokenEnv != "":
			secret = strings.TrimSpace(b.d.env.getenv(f.TokenEnv))
			if secret == "" {
				b.errorf(at(tn, "token_env"), "%s: environment variable %s is not set", path, f.TokenEnv)
				continue
			}
			b.d.used = append(b.d.used, expansion{f.TokenEnv, secret})
		case f.TokenFile != "":
			data, err := b.d.env.readFile(b.resolvePath(f.TokenFile))
			if err != nil {
				b.errorf(at(tn, "token_file"), "%s: token_file: %v", path, err)
				continue
			}
			secret = strings.TrimSpace(string(data))
		}
		if len(secret) < 16 {
			b.errorf(at(tn, "token"), "%s: the token is too short to be secret: use at least 16 characters (openssl rand -hex 16)", path)
			continue
		}
		h := sha256.Sum256([]byte(secret))
		if first, dup := seenHash[h]; dup {
			b.errorf(tn, "%s: the same token as the entry at line %d", path, first.Line)
			continue
		}
		seenHash[h] = tn
		b.cfg.IngestTokens = append(b.cfg.IngestTokens, Token{Name: f.Name, Hash: h})
	}
}

func (b *builder) component(i int, n *yaml.Node) {
	var f fileComponent
	path := itemPath("components", n, "id", i)
	b.d.decode(n, reflect.ValueOf(&f).Elem(), path)
	if !b.id(n, "id", "component", path, f.ID, b.components) {
		return
	}
	if strings.TrimSpace(f.Name) == "" {
		b.errorf(n, "%s: name is missing (the status page shows it)", path)
	}
	if f.Owner != "" {
		b.refer(at(n, "owner"), "team", f.Owner, path+".owner")
	}
	for j, c := range f.Customers {
		if strings.TrimSpace(c) == "" {
			b.errorf(at(n, "customers"), "%s.customers[%d]: empty customer name", path, j)
		}
	}
	b.customers[f.ID] = f.Customers
	b.cfg.Plan.Components = append(b.cfg.Plan.Components, status.Component{
		ID: f.ID, Name: f.Name, Group: f.Group, Description: f.Description, Owner: f.Owner,
		Customers: f.Customers, Public: f.Public, Position: len(b.cfg.Plan.Components),
	})
}

func (b *builder) notifier(n *yaml.Node) {
	i := len(b.cfg.Plan.Notifiers)
	path := itemPath("notifiers", n, "name", i)
	var f fileNotifier
	common := keysOf(reflect.TypeFor[fileNotifier]())
	own, rest := b.split(n, common, NotifierKinds, path)
	b.d.decode(own, reflect.ValueOf(&f).Elem(), path)
	ok := b.id(n, "name", "notifier", path, f.Name, b.notifiers)
	kind, settingsNode := b.kindOf(n, f.Kind, rest, NotifierKinds, path, "notifier")
	if kind == "" {
		return
	}
	b.typos(settingsNode, reflect.ValueOf(new(map[string]any)).Elem(), common, path)
	settings, gok := b.d.generic(settingsNode, path)
	if !gok || !ok || b.d.broken(settingsNode) {
		return
	}
	b.resolveFiles(reflect.ValueOf(&settings).Elem(), "")
	raw, err := json.Marshal(settings)
	if err != nil {
		b.errorf(n, "%s: %v", path, err)
		return
	}
	spec := status.NotifierSpec{Name: f.Name, Kind: kind, Settings: raw}
	env := notify.Env{Getenv: b.d.env.Getenv, ReadFile: b.d.env.ReadFile, AllowPrivate: b.cfg.AllowPrivateDestinations}
	if _, err := notify.New(spec, env); err != nil {
		// notify says `notifier "x": field: problem`; blame the field.
		msg := strings.TrimPrefix(errText(err), fmt.Sprintf("notifier %q: ", spec.Name))
		field, _, _ := strings.Cut(msg, ":")
		b.errorf(at(settingsNode, field), "%s: %s", path, msg)
		return
	}
	b.cfg.Plan.Notifiers = append(b.cfg.Plan.Notifiers, spec)
}

func (b *builder) team(n *yaml.Node) {
	path := itemPath("teams", n, "name", len(b.cfg.Plan.Teams))
	var t status.Team
	b.d.decode(n, reflect.ValueOf(&t).Elem(), path)
	if !b.id(n, "name", "team", path, t.Name, b.teams) {
		return
	}
	b.refList(n, "notifiers", "notifier", t.Notifiers, path)
	b.cfg.Plan.Teams = append(b.cfg.Plan.Teams, t)
}

// refList records references from a list of ids under key.
func (b *builder) refList(n *yaml.Node, key, what string, ids []string, path string) {
	ln := lookup(n, key)
	for j, id := range ids {
		pos := at(n, key)
		if ln != nil && ln.Kind == yaml.SequenceNode && j < len(ln.Content) {
			pos = ln.Content[j]
		}
		b.refer(pos, what, id, fmt.Sprintf("%s.%s[%d]", path, key, j))
	}
}

// split separates a mapping's keys into those named in common and the rest
// (a kind's own settings), returning each as a mapping node that keeps the
// original positions.
func (b *builder) split(n *yaml.Node, common []string, kinds []string, path string) (own, rest *yaml.Node) {
	own = &yaml.Node{Kind: yaml.MappingNode, Line: n.Line, Column: n.Column}
	rest = &yaml.Node{Kind: yaml.MappingNode, Line: n.Line, Column: n.Column}
	for _, kv := range b.d.pairs(n, path) {
		dst := rest
		if slices.Contains(common, kv[0].Value) {
			dst = own
		}
		dst.Content = append(dst.Content, kv[0], kv[1])
	}
	return own, rest
}

// kindOf settles an entry's kind from its kind key or its one block named
// after a kind (http:, webhook:, ...), and returns the kind's settings: the
// inline keys plus the block's.
func (b *builder) kindOf(n *yaml.Node, kind string, rest *yaml.Node, kinds []string, path, what string) (string, *yaml.Node) {
	settings := &yaml.Node{Kind: yaml.MappingNode, Line: n.Line, Column: n.Column}
	var block *yaml.Node
	var blockKind string
	inline := map[string]bool{}
	for i := 0; i+1 < len(rest.Content); i += 2 {
		k := rest.Content[i]
		if slices.Contains(kinds, k.Value) {
			if block != nil {
				b.errorf(k, "%s: a %s has one kind, but both %s: and %s: are given", path, what, blockKind, k.Value)
				return "", nil
			}
			block, blockKind = resolve(rest.Content[i+1]), k.Value
			if kind != "" && kind != blockKind {
				b.errorf(k, "%s: kind is %s but the settings are under %s:", path, kind, blockKind)
				return "", nil
			}
			continue
		}
		inline[k.Value] = true
		settings.Content = append(settings.Content, k, rest.Content[i+1])
	}
	if kind == "" {
		if block == nil {
			b.errorf(n, "%s: kind is missing (one of %s)", path, strings.Join(kinds, ", "))
			return "", nil
		}
		kind = blockKind
	}
	if !slices.Contains(kinds, kind) {
		b.errorf(at(n, "kind"), "%s: unknown kind %q (one of %s)", path, kind, strings.Join(kinds, ", "))
		return "", nil
	}
	if block != nil && !isNull(block) {
		if block.Kind != yaml.MappingNode {
			b.errorf(block, "%s.%s: want a mapping of the %s settings, got %s", path, blockKind, blockKind, kindName(block))
			return "", nil
		}
		for _, kv := range b.d.pairs(block, path+"."+blockKind) {
			if inline[kv[0].Value] {
				b.errorf(kv[0], "%s: %s is given both inline and under %s:", path, kv[0].Value, blockKind)
				continue
			}
			settings.Content = append(settings.Content, kv[0], kv[1])
		}
	}
	return kind, settings
}

func kindStrings() []string {
	out := make([]string, len(Kinds))
	for i, k := range Kinds {
		out[i] = string(k)
	}
	return out
}

func (b *builder) check(n *yaml.Node) {
	i := len(b.checks)
	path := itemPath("checks", n, "id", i)
	errsBefore := len(b.d.errs)
	f := fileCheck{Interval: DefaultInterval, FailuresToDown: DefaultFailuresToDown, SuccessesToUp: DefaultSuccessesToUp}
	own, rest := b.split(n, keysOf(reflect.TypeFor[fileCheck]()), kindStrings(), path)
	b.d.decode(own, reflect.ValueOf(&f).Elem(), path)
	if !b.id(n, "id", "check", path, f.ID, b.checks) {
		return
	}
	if lookup(n, "timeout") == nil {
		f.Timeout = min(DefaultTimeout, f.Interval)
	}
	kindStr, specNode := b.kindOf(n, string(f.Kind), rest, kindStrings(), path, "check")
	c := status.Check{
		ID: f.ID, Name: f.Name, Component: f.Component, Kind: status.Kind(kindStr), Target: f.Target,
		Interval: f.Interval, Timeout: f.Timeout, Retries: f.Retries,
		FailuresToDown: f.FailuresToDown, SuccessesToUp: f.SuccessesToUp, DegradedAfter: f.DegradedAfter,
		Customer: f.Customer, Locations: f.Locations,
	}
	if c.Name == "" {
		c.Name = c.ID
	}
	if c.Component == "" {
		b.errorf(n, "%s: component is missing", path)
	} else {
		b.refer(at(n, "component"), "component", c.Component, path+".component")
		if cs := b.customers[c.Component]; c.Customer != "" && len(cs) > 0 && !slices.Contains(cs, c.Customer) {
			b.errorf(at(n, "customer"), "%s: customer %q is not among component %s's customers (%s)", path, c.Customer, c.Component, strings.Join(cs, ", "))
		}
	}
	if c.Interval < time.Second {
		b.errorf(at(n, "interval"), "%s: interval %s is shorter than 1s", path, c.Interval)
	}
	if c.Kind != status.KindHeartbeat && (c.Timeout <= 0 || c.Timeout > c.Interval) {
		b.errorf(at(n, "timeout"), "%s: timeout %s must be more than 0 and at most the interval (%s)", path, c.Timeout, c.Interval)
	}
	if c.Retries < 0 || c.Retries > 10 {
		b.errorf(at(n, "retries"), "%s: retries must be from 0 to 10, not %d", path, c.Retries)
	}
	if c.FailuresToDown < 1 {
		b.errorf(at(n, "failures_to_down"), "%s: failures_to_down must be at least 1", path)
	}
	if c.SuccessesToUp < 1 {
		b.errorf(at(n, "successes_to_up"), "%s: successes_to_up must be at least 1", path)
	}
	for j, loc := range c.Locations {
		if !slugRE.MatchString(loc) {
			b.errorf(at(n, "locations"), "%s.locations[%d]: %q is not a location name (lower-case letters, digits, '-', '_')", path, j, loc)
		}
	}
	b.quorum(n, &c, f.Quorum, path)
	if c.Kind != status.KindHeartbeat && c.Target == "" && kindStr != "" && !probeWired {
		b.errorf(n, "%s: target is missing (a URL for http, host:port for tcp, ...)", path)
	}
	if kindStr == "" {
		return
	}
	spec, err := newProbeSpec(c.Kind)
	if err != nil {
		b.errorf(at(n, "kind"), "%s: %v", path, err)
		return
	}
	b.typos(specNode, reflect.ValueOf(spec).Elem(), keysOf(reflect.TypeFor[fileCheck]()), path)
	b.d.decode(specNode, reflect.ValueOf(spec).Elem(), path)
	b.resolveFiles(reflect.ValueOf(spec).Elem(), "")
	raw, err := json.Marshal(spec)
	if err != nil {
		b.errorf(n, "%s: %v", path, err)
		return
	}
	if string(raw) != "{}" && string(raw) != "null" {
		c.Spec = raw
	}
	// With problems already reported, ask the domain and the probe anyway:
	// a bad condition two lines below a typo deserves its own report. But
	// keep only what they say about a setting they name, since anything
	// else may just echo the earlier problem (a bad duration read as 0).
	hadErrors := len(b.d.errs) > errsBefore || b.d.broken(n)
	if !hadErrors {
		if err := c.Validate(); err != nil {
			b.errorf(n, "%s: %s", path, errText(err))
			return
		}
	}
	if err := validateCheck(&c); err != nil {
		msg := strings.TrimPrefix(errText(err), fmt.Sprintf("%s check %s: ", c.Kind, c.ID))
		pos := blame(specNode, msg, nil)
		if pos == nil && !hadErrors {
			pos = n
		}
		if pos != nil {
			b.errorf(pos, "%s: %s", path, msg)
		}
		return
	}
	if hadErrors {
		return
	}
	b.cfg.Plan.Checks = append(b.cfg.Plan.Checks, c)
}

// errText drops the "invalid: " code prefix of the domain's errors; in a
// config file every problem is invalid.
func errText(err error) string {
	return strings.TrimPrefix(err.Error(), "invalid: ")
}

// blame finds the setting a validation error is about: the scalar whose
// value the message quotes (a condition, a URL), longest first, so a bad
// condition is reported on its own line rather than the check's.
func blame(settings *yaml.Node, msg string, fallback *yaml.Node) *yaml.Node {
	var best *yaml.Node
	var walk func(*yaml.Node)
	walk = func(n *yaml.Node) {
		n = resolve(n)
		if n == nil {
			return
		}
		if n.Kind == yaml.MappingNode {
			// Values only: a key named in the message ("type") is a
			// worse place than the value the message quotes.
			for i := 1; i < len(n.Content); i += 2 {
				walk(n.Content[i])
			}
			return
		}
		if n.Kind == yaml.ScalarNode {
			if len(n.Value) >= 3 && strings.Contains(msg, n.Value) && (best == nil || len(n.Value) > len(best.Value)) {
				best = n
			}
			return
		}
		for _, c := range n.Content {
			walk(c)
		}
	}
	if settings != nil {
		walk(settings)
	}
	if best == nil {
		return fallback
	}
	return best
}

func (b *builder) outlier(n *yaml.Node) {
	i := len(b.cfg.Plan.OutlierGroups)
	path := itemPath("outliers", n, "id", i)
	g := status.OutlierGroup{Algorithm: "mad", Tolerance: 3, Window: 15 * time.Minute, Bucket: time.Minute, Signal: "latency"}
	b.d.decode(n, reflect.ValueOf(&g).Elem(), path)
	if !b.id(n, "id", "outlier group", path, g.ID, b.outliers) {
		return
	}
	switch g.Algorithm {
	case "mad", "scaledmad":
		if lookup(n, "pct") == nil {
			g.Pct = 0.2
		}
		if g.Pct <= 0 || g.Pct > 1 {
			b.errorf(at(n, "pct"), "%s: pct is a share from 0 to 1 (20%% is 0.2), not %g", path, g.Pct)
		}
	case "dbscan", "scaleddbscan":
		if lookup(n, "pct") != nil {
			b.errorf(at(n, "pct"), "%s: pct applies to the mad algorithms only", path)
		}
	default:
		b.errorf(at(n, "algorithm"), "%s: unknown algorithm %q (mad, scaledmad, dbscan or scaleddbscan)", path, g.Algorithm)
	}
	if g.Tolerance <= 0 {
		b.errorf(at(n, "tolerance"), "%s: tolerance must be more than 0", path)
	}
	if g.Bucket <= 0 || g.Window < 3*g.Bucket {
		b.errorf(at(n, "window"), "%s: window (%s) must hold at least 3 buckets of %s", path, g.Window, g.Bucket)
	}
	if g.Signal != "latency" && g.Signal != "failure_rate" {
		b.errorf(at(n, "signal"), "%s: signal is latency or failure_rate, not %q", path, g.Signal)
	}
	if g.Component == "" {
		b.errorf(n, "%s: component is missing", path)
	} else {
		b.refer(at(n, "component"), "component", g.Component, path+".component")
	}
	if len(g.Checks) < 3 {
		b.errorf(at(n, "checks"), "%s: an outlier group needs at least 3 checks to tell the odd one from the rest, got %d", path, len(g.Checks))
	}
	ln := lookup(n, "checks")
	for j, id := range g.Checks {
		pos := at(n, "checks")
		if ln != nil && ln.Kind == yaml.SequenceNode && j < len(ln.Content) {
			pos = ln.Content[j]
		}
		k := slices.IndexFunc(b.cfg.Plan.Checks, func(c status.Check) bool { return c.ID == id })
		switch {
		case k >= 0 && b.cfg.Plan.Checks[k].Peers != "":
			b.errorf(pos, "%s.checks[%d]: check %s is already in outlier group %s", path, j, id, b.cfg.Plan.Checks[k].Peers)
		case k >= 0:
			b.cfg.Plan.Checks[k].Peers = g.ID
		default:
			b.refer(pos, "check", id, fmt.Sprintf("%s.checks[%d]", path, j))
		}
	}
	b.cfg.Plan.OutlierGroups = append(b.cfg.Plan.OutlierGroups, g)
}

func (b *builder) metric(n *yaml.Node) {
	path := itemPath("metrics", n, "id", len(b.metrics))
	var r status.MetricRule
	b.d.decode(n, reflect.ValueOf(&r).Elem(), path)
	if !b.id(n, "id", "metric rule", path, r.ID, b.metrics) {
		return
	}
	if r.Component == "" {
		b.errorf(n, "%s: component is missing", path)
	} else {
		b.refer(at(n, "component"), "component", r.Component, path+".component")
	}
	if s := (status.Sample{Name: r.Metric, Value: 0, At: time.Unix(1, 0)}); s.Validate() != nil {
		b.errorf(at(n, "metric"), "%s: %s", path, errText(s.Validate()))
	}
	anomalyKeys := []string{"direction", "bounds", "baseline", "alert_window", "share", "recovery", "min_change", "seasonality"}
	thresholdKeys := []string{"below", "above", "for"}
	switch r.Kind {
	case "threshold":
		for _, k := range anomalyKeys {
			if v := lookup(n, k); v != nil {
				b.errorf(v, "%s: %s applies to anomaly rules, and this is a threshold rule", path, k)
			}
		}
		if r.Below == nil && r.Above == nil {
			b.errorf(n, "%s: a threshold rule needs below:, above: or both", path)
		}
		if r.Below != nil && r.Above != nil && *r.Below >= *r.Above {
			b.errorf(at(n, "below"), "%s: below (%g) must be less than above (%g)", path, *r.Below, *r.Above)
		}
	case "anomaly":
		for _, k := range thresholdKeys {
			if v := lookup(n, k); v != nil {
				b.errorf(v, "%s: %s applies to threshold rules, and this is an anomaly rule", path, k)
			}
		}
		b.anomalyDefaults(n, &r)
		b.anomalyChecks(n, &r, path)
	case "":
		b.errorf(n, "%s: kind is missing (threshold or anomaly)", path)
	default:
		b.errorf(at(n, "kind"), "%s: unknown kind %q (threshold or anomaly)", path, r.Kind)
	}
	if r.Status == "" {
		r.Status = status.Degraded
	} else if !r.Status.Valid() || r.Status == status.Operational || r.Status == status.UnderMaintenance {
		b.errorf(at(n, "status"), "%s: status is degraded_performance, partial_outage or major_outage, not %q", path, r.Status)
	}
	b.cfg.Plan.MetricRules = append(b.cfg.Plan.MetricRules, r)
}

func (b *builder) anomalyDefaults(n *yaml.Node, r *status.MetricRule) {
	set := func(key string, apply func()) {
		if lookup(n, key) == nil {
			apply()
		}
	}
	set("direction", func() { r.Direction = "both" })
	set("bounds", func() { r.Bounds = 3 })
	set("alert_window", func() { r.AlertWindow = 5 * time.Minute })
	set("share", func() { r.Share = 0.6 })
	set("recovery", func() { r.Recovery = 10 * time.Minute })
	set("min_change", func() { r.MinChange = 0.2 })
	set("baseline", func() {
		r.Baseline = 24 * time.Hour
		if r.Seasonality == "hour_of_week" {
			r.Baseline = 4 * 7 * 24 * time.Hour
		}
	})
}

func (b *builder) anomalyChecks(n *yaml.Node, r *status.MetricRule, path string) {
	switch r.Direction {
	case "drop", "rise", "both":
	default:
		b.errorf(at(n, "direction"), "%s: direction is drop, rise or both, not %q", path, r.Direction)
	}
	if r.Bounds <= 0 {
		b.errorf(at(n, "bounds"), "%s: bounds must be more than 0 (3 is usual)", path)
	}
	if r.Share <= 0 || r.Share > 1 {
		b.errorf(at(n, "share"), "%s: share is a fraction from 0 to 1 (60%% is 0.6), not %g", path, r.Share)
	}
	if r.MinChange < 0 {
		b.errorf(at(n, "min_change"), "%s: min_change must not be negative", path)
	}
	if r.AlertWindow < time.Minute {
		b.errorf(at(n, "alert_window"), "%s: alert_window must be at least 1m, not %s", path, r.AlertWindow)
	}
	if r.Baseline < 2*r.AlertWindow {
		b.errorf(at(n, "baseline"), "%s: baseline (%s) must be at least twice the alert_window (%s)", path, r.Baseline, r.AlertWindow)
	}
	switch r.Seasonality {
	case "":
	case "hour_of_week":
		if r.Baseline < 7*24*time.Hour {
			b.errorf(at(n, "baseline"), "%s: hour_of_week seasonality needs a baseline of at least 7d, not %s", path, r.Baseline)
		}
	default:
		b.errorf(at(n, "seasonality"), "%s: seasonality is empty or hour_of_week, not %q", path, r.Seasonality)
	}
}

var validEvents = []status.Event{status.EventDown, status.EventUp, status.EventReminder, status.EventAnomaly, status.EventEscalate, status.EventBuild, status.EventIncident, status.EventTestAlert}

func (b *builder) route(i int, n *yaml.Node) {
	path := fmt.Sprintf("routes[%d]", i)
	var r status.Route
	b.d.decode(n, reflect.ValueOf(&r).Elem(), path)
	if len(r.Components) == 0 {
		b.errorf(n, "%s: components is missing (component ids, or \"*\" for all)", path)
	}
	cn := lookup(n, "components")
	for j, c := range r.Components {
		if c == "*" {
			continue
		}
		pos := at(n, "components")
		if cn != nil && cn.Kind == yaml.SequenceNode && j < len(cn.Content) {
			pos = cn.Content[j]
		}
		b.refer(pos, "component", c, fmt.Sprintf("%s.components[%d]", path, j))
	}
	en := lookup(n, "events")
	for j, e := range r.Events {
		if !slices.Contains(validEvents, e) {
			pos := at(n, "events")
			if en != nil && en.Kind == yaml.SequenceNode && j < len(en.Content) {
				pos = en.Content[j]
			}
			names := make([]string, len(validEvents))
			for k, v := range validEvents {
				names[k] = string(v)
			}
			b.errorf(pos, "%s.events[%d]: unknown event %q (one of %s)", path, j, e, strings.Join(names, ", "))
		}
	}
	if len(r.Notifiers) == 0 {
		b.errorf(n, "%s: notifiers is missing", path)
	}
	b.refList(n, "notifiers", "notifier", r.Notifiers, path)
	b.cfg.Plan.Routes = append(b.cfg.Plan.Routes, r)
}

func (b *builder) maintenance(i int, n *yaml.Node) {
	path := fmt.Sprintf("maintenance[%d]", i)
	var f fileMaintenance
	before := len(b.d.errs)
	b.d.decode(n, reflect.ValueOf(&f).Elem(), path)
	if len(b.d.errs) > before {
		return
	}
	m := status.Maintenance{Title: f.Title, Components: f.Components, Start: f.Start, End: f.End}
	if err := m.Validate(); err != nil {
		b.errorf(n, "%s: %s", path, errText(err))
	}
	b.refList(n, "components", "component", f.Components, path)
	b.cfg.Plan.Maintenances = append(b.cfg.Plan.Maintenances, m)
}

func (b *builder) alerting(n *yaml.Node) {
	f := fileAlerting{RemindEvery: time.Hour, FlapWindow: 15 * time.Minute, FlapChanges: 5}
	b.d.decode(n, reflect.ValueOf(&f).Elem(), "alerting")
	if f.RemindEvery != 0 && f.RemindEvery < time.Minute {
		b.errorf(at(n, "remind_every"), "alerting.remind_every: remind at most once a minute (or 0 for never), not every %s", f.RemindEvery)
	}
	if f.FlapChanges < 0 || f.FlapChanges == 1 {
		b.errorf(at(n, "flap_changes"), "alerting.flap_changes: 0 turns flap suppression off; otherwise it needs at least 2 changes, not %d", f.FlapChanges)
	}
	if f.FlapChanges > 0 && f.FlapWindow <= 0 {
		b.errorf(at(n, "flap_window"), "alerting.flap_window: must be more than 0 while flap_changes is set")
	}
	b.cfg.AllowPrivateDestinations = f.AllowPrivateAddresses
	p := &b.cfg.Plan.Alerting
	p.RemindEvery, p.FlapWindow, p.FlapChanges = f.RemindEvery, f.FlapWindow, f.FlapChanges
}

// typos reports kind settings that the kind does not know but that look
// like a misspelt common key ("intreval"), which would otherwise be
// blamed on the kind or, for plain JSON settings, pass unnoticed.
func (b *builder) typos(settings *yaml.Node, spec reflect.Value, common []string, path string) {
	var specKeys []string
	if spec.Kind() == reflect.Struct {
		specKeys = keysOf(spec.Type())
	}
	for i := 0; i+1 < len(settings.Content); i += 2 {
		k := settings.Content[i]
		if slices.Contains(specKeys, k.Value) {
			continue
		}
		if s := suggest(k.Value, common); s != "" {
			b.errorf(k, "unknown key %q in %s (did you mean %q?)", k.Value, path, s)
			// Drop it, so the kind does not report it a second time.
			settings.Content = append(settings.Content[:i:i], settings.Content[i+2:]...)
			i -= 2
		}
	}
}

// resolveFiles makes every setting whose key ends in _file (token_file,
// password_file, ca_file) absolute against the config's folder: the
// probe and notify packages read them later, from whatever directory the
// server runs in.
func (b *builder) resolveFiles(v reflect.Value, key string) {
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface:
		if !v.IsNil() {
			e := v.Elem()
			if v.Kind() == reflect.Interface && e.Kind() == reflect.String {
				if strings.HasSuffix(key, "_file") {
					v.Set(reflect.ValueOf(b.resolvePath(e.String())))
				}
				return
			}
			b.resolveFiles(e, key)
		}
	case reflect.String:
		if strings.HasSuffix(key, "_file") && v.CanSet() {
			v.SetString(b.resolvePath(v.String()))
		}
	case reflect.Struct:
		for _, f := range fieldsOf(v.Type()) {
			b.resolveFiles(v.FieldByIndex(f.index), f.name)
		}
	case reflect.Map:
		for _, k := range v.MapKeys() {
			e := reflect.New(v.Type().Elem()).Elem()
			e.Set(v.MapIndex(k))
			b.resolveFiles(e, k.String())
			v.SetMapIndex(k, e)
		}
	case reflect.Slice:
		for i := range v.Len() {
			b.resolveFiles(v.Index(i), key)
		}
	}
}
