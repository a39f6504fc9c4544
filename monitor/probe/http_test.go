package probe_test

import (
	"crypto/x509"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/safetynet-dev/safetynet/monitor/probe"
	"github.com/safetynet-dev/safetynet/status"
)

const healthJSON = `{"status":"UP","users":150,"count":"150","big":12345678901234567890,
"ratio":0.5,"ok":true,"nothing":null,"name":"Ünïcode",
"data":{"items":[{"id":1,"name":"a"},{"id":2,"name":"b"}]},"tags":["admin","web"],"empty":[]}`

// target is the demo service the http tests probe.
func target(tb testing.TB) *httptest.Server {
	tb.Helper()
	mux := http.NewServeMux()
	mux.HandleFunc("GET /health", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		w.Header().Add("X-Multi", "a")
		w.Header().Add("X-Multi", "b")
		io.WriteString(w, healthJSON)
	})
	mux.HandleFunc("GET /text", func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, "OK\n")
	})
	mux.HandleFunc("GET /status/{code}", func(w http.ResponseWriter, r *http.Request) {
		code, _ := strconv.Atoi(r.PathValue("code"))
		w.WriteHeader(code)
	})
	mux.HandleFunc("GET /slow", func(w http.ResponseWriter, r *http.Request) {
		time.Sleep(60 * time.Millisecond) // the latency under test, not a wait
		io.WriteString(w, "late")
	})
	mux.HandleFunc("GET /redirect/{n}", func(w http.ResponseWriter, r *http.Request) {
		n, _ := strconv.Atoi(r.PathValue("n"))
		if n == 0 {
			io.WriteString(w, "arrived")
			return
		}
		http.Redirect(w, r, fmt.Sprintf("/redirect/%d", n-1), http.StatusFound)
	})
	mux.HandleFunc("GET /big", func(w http.ResponseWriter, r *http.Request) {
		chunk := strings.Repeat("x", 1024)
		for range 2048 { // 2 MiB
			io.WriteString(w, chunk)
		}
		io.WriteString(w, "END")
	})
	mux.HandleFunc("/echo", func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		fmt.Fprintf(w, `{"method":%q,"auth":%q,"ua":%q,"host":%q,"body":%q}`,
			r.Method, r.Header.Get("Authorization"), r.UserAgent(), r.Host, b)
	})
	s := httptest.NewServer(mux)
	tb.Cleanup(s.Close)
	return s
}

