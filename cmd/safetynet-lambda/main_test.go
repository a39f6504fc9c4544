package main

import (
	"archive/zip"
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// TestMain runs the real main when the test re-executes its own binary as
// the function, so that the end-to-end test needs no separate build.
func TestMain(m *testing.M) {
	if os.Getenv("SAFETYNET_LAMBDA_TEST_MAIN") == "1" {
		main()
		return
	}
	os.Exit(m.Run())
}

const event = `{"CodePipeline.job": {"id": "0e6b8a52-3f1c-4d2e-9a7b-5c4d3e2f1a0b", "accountId": "123456789012",
  "data": {"actionConfiguration": {"configuration": {"FunctionName": "safetynet", "UserParameters": "{\"pattern\": \"**/*.yaml\"}"}},
    "inputArtifacts": [{"name": "SourceArtifact", "revision": null,
      "location": {"type": "S3", "s3Location": {"bucketName": "artifacts", "objectKey": "pipe/Source/abc"}}}],
    "outputArtifacts": [],
    "artifactCredentials": {"accessKeyId": "ASIAJOBKEY", "secretAccessKey": "job-secret", "sessionToken": "job-token"}}}}`

// The built function against a loopback Lambda Runtime API, S3 and
// CodePipeline: it takes the invocation, reports the job's failure to
// CodePipeline, and answers the invocation without an error.
func TestFunctionEndToEnd(t *testing.T) {
	var art bytes.Buffer
	zw := zip.NewWriter(&art)
	w, _ := zw.Create("infra/ssh.yaml")
	io.WriteString(w, `Resources:
  Open:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupDescription: open
      SecurityGroupIngress:
        - {IpProtocol: tcp, FromPort: 22, ToPort: 22, CidrIp: 0.0.0.0/0}
`)
	zw.Close()

	var (
		mu       sync.Mutex
		served   bool
		reported []byte
		response = make(chan string, 1)
	)
	mux := http.NewServeMux()
	mux.HandleFunc("GET /2018-06-01/runtime/invocation/next", func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		first := !served
		served = true
		mu.Unlock()
		if !first {
			<-r.Context().Done() // no second invocation: wait until the test ends
			return
		}
		w.Header().Set("Lambda-Runtime-Aws-Request-Id", "req-1")
		w.Header().Set("Lambda-Runtime-Deadline-Ms", strconv.FormatInt(time.Now().Add(time.Minute).UnixMilli(), 10))
		w.Header().Set("Lambda-Runtime-Invoked-Function-Arn", "arn:aws:lambda:eu-west-1:123456789012:function:safetynet")
		io.WriteString(w, event)
	})
	mux.HandleFunc("POST /2018-06-01/runtime/invocation/req-1/{result}", func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		response <- r.PathValue("result") + " " + string(body)
		w.WriteHeader(http.StatusAccepted)
	})
	mux.HandleFunc("GET /artifacts/pipe/Source/abc", func(w http.ResponseWriter, r *http.Request) {
		if !strings.Contains(r.Header.Get("Authorization"), "Credential=ASIAJOBKEY/") {
			http.Error(w, "wrong credentials", http.StatusForbidden)
			return
		}
		w.Write(art.Bytes())
	})
	mux.HandleFunc("POST /{$}", func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		mu.Lock()
		reported = append([]byte(r.Header.Get("X-Amz-Target")+" "), body...)
		mu.Unlock()
		w.Header().Set("Content-Type", "application/x-amz-json-1.1")
		io.WriteString(w, "{}")
	})
	srv := httptest.NewServer(mux)
	defer srv.Close()

	cmd := exec.Command(os.Args[0])
	cmd.Env = []string{
		"SAFETYNET_LAMBDA_TEST_MAIN=1",
		"AWS_LAMBDA_RUNTIME_API=" + strings.TrimPrefix(srv.URL, "http://"),
		"AWS_ENDPOINT_URL=" + srv.URL,
		"AWS_REGION=eu-west-1",
		"AWS_ACCESS_KEY_ID=ASIAFUNCTIONKEY",
		"AWS_SECRET_ACCESS_KEY=function-secret",
		"AWS_SESSION_TOKEN=function-token",
	}
	var logs bytes.Buffer
	cmd.Stdout, cmd.Stderr = &logs, &logs
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() {
		cmd.Process.Kill()
		cmd.Wait()
	}()

	select {
	case got := <-response:
		if got != "response null" {
			t.Errorf("invocation answered %q, want a null response (no error)", got)
		}
	case <-time.After(60 * time.Second):
		cmd.Process.Kill()
		cmd.Wait()
		t.Fatalf("no invocation response within a minute; function output:\n%s", logs.String())
	}
	mu.Lock()
	defer mu.Unlock()
	target, body, _ := strings.Cut(string(reported), " ")
	var call struct {
		JobID          string `json:"jobId"`
		FailureDetails struct{ Type, Message string }
	}
	json.Unmarshal([]byte(body), &call)
	if target != "CodePipeline_20150709.PutJobFailureResult" || call.JobID != "0e6b8a52-3f1c-4d2e-9a7b-5c4d3e2f1a0b" ||
		call.FailureDetails.Type != "JobFailed" || !strings.Contains(call.FailureDetails.Message, "infra/ssh.yaml:7 SG-010 failure Open") {
		t.Errorf("CodePipeline got %s %s", target, body)
	}
	// One JSON log line for the job, and never the job's credentials. The
	// process is stopped first so that its output is complete.
	cmd.Process.Kill()
	cmd.Wait()
	if !strings.Contains(logs.String(), `"msg":"job failed"`) || strings.Contains(logs.String(), "job-secret") || strings.Contains(logs.String(), "ASIAJOBKEY") {
		t.Errorf("function output:\n%s", logs.String())
	}
}
