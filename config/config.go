package config

import (
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net"
	"net/netip"
	"net/url"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"

	yaml "go.yaml.in/yaml/v3"

	"github.com/safetynet-dev/safetynet/release"
	"github.com/safetynet-dev/safetynet/status"
)

// DefaultFile is the configuration file read when --config is not given.
const DefaultFile = "safetynet.yaml"

// DefaultListen is where the server listens unless told otherwise: loopback,
// so a first run exposes nothing.
const DefaultListen = "127.0.0.1:8080"

// Config is a validated configuration file.
type Config struct {
	// File is the absolute path of the file read; Dir is its folder, which
	// relative paths in the file are resolved against.
	File, Dir string
	Server    Server
	Storage   Storage
	Page      Page
	// DemoTarget is set when the file asks for the built-in demo service.
	DemoTarget DemoTarget
	// IngestTokens may push metrics (POST /api/v1/metrics). Only their
	// SHA-256 hashes are kept; use IngestToken to check one.
	IngestTokens []Token
	// Plan is what the monitor runs.
	Plan status.Plan
	// AllowPrivateDestinations lets notifiers reach loopback and
	// link-local addresses (alerting.allow_private_addresses): pass it as
	// notify.Env.AllowPrivate. Off by default, since a webhook aimed at
	// 169.254.169.254 or the server's own admin API is an attack.
	AllowPrivateDestinations bool
	// Incidents is the policy of automatic incidents (the incidents:
	// section), status.DefaultIncidentPolicy where the file is silent.
	Incidents status.IncidentPolicy
	// Releases are the release gate's policy (releases:) and the mapping
	// of AWS events to services (aws_events:).
	Releases release.Settings
	// Sum identifies the whole configuration's meaning (not its comments or
	// layout): two loads with equal Sums configure the same server.
	Sum string
}

// Server holds where the server listens and how it is reached.
type Server struct {
	Listen string // host:port, default 127.0.0.1:8080
	// BaseURL is the public URL, for links in alerts. When the file leaves
	// it out it is derived from Listen (see SetListen).
	BaseURL string
	// DataDir is a folder for files the server keeps besides the
	// database; default the config file's folder.
	DataDir string
	// TrustedProxies are the reverse proxies whose X-Forwarded-For and
	// X-Forwarded-Proto are believed; without them the peer address is
	// the client.
	TrustedProxies []netip.Prefix
	// RateLimit limits public requests per client address.
	RateLimit RateLimit

	baseDerived bool
}

// RateLimit is the public endpoints' per-client limit. Zero rates mean the
// server's defaults (50 requests/s, bursts of 100); loopback clients are
// exempt.
type RateLimit struct {
	Enabled   bool
	PerSecond float64
	Burst     int
}

// Storage says where results and state are kept.
type Storage struct {
	// Driver is "sqlite" or "postgres", from the DSN's form.
	Driver string
	// DSN is an absolute SQLite file path (with any ?query kept) or a
	// PostgreSQL URL or key=value string. It may hold a password: log
	// Redacted() instead.
	DSN       string
	Retention status.Retention
}

// Redacted returns the DSN with any password masked, for logs.
func (s Storage) Redacted() string {
	if s.Driver != "postgres" {
		return s.DSN
	}
	if u, err := url.Parse(s.DSN); err == nil && u.Scheme != "" {
		return u.Redacted()
	}
	return kvPasswordRE.ReplaceAllString(s.DSN, "${1}xxxxx")
}

var kvPasswordRE = regexp.MustCompile(`(password\s*=\s*)('[^']*'|\S+)`)

// DemoTarget asks serve to start the demo target (safetynet demo-target)
// in-process on Listen; empty Listen means not to.
type DemoTarget struct {
	Listen string
}

// Page is the status page's branding (kept small until the status page
// exists).
type Page struct {
	Title       string
	Description string
	// Logo is a URL or an absolute file path.
	Logo string
}

// Token is an ingestion token, kept only as a hash so a memory dump or a
// debug print of the Config does not leak it.
type Token struct {
	Name string
	Hash [sha256.Size]byte
}

// IngestToken reports which configured token secret is, in constant time
// per token.
func (c *Config) IngestToken(secret string) (name string, ok bool) {
	h := sha256.Sum256([]byte(secret))
	for _, t := range c.IngestTokens {
		if subtle.ConstantTimeCompare(h[:], t.Hash[:]) == 1 {
			name, ok = t.Name, true
		}
	}
	return name, ok
}

// SetListen changes the listen address (serve --listen) and, when the file
// gave no base_url, the base URL derived from it.
func (c *Config) SetListen(addr string) {
	c.Server.Listen = addr
	if c.Server.baseDerived {
		c.Server.BaseURL = baseURLFor(addr)
		c.Plan.Alerting.BaseURL = c.Server.BaseURL
	}
}