func TestHTTPConditions(t *testing.T) {
	srv := target(t)
	opts := probe.Options{Transports: probe.NewTransports(nil)}
	tests := []struct {
		path   string
		conds  []string
		ok     bool
		err    string // part of Result.Error
		detail string // Detail of the first condition, when set
	}{
		{"/health", nil, true, "", "200"},
		{"/status/503", nil, false, "[STATUS] < 400 failed: got 503", "503"},
		{"/status/503", []string{"[STATUS] == 200"}, false, "[STATUS] == 200 failed: got 503", ""},
		{"/status/204", []string{"[STATUS] == any(200, 204)"}, true, "", "204"},
		{"/status/302", []string{"[STATUS] == any(200, 204)"}, false, "failed: got 302", ""},
		{"/status/404", []string{"[STATUS] != any(500, 502, 503)"}, true, "", ""},
		{"/status/500", []string{"[STATUS] < 500"}, false, "got 500", ""},
		{"/status/499", []string{"[STATUS] <= 499", "[STATUS] >= 400", "[STATUS] > 300"}, true, "", ""},
		{"/text", []string{"[BODY] contains OK"}, true, "", "OK\n"},
		{"/text", []string{"[BODY] == OK"}, true, "", ""}, // surrounding blanks ignored
		{"/text", []string{"[BODY] matches ^OK$"}, false, "failed", ""},
		{"/text", []string{"[BODY] matches (?m)^OK$"}, true, "", ""},
		{"/text", []string{"[BODY] contains down"}, false, "[BODY] contains down failed: got OK", ""},
		{"/text", []string{"len([BODY]) == 3"}, true, "", "3"},
		{"/health", []string{"[BODY].status == UP"}, true, "", "UP"},
		{"/health", []string{"[BODY].status == DOWN"}, false, "[BODY].status == DOWN failed: got UP", ""},
		{"/health", []string{`[BODY].status == "UP"`}, true, "", ""},
		{"/health", []string{"[BODY].data.items[0].id == 1", "[BODY].data.items[-1].name == b"}, true, "", "1"},
		{"/health", []string{"[BODY].data.items[5].id == 1"}, false, "[BODY].data.items[5] is out of range: the array has 2 elements", ""},
		{"/health", []string{"[BODY].data.missing == 1"}, false, "no [BODY].data.missing in the body", ""},
		{"/health", []string{"[BODY].status.x == 1"}, false, "[BODY].status is a string", ""},
		{"/health", []string{"len([BODY].data.items) > 0", "len([BODY].empty) == 0", "len([BODY].tags) == 2"}, true, "", "2"},
		{"/health", []string{"len([BODY].empty) > 0"}, false, "len([BODY].empty) > 0 failed: got 0", ""},
		{"/health", []string{"len([BODY].name) == 7"}, true, "", ""}, // characters, not bytes
		{"/health", []string{"[BODY].users > 100", "[BODY].users == 150.0", "[BODY].users != 151"}, true, "", "150"},
		{"/health", []string{"[BODY].users < 100"}, false, "[BODY].users < 100 failed: got 150", ""},
		// A numeric string compares as a number ("150" > 99 is true; as text it would be false).
		{"/health", []string{"[BODY].count > 99", "[BODY].count == 150"}, true, "", ""},
		// ... unless the right side is quoted.
		{"/health", []string{`[BODY].count == "150.0"`}, false, "failed: got 150", ""},
		{"/health", []string{"[BODY].big == 12345678901234567890"}, true, "", ""},
		{"/health", []string{"[BODY].big == 12345678901234567891"}, false, "failed", ""},
		{"/health", []string{"[BODY].ratio < 1", "[BODY].ok == true", "[BODY].nothing == null"}, true, "", ""},
		{"/health", []string{"[BODY].status > 5"}, false, "got UP (not a number)", ""},
		{"/health", []string{"[BODY].tags contains admin"}, true, "", `["admin","web"]`},
		{"/health", []string{"[BODY].tags contains adm"}, false, "failed", ""}, // array membership, not substring
		{"/health", []string{"[BODY].status matches ^(UP|OK)$"}, true, "", ""},
		{"/health", []string{"has([BODY].data.items)", "has([BODY].errors) == false"}, true, "", "true"},
		{"/health", []string{"has([BODY].errors) == true"}, false, "failed: got false", ""},
		{"/health", []string{"[HEADER].Content-Type contains json"}, true, "", "application/json; charset=utf-8"},
		{"/health", []string{"[HEADER].content-type contains json"}, true, "", ""},
		{"/health", []string{"[HEADER].X-Multi == a, b"}, true, "", ""},
		{"/health", []string{"[HEADER].X-Missing == x"}, false, "no X-Missing header", ""},
		{"/health", []string{"has([HEADER].X-Missing) == false"}, true, "", ""},
		{"/text", []string{"[BODY].status == UP"}, false, "body is not JSON", ""},
		{"/health", []string{"[RESPONSE_TIME] < 5000", "[RESPONSE_TIME] < 5s"}, true, "", ""},
		{"/slow", []string{"[RESPONSE_TIME] >= 60"}, true, "", ""},
		{"/slow", []string{"[RESPONSE_TIME] < 50ms"}, false, "[RESPONSE_TIME] < 50ms failed: got ", ""},
		{"/health", []string{"[CERT_EXPIRY] > 72h"}, false, "no TLS certificate", ""},
	}
	for _, tt := range tests {
		t.Run(tt.path+" "+strings.Join(tt.conds, " && "), func(t *testing.T) {
			p := MustProber(t, check(t, status.KindHTTP, srv.URL+tt.path, &probe.HTTPSpec{Conditions: tt.conds, FollowRedirects: true}), opts)
			r := run(t, p, 5*time.Second)
			wantResult(t, r, tt.ok, tt.err)
			n := len(tt.conds)
			if n == 0 {
				n = 1
			}
			if len(r.Conditions) != n {
				t.Fatalf("got %d condition results, want %d: %+v", len(r.Conditions), n, r.Conditions)
			}
			if tt.detail != "" && r.Conditions[0].Detail != tt.detail {
				t.Errorf("detail = %q, want %q", r.Conditions[0].Detail, tt.detail)
			}
			if r.Latency <= 0 {
				t.Errorf("latency = %v, want > 0", r.Latency)
			}
		})
	}
}

