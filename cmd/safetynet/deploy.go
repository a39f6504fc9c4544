package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"strings"
	"time"

	"github.com/safetynet-dev/safetynet/release"
	"github.com/safetynet-dev/safetynet/status"
	"github.com/safetynet-dev/safetynet/store"
)

// releaseStore is the store with the release service beside it: serve
// passes it as web.Options.Store, where the release routes find the
// service the way every feature finds its store.
type releaseStore struct {
	*store.DB
	*release.Service
}

// apiClient talks to a running server's API with a token from the
// environment or a file, never from a flag: a flag's value shows in ps.
type apiClient struct {
	m         *Main
	url       string
	tokenFile string
	token     string
	http      *http.Client
}

// addFlags registers --url and --token-file.
func (c *apiClient) addFlags(fs *flag.FlagSet) {
	fs.StringVar(&c.url, "url", "", "the server's `URL` (default $SAFETYNET_URL)")
	fs.StringVar(&c.tokenFile, "token-file", "", "read the API token from this `file` (default $SAFETYNET_TOKEN)")
}

// setup resolves the URL and token after the flags are parsed.
func (c *apiClient) setup() error {
	if c.url == "" {
		c.url = c.m.Getenv("SAFETYNET_URL")
	}
	if c.url == "" {
		return errors.New("no server: set SAFETYNET_URL or pass --url")
	}
	u, err := url.Parse(c.url)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return fmt.Errorf("server URL %q: want http(s)://host[:port]", c.url)
	}
	c.url = strings.TrimRight(c.url, "/")
	if c.tokenFile != "" {
		b, err := os.ReadFile(c.m.abs(c.tokenFile))
		if err != nil {
			return fmt.Errorf("token file: %w", err)
		}
		c.token = strings.TrimSpace(string(b))
	} else {
		c.token = strings.TrimSpace(c.m.Getenv("SAFETYNET_TOKEN"))
	}
	if c.token == "" {
		return errors.New("no token: set SAFETYNET_TOKEN or pass --token-file (a token with the deploy scope: safetynet token create --scope deploy)")
	}
	c.http = &http.Client{Timeout: 30 * time.Second}
	return nil
}

// apiError is an answer other than the one expected, with the server's
// message.
type apiError struct {
	code int
	msg  string
}

func (e *apiError) Error() string { return fmt.Sprintf("server answered %d: %s", e.code, e.msg) }

// post sends body as JSON and decodes a want-status answer into out.
func (c *apiClient) post(ctx context.Context, path string, body any, want int, out any) error {
	b, err := json.Marshal(body)
	if err != nil {
		return err
	}
	req, err := http.NewRequestWithContext(ctx, "POST", c.url+path, bytes.NewReader(b))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+c.token)
	resp, err := c.http.Do(req)
	if err != nil {
		return fmt.Errorf("server %s: %w", c.url, err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, 4<<20))
	if err != nil {
		return fmt.Errorf("server %s: %w", c.url, err)
	}
	if resp.StatusCode != want {
		var e struct {
			Error struct{ Message string } `json:"error"`
		}
		msg := strings.TrimSpace(string(data))
		if json.Unmarshal(data, &e) == nil && e.Error.Message != "" {
			msg = e.Error.Message
		}
		return &apiError{resp.StatusCode, msg}
	}
	if err := json.Unmarshal(data, out); err != nil {
		return fmt.Errorf("server %s: answer is not JSON: %w", c.url, err)
	}
	return nil
}

// issueFlag collects repeated SEVERITY:TITLE[:WORKAROUND] values; titles
// may hold commas, so values are not split.
type issueFlag struct {
	issues *[]status.Issue
	public bool
}

func (f issueFlag) String() string { return "" }

func (f issueFlag) Set(s string) error {
	sev, rest, ok := strings.Cut(s, ":")
	if !ok {
		return fmt.Errorf("%q: write SEVERITY:TITLE[:WORKAROUND], like minor:Exports are slow:export by month", s)
	}
	title, workaround, _ := strings.Cut(rest, ":")
	is := status.Issue{Title: strings.TrimSpace(title), Severity: status.Impact(strings.TrimSpace(sev)), Workaround: strings.TrimSpace(workaround), Public: f.public}
	if err := is.Validate("issue"); err != nil {
		return err
	}
	*f.issues = append(*f.issues, is)
	return nil
}

