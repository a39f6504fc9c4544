package codepipeline_test

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"os"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-sdk-go-v2/aws"

	"github.com/safetynet-dev/safetynet/pipeline/codepipeline"
)

const (
	bucket = "codepipeline-eu-west-1-123456789012"
	key    = "web-pipeline/SourceArti/k3Jq9Zx"
	jobID  = "5d4fc2a1-8c3e-4b1f-9e2a-0f6b7c8d9e10"

	artifactKeyID   = "ASIAARTIFACTEXAMPLE1"
	artifactToken   = "FwoGZXIvYXdzEXAMPLEARTIFACTSESSIONTOKEN"
	functionKeyID   = "ASIAFUNCTIONEXAMPLE2"
	functionToken   = "FwoGZXIvYXdzEXAMPLEFUNCTIONSESSION"
	targetSuccess   = "CodePipeline_20150709.PutJobSuccessResult"
	targetFailure   = "CodePipeline_20150709.PutJobFailureResult"
	contentTypeJSON = "application/x-amz-json-1.1"
)

// request is one request the fake AWS received, as sent on the wire.
type request struct {
	Method, Path, Target, ContentType, Auth, Token string
	Body                                           []byte
}

// fakeAWS answers S3 GetObject (path-style) and CodePipeline's JSON 1.1
// protocol on one loopback server, and records every request.
type fakeAWS struct {
	t       *testing.T
	mu      sync.Mutex
	objects map[string][]byte // "/bucket/key" -> body
	s3Error int               // answer GetObject with this status
	cpError bool              // refuse PutJob*Result
	reqs    []request
}

func (f *fakeAWS) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	rec := request{
		Method: r.Method, Path: r.URL.EscapedPath(), Target: r.Header.Get("X-Amz-Target"),
		ContentType: r.Header.Get("Content-Type"), Auth: r.Header.Get("Authorization"),
		Token: r.Header.Get("X-Amz-Security-Token"), Body: body,
	}
	f.mu.Lock()
	f.reqs = append(f.reqs, rec)
	obj, ok := f.objects[rec.Path]
	s3Error, cpError := f.s3Error, f.cpError
	f.mu.Unlock()

	if rec.Target != "" {
		w.Header().Set("Content-Type", contentTypeJSON)
		if cpError {
			// Not retried by the SDK, so the test does not wait on backoff.
			w.WriteHeader(http.StatusBadRequest)
			io.WriteString(w, `{"__type":"InvalidJobStateException","message":"job is not in progress"}`)
			return
		}
		io.WriteString(w, `{}`)
		return
	}
	if r.Method != http.MethodGet {
		http.Error(w, "unexpected", http.StatusMethodNotAllowed)
		return
	}
	w.Header().Set("Content-Type", "application/xml")
	switch {
	case s3Error == http.StatusForbidden:
		w.WriteHeader(http.StatusForbidden)
		io.WriteString(w, `<?xml version="1.0" encoding="UTF-8"?><Error><Code>AccessDenied</Code><Message>Access Denied</Message></Error>`)
	case !ok:
		w.WriteHeader(http.StatusNotFound)
		io.WriteString(w, `<?xml version="1.0" encoding="UTF-8"?><Error><Code>NoSuchKey</Code><Message>The specified key does not exist.</Message></Error>`)
	default:
		w.Header().Set("Content-Type", "application/zip")
		w.Header().Set("Content-Length", strconv.Itoa(len(obj)))
		w.Write(obj)
	}
}

func (f *fakeAWS) requests() []request {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]request(nil), f.reqs...)
}

// setup starts the fake AWS holding artifact at the fixture's location and
// a handler pointed at it.
func setup(t *testing.T, artifact []byte, limits codepipeline.Limits) (*fakeAWS, *codepipeline.Handler) {
	t.Helper()
	f := &fakeAWS{t: t, objects: map[string][]byte{"/" + bucket + "/" + escapeKey(key): artifact}}
	srv := httptest.NewServer(f)
	t.Cleanup(srv.Close)
	h := codepipeline.New(codepipeline.Config{
		Region:     "eu-west-1",
		Endpoint:   srv.URL,
		HTTPClient: srv.Client(),
		Credentials: aws.CredentialsProviderFunc(func(context.Context) (aws.Credentials, error) {
			return aws.Credentials{AccessKeyID: functionKeyID, SecretAccessKey: "function-secret", SessionToken: functionToken}, nil
		}),
		Limits: limits,
	})
	return f, h
}