func TestHTTPDefaultConditionIsRecorded(t *testing.T) {
	srv := target(t)
	r := run(t, MustProber(t, check(t, status.KindHTTP, srv.URL+"/health", nil), probe.Options{}), 5*time.Second)
	wantResult(t, r, true, "")
	if len(r.Conditions) != 1 || r.Conditions[0].Expr != "[STATUS] < 400" || !r.Conditions[0].OK {
		t.Fatalf("conditions = %+v, want the default [STATUS] < 400", r.Conditions)
	}
}

func TestHTTPRequestSettings(t *testing.T) {
	srv := target(t)
	spec := &probe.HTTPSpec{
		URL:     srv.URL + "/echo",
		Method:  "post",
		Headers: map[string]string{"Authorization": "Bearer s3cret", "Host": "api.example.test"},
		Body:    `{"ping":1}`,
		Conditions: []string{
			"[BODY].method == POST",
			"[BODY].auth == Bearer s3cret",
			"[BODY].ua matches ^safetynet/",
			"[BODY].host == api.example.test",
			`[BODY].body == {"ping":1}`,
		},
		FollowRedirects: true,
	}
	p := MustProber(t, check(t, status.KindHTTP, "", spec), probe.Options{})
	for range 2 { // the shared header map must survive a run unchanged
		wantResult(t, run(t, p, 5*time.Second), true, "")
	}
}

func TestHTTPRedirects(t *testing.T) {
	srv := target(t)
	tests := []struct {
		name   string
		path   string
		follow bool
		conds  []string
		ok     bool
		err    string
	}{
		{"followed", "/redirect/3", true, []string{"[STATUS] == 200", "[BODY] == arrived"}, true, ""},
		{"ten are followed", "/redirect/10", true, []string{"[STATUS] == 200"}, true, ""},
		{"eleven are too many", "/redirect/11", true, nil, false, "stopped after 10 redirects"},
		{"not followed", "/redirect/3", false, []string{"[STATUS] == 302", "[HEADER].Location == /redirect/2"}, true, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			spec := &probe.HTTPSpec{FollowRedirects: tt.follow, Conditions: tt.conds}
			r := run(t, MustProber(t, check(t, status.KindHTTP, srv.URL+tt.path, spec), probe.Options{}), 5*time.Second)
			wantResult(t, r, tt.ok, tt.err)
		})
	}
}

func TestHTTPFollowsRedirectsByDefault(t *testing.T) {
	srv := target(t)
	spec, err := probe.NewSpec(status.KindHTTP)
	if err != nil {
		t.Fatal(err)
	}
	spec.(*probe.HTTPSpec).Conditions = []string{"[STATUS] == 200"}
	r := run(t, MustProber(t, check(t, status.KindHTTP, srv.URL+"/redirect/2", spec), probe.Options{}), 5*time.Second)
	wantResult(t, r, true, "")
}

func TestHTTPTLS(t *testing.T) {
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "secure") }))
	defer srv.Close()
	pool := x509.NewCertPool()
	pool.AddCert(srv.Certificate())
	notAfter := srv.Certificate().NotAfter

	t.Run("verification is on by default", func(t *testing.T) {
		r := run(t, MustProber(t, check(t, status.KindHTTP, srv.URL, nil), probe.Options{}), 5*time.Second)
		wantResult(t, r, false, "certificate")
	})
	t.Run("insecure_skip_verify accepts a self-signed certificate", func(t *testing.T) {
		spec := &probe.HTTPSpec{InsecureSkipVerify: true, FollowRedirects: true, Conditions: []string{"[BODY] == secure"}}
		r := run(t, MustProber(t, check(t, status.KindHTTP, srv.URL, spec), probe.Options{}), 5*time.Second)
		wantResult(t, r, true, "")
	})
	t.Run("trusted roots", func(t *testing.T) {
		opts := probe.Options{RootCAs: pool, Now: func() time.Time { return notAfter.Add(-100 * time.Hour) }}
		opts.Transports = probe.NewTransports(pool)
		spec := &probe.HTTPSpec{FollowRedirects: true, Conditions: []string{"[CERT_EXPIRY] > 72h", "[CERT_EXPIRY] < 5d"}}
		r := run(t, MustProber(t, check(t, status.KindHTTP, srv.URL, spec), opts), 5*time.Second)
		wantResult(t, r, true, "")
		if r.Conditions[0].Detail != "4d4h" {
			t.Errorf("detail = %q, want 4d4h", r.Conditions[0].Detail)
		}
		spec.Conditions = []string{"[CERT_EXPIRY] > 30d"}
		r = run(t, MustProber(t, check(t, status.KindHTTP, srv.URL, spec), opts), 5*time.Second)
		wantResult(t, r, false, "[CERT_EXPIRY] > 30d failed: got 4d4h")
	})
}