// Summary counts what the file declares, for `config check` and logs.
func (c *Config) Summary() string {
	p := &c.Plan
	parts := []string{
		count(len(p.Components), "component"),
		count(len(p.Checks), "check"),
		count(len(p.MetricRules), "metric rule"),
		count(len(p.OutlierGroups), "outlier group"),
		count(len(p.Notifiers), "notifier"),
		count(len(p.Teams), "team"),
		count(len(p.Routes), "route"),
		count(len(p.Maintenances), "maintenance window"),
		count(len(c.IngestTokens), "ingest token"),
	}
	return strings.Join(parts, ", ")
}

func count(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return strconv.Itoa(n) + " " + noun + "s"
}

// Load reads and validates the file at path. Errors in the file come back
// as Errors; a file that cannot be read comes back as one Error.
func Load(path string, env Env) (*Config, error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, fmt.Errorf("config: %w", err)
	}
	data, err := env.readFile(abs)
	if err != nil {
		return nil, Errors{{File: path, Msg: fmt.Sprintf("cannot read: %v", unwrapPath(err))}}
	}
	c, err := parse(path, abs, data, env)
	return c, err
}

// unwrapPath drops the path an *os.PathError repeats, since the Error
// already names the file.
func unwrapPath(err error) error {
	type pathErr interface{ Unwrap() error }
	if pe, ok := err.(pathErr); ok && pe.Unwrap() != nil {
		return pe.Unwrap()
	}
	return err
}

// Parse validates data as the file named name; relative paths in it
// resolve against name's folder.
func Parse(name string, data []byte, env Env) (*Config, error) {
	abs, err := filepath.Abs(name)
	if err != nil {
		return nil, fmt.Errorf("config: %w", err)
	}
	return parse(name, abs, data, env)
}

func parse(name, abs string, data []byte, env Env) (*Config, error) {
	d := &decoder{file: name, env: env}
	var doc yaml.Node
	if err := safeUnmarshal(data, &doc); err != nil {
		return nil, Errors{syntaxError(name, err)}
	}
	root := &yaml.Node{Kind: yaml.MappingNode, Line: 1, Column: 1}
	if len(doc.Content) > 0 {
		root = doc.Content[0]
	}
	d.expandTree(root, map[*yaml.Node]bool{})
	b := &builder{d: d, cfg: &Config{File: abs, Dir: filepath.Dir(abs)}}
	b.build(root)
	if len(d.errs) > 0 {
		// Longest values first, so a secret containing another is
		// scrubbed whole.
		sort.Slice(d.used, func(i, j int) bool { return len(d.used[i].value) > len(d.used[j].value) })
		for _, e := range d.errs {
			e.Msg = redact(e.Msg, d.used)
		}
		return nil, d.errs.sort()
	}
	b.cfg.Sum = sum(b.cfg)
	return b.cfg, nil
}

// safeUnmarshal guards against a panic inside yaml.v3: a bad reload must
// not take the running server down.
func safeUnmarshal(data []byte, doc *yaml.Node) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("yaml: internal error: %v", r)
		}
	}()
	return yaml.Unmarshal(data, doc)
}

var yamlLineRE = regexp.MustCompile(`^yaml: (?:line (\d+): )?`)

// syntaxError turns yaml.v3's "yaml: line 7: ..." into a positioned Error.
func syntaxError(name string, err error) *Error {
	msg := err.Error()
	e := &Error{File: name}
	if m := yamlLineRE.FindStringSubmatch(msg); m != nil {
		e.Line, _ = strconv.Atoi(m[1])
		msg = msg[len(m[0]):]
	}
	e.Msg = "YAML syntax: " + msg
	return e
}

// sum hashes everything a Config means, so Watch can tell a real change
// from an edit to comments.
func sum(c *Config) string {
	h := sha256.New()
	enc := json.NewEncoder(h)
	_ = enc.Encode([]any{c.Server, c.Storage, c.Page, c.IngestTokens, c.Plan, c.AllowPrivateDestinations, c.Incidents, c.Releases})
	return hex.EncodeToString(h.Sum(nil))
}

// checkHash identifies a check's settings: equal settings, equal hash, so a
// reload restarts only the checks that changed.
func checkHash(c status.Check) string {
	c.Hash = ""
	data, _ := json.Marshal(c)
	h := sha256.Sum256(data)
	return hex.EncodeToString(h[:])
}

func baseURLFor(listen string) string {
	host, port, err := net.SplitHostPort(listen)
	if err != nil {
		return "http://" + listen
	}
	if host == "" || host == "0.0.0.0" || host == "::" {
		host = "localhost"
	}
	return "http://" + net.JoinHostPort(host, port)
}