func escapeKey(k string) string { return k } // the fixture key needs no escaping

// mustEvent reads the fixture job event with UserParameters replaced.
func mustEvent(t *testing.T, userParams string) events.CodePipelineJobEvent {
	t.Helper()
	data, err := os.ReadFile("testdata/job-event.json")
	if err != nil {
		t.Fatal(err)
	}
	var ev events.CodePipelineJobEvent
	if err := json.Unmarshal(data, &ev); err != nil {
		t.Fatal(err)
	}
	ev.CodePipelineJob.Data.ActionConfiguration.Configuration.UserParameters = userParams
	return ev
}

// entry is one file of a test artifact.
type entry struct {
	name string
	data string
	mode fs.FileMode // 0 means a regular 0644 file
}

func mustZip(t *testing.T, entries ...entry) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, e := range entries {
		hdr := &zip.FileHeader{Name: e.name, Method: zip.Deflate}
		mode := e.mode
		if mode == 0 {
			mode = 0o644
		}
		hdr.SetMode(mode)
		w, err := zw.CreateHeader(hdr)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := io.WriteString(w, e.data); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func mustRead(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// pipelineCall is the one CodePipeline request a job makes, decoded.
type pipelineCall struct {
	Target         string
	JobID          string `json:"jobId"`
	FailureDetails *struct {
		Type    string `json:"type"`
		Message string `json:"message"`
	} `json:"failureDetails"`
	ExecutionDetails *struct {
		Summary string `json:"summary"`
	} `json:"executionDetails"`
	OutputVariables map[string]string `json:"outputVariables"`
}

// mustRun handles the event and returns the CodePipeline call it made,
// checking the wire details every job shares.
func mustRun(t *testing.T, f *fakeAWS, h *codepipeline.Handler, ev events.CodePipelineJobEvent) pipelineCall {
	t.Helper()
	if err := h.Handle(context.Background(), ev); err != nil {
		t.Fatalf("Handle returned %v; a job whose result can be reported must not fail the invocation", err)
	}
	var calls []pipelineCall
	for _, r := range f.requests() {
		if r.Target == "" {
			continue
		}
		if r.ContentType != contentTypeJSON {
			t.Errorf("CodePipeline request Content-Type = %q, want %q", r.ContentType, contentTypeJSON)
		}
		if !strings.Contains(r.Auth, "Credential="+functionKeyID+"/") || r.Token != functionToken {
			t.Errorf("CodePipeline request signed with %q (token %q), want the function's own credentials", r.Auth, r.Token)
		}
		if strings.Contains(r.Auth, "/s3/") || !strings.Contains(r.Auth, "/eu-west-1/codepipeline/aws4_request") {
			t.Errorf("CodePipeline request has credential scope %q", r.Auth)
		}
		var c pipelineCall
		if err := json.Unmarshal(r.Body, &c); err != nil {
			t.Fatalf("CodePipeline body %s: %v", r.Body, err)
		}
		c.Target = r.Target
		calls = append(calls, c)
	}
	if len(calls) != 1 {
		t.Fatalf("got %d CodePipeline calls, want exactly one: %+v", len(calls), calls)
	}
	if calls[0].JobID != jobID {
		t.Errorf("jobId = %q, want %q", calls[0].JobID, jobID)
	}
	return calls[0]
}

func mustFail(t *testing.T, c pipelineCall, wantType string, wantMessage ...string) string {
	t.Helper()
	if c.Target != targetFailure || c.FailureDetails == nil {
		t.Fatalf("got %s %+v, want PutJobFailureResult", c.Target, c)
	}
	if c.FailureDetails.Type != wantType {
		t.Errorf("failure type = %q, want %q (message: %s)", c.FailureDetails.Type, wantType, c.FailureDetails.Message)
	}
	for _, w := range wantMessage {
		if !regexp.MustCompile(w).MatchString(c.FailureDetails.Message) {
			t.Errorf("failure message does not match %q:\n%s", w, c.FailureDetails.Message)
		}
	}
	if n := len(c.FailureDetails.Message); n > 5000 {
		t.Errorf("failure message is %d bytes, over CodePipeline's 5000", n)
	}
	return c.FailureDetails.Message
}

func s3Requests(f *fakeAWS) []request {
	var out []request
	for _, r := range f.requests() {
		if r.Target == "" {
			out = append(out, r)
		}
	}
	return out
}

func TestCleanTemplatePasses(t *testing.T) {
	art := mustZip(t,
		entry{name: "templates/site/bucket.yaml", data: mustRead(t, "testdata/clean.yaml")},
		entry{name: "buildspec.yml", data: "version: 0.2\n"},
		entry{name: "README.md", data: "# app\n"},
	)
	f, h := setup(t, art, codepipeline.Limits{})
	c := mustRun(t, f, h, mustEvent(t, `{"pattern": "templates/**/*.yaml"}`))
	if c.Target != targetSuccess || c.ExecutionDetails == nil {
		t.Fatalf("got %s %+v, want PutJobSuccessResult", c.Target, c.FailureDetails)
	}
	want := `safetynet: 1 template from input artifact "SourceArtifact" passed (fail_on failure): no findings; 1 suppressed with a reason.`
	if c.ExecutionDetails.Summary != want {
		t.Errorf("summary = %q\nwant      %q", c.ExecutionDetails.Summary, want)
	}
	if got := c.OutputVariables; got["files_scanned"] != "1" || got["failures"] != "0" || got["suppressed"] != "1" {
		t.Errorf("output variables = %v", got)
	}

	// The artifact is read from the job's bucket and key, path-style, with
	// the artifact credentials from the event and never the function's.
	gets := s3Requests(f)
	if len(gets) != 1 {
		t.Fatalf("got %d S3 requests, want 1: %+v", len(gets), gets)
	}
	g := gets[0]
	if g.Method != http.MethodGet || g.Path != "/"+bucket+"/"+key {
		t.Errorf("S3 request %s %s, want GET /%s/%s", g.Method, g.Path, bucket, key)
	}
	if !strings.HasPrefix(g.Auth, "AWS4-HMAC-SHA256 Credential="+artifactKeyID+"/") || !strings.Contains(g.Auth, "/eu-west-1/s3/aws4_request") {
		t.Errorf("S3 Authorization = %q, want a SigV4 signature with the artifact credentials", g.Auth)
	}
	if g.Token != artifactToken {
		t.Errorf("S3 X-Amz-Security-Token = %q, want the artifact session token", g.Token)
	}
}

func TestFindingsFailTheJob(t *testing.T) {
	art := mustZip(t,
		entry{name: "templates/network.yaml", data: mustRead(t, "testdata/network.yaml")},
		entry{name: "templates/site/bucket.yaml", data: mustRead(t, "testdata/clean.yaml")},
	)
	f, h := setup(t, art, codepipeline.Limits{})
	c := mustRun(t, f, h, mustEvent(t, `{"pattern": "templates/**/*.yaml"}`))
	msg := mustFail(t, c, "JobFailed",
		`^safetynet: 2 findings at or above failure in 2 templates from input artifact "SourceArtifact" \(2 failures, 3 warnings in all; 1 suppressed with a reason\)\.\n`,
		`\ntemplates/network\.yaml:10 SG-010 failure Open: security group opens port SSH \(22\) to the world`,
		`\ntemplates/network\.yaml:2 SG-004 \(F1000\) failure Open: `,
	)
	// Warnings under fail_on are counted in the headline, not listed.
	if strings.Contains(msg, "SG-009") {
		t.Errorf("a warning under fail_on is listed:\n%s", msg)
	}

	// fail_on warning lists them too; rules narrows what runs.
	f, h = setup(t, art, codepipeline.Limits{})
	c = mustRun(t, f, h, mustEvent(t, `{"pattern": "templates/**/*.yaml", "fail_on": "warning", "rules": "all,-SG-010"}`))
	msg = mustFail(t, c, "JobFailed", `templates/network\.yaml:7 SG-009 \(W36\) warning Open`)
	if strings.Contains(msg, "SG-010") {
		t.Errorf("a rule removed by rules ran:\n%s", msg)
	}

	// fail_on none reports the findings and passes.
	f, h = setup(t, art, codepipeline.Limits{})
	c = mustRun(t, f, h, mustEvent(t, `{"pattern": "templates/**/*.yaml", "fail_on": "none", "rules": ["SG"]}`))
	if c.Target != targetSuccess {
		t.Fatalf("fail_on none: got %s %+v", c.Target, c.FailureDetails)
	}
	if s := c.ExecutionDetails.Summary; !strings.Contains(s, "\ntemplates/network.yaml:10 SG-010 failure Open") || !strings.Contains(s, "(fail_on none)") {
		t.Errorf("summary does not list the findings:\n%s", s)
	}
	if c.OutputVariables["failures"] != "2" {
		t.Errorf("output variables = %v", c.OutputVariables)
	}
}

func TestDefaultPatternReadsTemplatesLikeADirectoryScan(t *testing.T) {
	art := mustZip(t,
		entry{name: "infra/network.yaml", data: mustRead(t, "testdata/network.yaml")},
		entry{name: "node_modules/pkg/template.yaml", data: mustRead(t, "testdata/network.yaml")},
		entry{name: "package.json", data: `{"name": "app"}`},
	)
	f, h := setup(t, art, codepipeline.Limits{})
	msg := mustFail(t, mustRun(t, f, h, mustEvent(t, "")), "JobFailed", `in 1 template from`, `infra/network\.yaml:10 SG-010`)
	if strings.Contains(msg, "node_modules") {
		t.Errorf("a dependency folder was scanned:\n%s", msg)
	}
}

func TestParameterFilesFromTheArtifact(t *testing.T) {
	const tmpl = `Parameters:
  Env: {Type: String, Default: dev}
Conditions:
  IsDev: !Equals [!Ref Env, dev]
Resources:
  Admin:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupDescription: admin access
      SecurityGroupEgress:
        - {IpProtocol: tcp, FromPort: 443, ToPort: 443, CidrIp: 10.0.0.0/8, Description: HTTPS inside}
      SecurityGroupIngress:
        - IpProtocol: tcp
          FromPort: 22
          ToPort: 22
          CidrIp: !If [IsDev, 0.0.0.0/0, 10.0.0.0/8]
          Description: SSH
`
	art := mustZip(t,
		entry{name: "templates/admin.yaml", data: tmpl},
		entry{name: "config/prod.json", data: `{"Parameters": {"Env": "prod"}}`},
		entry{name: "config/broken.json", data: "{\"Parameters\": {\n  \"Env\": [\n}"},
	)
	// Without parameters the default (dev) opens SSH to the world.
	f, h := setup(t, art, codepipeline.Limits{})
	mustFail(t, mustRun(t, f, h, mustEvent(t, `{"pattern": "templates/*.yaml"}`)), "JobFailed", `SG-010`)

	for _, params := range []string{`"config/prod.json"`, `{"templates/*.yaml": "config/prod.json"}`} {
		f, h = setup(t, art, codepipeline.Limits{})
		c := mustRun(t, f, h, mustEvent(t, `{"pattern": "templates/*.yaml", "params": `+params+`}`))
		if c.Target != targetSuccess {
			t.Errorf("params %s: got %s %+v, want success: prod keeps SSH inside", params, c.Target, c.FailureDetails)
		}
	}

	f, h = setup(t, art, codepipeline.Limits{})
	mustFail(t, mustRun(t, f, h, mustEvent(t, `{"pattern": "templates/*.yaml", "params": "config/missing.json"}`)),
		"ConfigurationError", `params: "config/missing\.json" is not in input artifact "SourceArtifact"`)
	f, h = setup(t, art, codepipeline.Limits{})
	mustFail(t, mustRun(t, f, h, mustEvent(t, `{"pattern": "templates/*.yaml", "params": "config/broken.json"}`)),
		"JobFailed", `config/broken\.json:3`)
}

func TestNoMatchingTemplates(t *testing.T) {
	art := mustZip(t,
		entry{name: "templates/network.yaml", data: mustRead(t, "testdata/network.yaml")},
		entry{name: "README.md", data: "# app\n"},
	)
	f, h := setup(t, art, codepipeline.Limits{})
	mustFail(t, mustRun(t, f, h, mustEvent(t, `{"pattern": "infra/**/*.yaml"}`)), "ConfigurationError",
		`input artifact "SourceArtifact" has no file matching pattern "infra/\*\*/\*\.yaml"; it holds README\.md, templates/network\.yaml$`)

	// Files that match but are not CloudFormation are no pass either.
	f, h = setup(t, art, codepipeline.Limits{})
	mustFail(t, mustRun(t, f, h, mustEvent(t, `{"pattern": "*.md"}`)), "ConfigurationError",
		`1 file matched in input artifact "SourceArtifact" but none is a CloudFormation template`)
}

func TestBadUserParameters(t *testing.T) {
	art := mustZip(t, entry{name: "templates/network.yaml", data: mustRead(t, "testdata/network.yaml")})
	for _, tc := range []struct{ params, want string }{
		{`{"pattern": "templates/**/*.yaml"`, `UserParameters: incomplete JSON`},
		{`templates/**/*.yaml`, `UserParameters: not valid JSON at character \d+: invalid character`},
		{`["templates"]`, `UserParameters: want a JSON object, got a JSON array`},
		{`{"patern": "x"}`, `UserParameters: unknown key "patern" \(known keys: pattern, exclude, fail_on, rules, params, artifact, config\)`},
		{`{"fail_on": "critical"}`, `UserParameters: fail_on: unknown level "critical"`},
		{`{"rules": "all,-S3-999"}`, `UserParameters: rules: rule selection "S3-999" matches no rule`},
		{`{"rules": 5}`, `UserParameters: rules: want a string or an array of strings`},
		{`{"pattern": "templates/[a"}`, `UserParameters: pattern "templates/\[a" is not a valid glob`},
		{`{"params": ["a.json"]}`, `UserParameters: params: want a file path or an object`},
		{`{"artifact": "BuildOutput"}`, `UserParameters: artifact "BuildOutput" is not an input of this action \(inputs: "SourceArtifact"\)`},
		{`{} {}`, `UserParameters: unexpected text after the JSON object`},
	} {
		t.Run(tc.params, func(t *testing.T) {
			f, h := setup(t, art, codepipeline.Limits{})
			mustFail(t, mustRun(t, f, h, mustEvent(t, tc.params)), "ConfigurationError", tc.want)
			if n := len(s3Requests(f)); n != 0 {
				t.Errorf("the artifact was downloaded %d times for a job that was misconfigured", n)
			}
		})
	}
}

func TestUnsafeArtifacts(t *testing.T) {
	network := mustRead(t, "testdata/network.yaml")
	zeros := strings.Repeat("\x00", 4<<20)
	for _, tc := range []struct {
		name    string
		art     []byte
		limits  codepipeline.Limits
		pattern string
		want    string
	}{
		{name: "not a zip", art: []byte("<html>not a zip</html>"),
			want: `input artifact "SourceArtifact" is not a readable zip file: zip: not a valid zip file`},
		{name: "truncated zip", art: mustZip(t, entry{name: "templates/network.yaml", data: network})[:40],
			want: `is not a readable zip file`},
		{name: "parent traversal", art: mustZip(t, entry{name: "templates/network.yaml", data: network}, entry{name: "templates/../../etc/cron.d/x.yaml", data: network}),
			want: `unsafe artifact: input artifact "SourceArtifact": entry "templates/\.\./\.\./etc/cron\.d/x\.yaml" climbs out of the archive with "\.\."`},
		{name: "windows traversal", art: mustZip(t, entry{name: `..\evil.yaml`, data: network}),
			want: `climbs out of the archive`},
		{name: "absolute name", art: mustZip(t, entry{name: "/etc/passwd.yaml", data: network}),
			want: `entry "/etc/passwd\.yaml" is an absolute path`},
		{name: "drive letter", art: mustZip(t, entry{name: `C:\stack.yaml`, data: network}),
			want: `is an absolute path`},
		{name: "symlink", art: mustZip(t, entry{name: "templates/network.yaml", data: "/etc/passwd", mode: fs.ModeSymlink | 0o777}),
			want: `unsafe artifact: templates/network\.yaml in input artifact "SourceArtifact" is a symbolic link; links in artifacts are not followed`},
		{name: "duplicate", art: mustZip(t, entry{name: "templates/network.yaml", data: network}, entry{name: "templates/network.yaml", data: "Resources: {}"}),
			want: `holds "templates/network\.yaml" twice`},
		{name: "zip bomb", art: mustZip(t, entry{name: "templates/network.yaml", data: network + "#" + zeros}),
			want: `templates/network\.yaml in input artifact "SourceArtifact" expands \d+ times \(\d+ bytes from \d+\), over the 100:1 limit: this looks like a zip bomb`},
		{name: "file over the limit", art: mustZip(t, entry{name: "templates/network.yaml", data: network}),
			limits: codepipeline.Limits{FileBytes: 100},
			want:   `templates/network\.yaml in input artifact "SourceArtifact" expands to \d+ bytes, over the 100-byte limit for one file`},
		{name: "total over the limit", art: mustZip(t, entry{name: "templates/a.yaml", data: network}, entry{name: "templates/b.yaml", data: network}),
			limits: codepipeline.Limits{TotalBytes: int64(len(network)) + 10},
			want:   `the files read from input artifact "SourceArtifact" expand to more than the \d+-byte total limit \(at templates/b\.yaml\)`},
		{name: "header lies about its size", art: lyingZip(t, "templates/network.yaml", network),
			want: `templates/network\.yaml in input artifact "SourceArtifact" is corrupt or does not match its header`},
		{name: "too many files", art: mustZip(t, entry{name: "templates/a.yaml", data: network}, entry{name: "templates/b.yaml", data: network}),
			limits: codepipeline.Limits{Files: 1},
			want:   `2 files in input artifact "SourceArtifact" match, more than the 1 scanned at once`},
		{name: "artifact over the limit", art: mustZip(t, entry{name: "templates/a.yaml", data: network}),
			limits: codepipeline.Limits{ArtifactBytes: 64},
			want:   `input artifact "SourceArtifact" \(s3://` + bucket + `/` + key + `\) is \d+ bytes, over the 64-byte limit`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f, h := setup(t, tc.art, tc.limits)
			msg := mustFail(t, mustRun(t, f, h, mustEvent(t, `{"pattern": "templates/**"}`)), "JobFailed", tc.want)
			if strings.Contains(msg, "SG-010") {
				t.Errorf("an unsafe artifact was scanned:\n%s", msg)
			}
		})
	}
}

// lyingZip stores data whose zip headers claim it is 10 bytes long.
func lyingZip(t *testing.T, name, data string) []byte {
	t.Helper()
	var comp bytes.Buffer
	fw, _ := flate.NewWriter(&comp, flate.BestCompression)
	io.WriteString(fw, data)
	fw.Close()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	hdr := &zip.FileHeader{Name: name, Method: zip.Deflate, CompressedSize64: uint64(comp.Len()), UncompressedSize64: 10, CRC32: 0}
	hdr.SetMode(0o644)
	w, err := zw.CreateRaw(hdr)
	if err != nil {
		t.Fatal(err)
	}
	w.Write(comp.Bytes())
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestLongFailureMessageIsCutCleanly(t *testing.T) {
	var b strings.Builder
	b.WriteString("Resources:\n")
	const groups = 150
	for i := range groups {
		fmt.Fprintf(&b, `  Group%d:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupDescription: open
      SecurityGroupEgress:
        - {IpProtocol: tcp, FromPort: 443, ToPort: 443, CidrIp: 10.0.0.0/8, Description: out}
      SecurityGroupIngress:
        - {IpProtocol: tcp, FromPort: 22, ToPort: 22, CidrIp: 0.0.0.0/0, Description: "ssh é"}
`, i)
	}
	art := mustZip(t, entry{name: "templates/many.yaml", data: b.String()})
	f, h := setup(t, art, codepipeline.Limits{})
	msg := mustFail(t, mustRun(t, f, h, mustEvent(t, `{"pattern": "templates/*.yaml", "rules": "SG-010"}`)), "JobFailed",
		`^safetynet: 150 findings at or above failure in 1 template`)
	if !utf8.ValidString(msg) {
		t.Error("the message was cut inside a character")
	}
	lines := strings.Split(msg, "\n")
	last := lines[len(lines)-1]
	m := regexp.MustCompile(`^… and (\d+) more findings$`).FindStringSubmatch(last)
	if m == nil {
		t.Fatalf("last line = %q, want \"… and N more findings\"", last)
	}
	listed := 0
	for _, l := range lines[1 : len(lines)-1] {
		if !strings.HasPrefix(l, "templates/many.yaml:") || !strings.Contains(l, " SG-010 failure Group") {
			t.Errorf("line %q is not a whole finding", l)
		}
		listed++
	}
	if n, _ := strconv.Atoi(m[1]); listed+n != groups {
		t.Errorf("%d listed + %d more = %d, want %d", listed, n, listed+n, groups)
	}
	if len(msg) < 4500 {
		t.Errorf("message is %d bytes: the 5000-byte budget is wasted", len(msg))
	}

	// A passing job lists what it did not fail on within the summary's
	// 2,048 bytes.
	f, h = setup(t, art, codepipeline.Limits{})
	c := mustRun(t, f, h, mustEvent(t, `{"pattern": "templates/*.yaml", "rules": "SG-010", "fail_on": "none"}`))
	if c.Target != targetSuccess {
		t.Fatalf("got %s, want success", c.Target)
	}
	sum := c.ExecutionDetails.Summary
	if len(sum) > 2048 || len(sum) < 1800 || !matches(`\n… and \d+ more findings$`, sum) || !strings.HasPrefix(sum, "safetynet: 1 template from input artifact \"SourceArtifact\" passed (fail_on none): 150 failures.\n") {
		t.Errorf("summary (%d bytes):\n%s", len(sum), sum)
	}
}

func TestArtifactProblemsFromS3(t *testing.T) {
	art := mustZip(t, entry{name: "templates/network.yaml", data: mustRead(t, "testdata/network.yaml")})
	f, h := setup(t, art, codepipeline.Limits{})
	f.s3Error = http.StatusForbidden
	mustFail(t, mustRun(t, f, h, mustEvent(t, "")), "PermissionError",
		`cannot download input artifact "SourceArtifact" \(s3://`+bucket+`/`+key+`\): .*AccessDenied`)

	f, h = setup(t, art, codepipeline.Limits{})
	f.objects = nil
	mustFail(t, mustRun(t, f, h, mustEvent(t, "")), "JobFailed", `cannot download .*NoSuchKey`)
}

func TestInputArtifactChoice(t *testing.T) {
	art := mustZip(t, entry{name: "templates/network.yaml", data: mustRead(t, "testdata/network.yaml")})
	two := func(t *testing.T, params string) events.CodePipelineJobEvent {
		ev := mustEvent(t, params)
		in := ev.CodePipelineJob.Data.InputArtifacts[0]
		other := in
		other.Name = "BuildOutput"
		other.Location.S3Location.ObjectKey = "web-pipeline/BuildOutpu/other"
		ev.CodePipelineJob.Data.InputArtifacts = append(ev.CodePipelineJob.Data.InputArtifacts, other)
		return ev
	}
	f, h := setup(t, art, codepipeline.Limits{})
	mustFail(t, mustRun(t, f, h, two(t, "")), "ConfigurationError",
		`the action has 2 input artifacts \("SourceArtifact", "BuildOutput"\); name the one to scan with "artifact" in UserParameters`)

	f, h = setup(t, art, codepipeline.Limits{})
	mustFail(t, mustRun(t, f, h, two(t, `{"artifact": "SourceArtifact"}`)), "JobFailed", `SG-010`)
	if g := s3Requests(f); len(g) != 1 || g[0].Path != "/"+bucket+"/"+key {
		t.Errorf("S3 requests %+v, want the named artifact's", g)
	}

	f, h = setup(t, art, codepipeline.Limits{})
	ev := mustEvent(t, "")
	ev.CodePipelineJob.Data.InputArtifacts = nil
	mustFail(t, mustRun(t, f, h, ev), "ConfigurationError", `the action has no input artifact`)
}

func TestUnreportableResultFailsTheInvocation(t *testing.T) {
	art := mustZip(t, entry{name: "templates/site.yaml", data: mustRead(t, "testdata/clean.yaml")})
	f, h := setup(t, art, codepipeline.Limits{})
	f.cpError = true
	err := h.Handle(context.Background(), mustEvent(t, ""))
	if err == nil || !strings.Contains(err.Error(), "report success of job "+jobID) || !strings.Contains(err.Error(), "InvalidJobStateException") {
		t.Errorf("Handle = %v, want the reporting error so that Lambda retries", err)
	}

	// An event that is not a CodePipeline job cannot be reported at all.
	f, h = setup(t, art, codepipeline.Limits{})
	if err := h.Handle(context.Background(), events.CodePipelineJobEvent{}); err == nil {
		t.Error("Handle accepted an event without a job id")
	}
	if n := len(f.requests()); n != 0 {
		t.Errorf("%d requests sent for an event without a job", n)
	}
}

func TestFromEnv(t *testing.T) {
	env := map[string]string{"AWS_REGION": "eu-west-1", "AWS_ACCESS_KEY_ID": functionKeyID, "AWS_SECRET_ACCESS_KEY": "s", "AWS_SESSION_TOKEN": functionToken}
	cfg, err := codepipeline.FromEnv(func(k string) string { return env[k] })
	if err != nil {
		t.Fatal(err)
	}
	creds, err := cfg.Credentials.Retrieve(context.Background())
	if err != nil || creds.AccessKeyID != functionKeyID || creds.SessionToken != functionToken || cfg.Region != "eu-west-1" {
		t.Errorf("FromEnv = %+v, %+v, %v", cfg, creds, err)
	}
	delete(env, "AWS_REGION")
	if _, err := codepipeline.FromEnv(func(k string) string { return env[k] }); err == nil {
		t.Error("FromEnv without AWS_REGION succeeded")
	}
}

func TestOutOfTimeIsReportedBeforeTheDeadline(t *testing.T) {
	art := mustZip(t, entry{name: "templates/network.yaml", data: mustRead(t, "testdata/network.yaml")})
	f, h := setup(t, art, codepipeline.Limits{})
	// Less time left than the margin kept for reporting: the work is cut
	// short at once, and the failure is still reported.
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
	defer cancel()
	if err := h.Handle(ctx, mustEvent(t, "")); err != nil {
		t.Fatalf("Handle = %v", err)
	}
	var got []request
	for _, r := range f.requests() {
		if r.Target != "" {
			got = append(got, r)
		}
	}
	if len(got) != 1 || got[0].Target != targetFailure {
		t.Fatalf("CodePipeline calls %+v, want one PutJobFailureResult", got)
	}
	var c pipelineCall
	json.Unmarshal(got[0].Body, &c)
	if c.FailureDetails == nil || !strings.Contains(c.FailureDetails.Message, "did not finish within the function's timeout") {
		t.Errorf("failure = %+v", c.FailureDetails)
	}
}

func matches(re, s string) bool { return regexp.MustCompile(re).MatchString(s) }