// deployCmd is `safetynet deploy record`: a pipeline tells the server it
// deployed a version, with what it fixes and the known issues it brings.
type deployCmd struct {
	m      *Main
	client apiClient
	dep    status.Deployment
	comps  listFlag
	file   string
	json   bool
}

const deployExamples = `  export SAFETYNET_URL=https://status.example.com SAFETYNET_TOKEN=snt_...   # a deploy-scoped token
  safetynet deploy record --service api --version 2.0.1 --env staging --component api \
      --commit "$CODEBUILD_RESOLVED_SOURCE_VERSION" \
      --fix 'critical:Logins fail for SSO users' \
      --issue 'minor:Exports over 10k rows are slow:export by month'
  safetynet deploy record --file deployment.json     # the JSON body of POST /api/v1/deployments

--issue records a public known issue (published on the status page when the
release ships to production); --internal-issue one that stays internal.
Severities: minor, major, critical.
`

func (c *deployCmd) ParseFlags(args []string) error {
	c.client.m = c.m
	fs := c.m.newFlagSet("deploy", "deploy record --service S --version V --env ENV [flags]", deployExamples)
	if len(args) == 0 || args[0] != "record" {
		if len(args) > 0 && (args[0] == "-h" || args[0] == "--help" || args[0] == "-help" || args[0] == "help") {
			return parse(fs, []string{"--help"}, c.m.Stdout)
		}
		fs.SetOutput(c.m.Stderr)
		fs.Usage()
		return usageError{errors.New("deploy: missing subcommand (record)")}
	}
	c.client.addFlags(fs)
	fs.StringVar(&c.dep.Service, "service", "", "the service deployed")
	fs.StringVar(&c.dep.Version, "version", "", "its version")
	fs.StringVar(&c.dep.Environment, "env", "", "the environment deployed to (staging, production, ...)")
	fs.Var(&c.comps, "component", "a component the release runs in (repeat or separate with commas); its soak watches them")
	fs.StringVar(&c.dep.Commit, "commit", "", "the commit deployed")
	fs.StringVar(&c.dep.PipelineURL, "pipeline-url", "", "a link to the pipeline run")
	fs.Var(issueFlag{issues: &c.dep.Fixes, public: true}, "fix", "an issue it fixes, as SEVERITY:TITLE (repeat)")
	fs.Var(issueFlag{issues: &c.dep.Introduces, public: true}, "issue", "a public known issue it brings, as SEVERITY:TITLE[:WORKAROUND] (repeat)")
	fs.Var(issueFlag{issues: &c.dep.Introduces}, "internal-issue", "an internal known issue it brings, as SEVERITY:TITLE[:WORKAROUND] (repeat)")
	fs.StringVar(&c.file, "file", "", "read the deployment from a JSON `file` instead of flags")
	fs.BoolVar(&c.json, "json", false, "print the recorded deployment as JSON")
	if err := parse(fs, args[1:], c.m.Stdout); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usageError{fmt.Errorf("deploy record: unexpected argument(s) %q", fs.Args())}
	}
	c.dep.Components = c.comps
	if c.file == "" && (c.dep.Service == "" || c.dep.Version == "" || c.dep.Environment == "") {
		return usageError{errors.New("deploy record: --service, --version and --env are required (or --file)")}
	}
	if err := c.client.setup(); err != nil {
		return usageError{err}
	}
	return nil
}

func (c *deployCmd) Run(ctx context.Context) error {
	var body any = map[string]any{"service": c.dep.Service, "version": c.dep.Version, "environment": c.dep.Environment,
		"components": c.dep.Components, "commit": c.dep.Commit, "pipeline_url": c.dep.PipelineURL, "fixes": c.dep.Fixes, "introduces": c.dep.Introduces}
	if c.file != "" {
		b, err := os.ReadFile(c.m.abs(c.file))
		if err != nil {
			return err
		}
		var raw json.RawMessage
		if err := json.Unmarshal(b, &raw); err != nil {
			return fmt.Errorf("%s: %w", c.file, err)
		}
		body = raw
	}
	var d status.Deployment
	if err := c.client.post(ctx, "/api/v1/deployments", body, http.StatusCreated, &d); err != nil {
		return fmt.Errorf("deploy record: %w", err)
	}
	if c.json {
		enc := json.NewEncoder(c.m.Stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(d)
	}
	fmt.Fprintf(c.m.Stdout, "recorded deployment %d: %s %s to %s\n", d.ID, d.Service, d.Version, d.Environment)
	return nil
}

func (c *deployCmd) Close() error { return nil }