func TestHTTPExtract(t *testing.T) {
	srv := target(t)
	spec := &probe.HTTPSpec{FollowRedirects: true, Extract: map[string]string{
		"users":       "[BODY].users",
		"user_count":  "count", // a numeric string, and the short form
		"first_id":    "data.items[0].id",
		"ratio":       ".ratio",
		"healthy":     "[BODY].ok",
		"app.version": "[BODY].version", // missing
	}}
	r := run(t, MustProber(t, check(t, status.KindHTTP, srv.URL+"/health", spec), probe.Options{}), 5*time.Second)
	if !r.OK {
		t.Fatalf("a missing extracted value must not fail the check: %+v", r)
	}
	want := map[string]float64{"users": 150, "user_count": 150, "first_id": 1, "ratio": 0.5, "healthy": 1}
	if len(r.Values) != len(want) {
		t.Fatalf("values = %v, want %v", r.Values, want)
	}
	for k, v := range want {
		if r.Values[k] != v {
			t.Errorf("values[%s] = %v, want %v", k, r.Values[k], v)
		}
	}
	if !strings.Contains(r.Warning, "extract app.version: no [BODY].version in the body") {
		t.Errorf("warning = %q, want it to name the missing value", r.Warning)
	}
	spec.Extract = map[string]string{"status": "status"}
	r = run(t, MustProber(t, check(t, status.KindHTTP, srv.URL+"/health", spec), probe.Options{}), 5*time.Second)
	if !strings.Contains(r.Warning, "[BODY].status is UP, not a number") {
		t.Errorf("warning = %q", r.Warning)
	}
}

func TestHTTPBodyIsBounded(t *testing.T) {
	srv := target(t)
	spec := &probe.HTTPSpec{FollowRedirects: true, Conditions: []string{"len([BODY]) == 1024", "[BODY] contains END"}}
	r := run(t, MustProber(t, check(t, status.KindHTTP, srv.URL+"/big", spec), probe.Options{MaxBody: 1024}), 5*time.Second)
	wantResult(t, r, false, "[BODY] contains END failed")
	if !r.Conditions[0].OK {
		t.Errorf("len([BODY]) = %s, want 1024 (bounded)", r.Conditions[0].Detail)
	}
	// The default bound is 1 MiB.
	spec.Conditions = []string{"len([BODY]) == 1048576"}
	wantResult(t, run(t, MustProber(t, check(t, status.KindHTTP, srv.URL+"/big", spec), probe.Options{}), 5*time.Second), true, "")
	// A truncated JSON body says so.
	spec.Conditions = []string{"[BODY].x == 1"}
	wantResult(t, run(t, MustProber(t, check(t, status.KindHTTP, srv.URL+"/big", spec), probe.Options{MaxBody: 10}), 5*time.Second), false, "only its first 10 bytes were read")
}

func TestHTTPNewConnectionEachRun(t *testing.T) {
	var conns atomic.Int64
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}))
	srv.Config.ConnState = func(_ net.Conn, s http.ConnState) {
		if s == http.StateNew {
			conns.Add(1)
		}
	}
	srv.Start()
	defer srv.Close()
	opts := probe.Options{Transports: probe.NewTransports(nil)}
	p := MustProber(t, check(t, status.KindHTTP, srv.URL, nil), opts)
	for range 5 {
		wantResult(t, run(t, p, 5*time.Second), true, "")
	}
	if n := conns.Load(); n != 5 {
		t.Fatalf("5 runs opened %d connections, want 5 (no reuse)", n)
	}
}

func TestHTTPFailures(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	r := run(t, MustProber(t, check(t, status.KindHTTP, "http://"+addr+"/", nil), probe.Options{}), 5*time.Second)
	wantResult(t, r, false, "connection refused")

	block := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { <-block }))
	defer srv.Close()
	defer close(block)
	r = run(t, MustProber(t, check(t, status.KindHTTP, srv.URL, nil), probe.Options{}), 100*time.Millisecond)
	wantResult(t, r, false, "timed out after")
}
