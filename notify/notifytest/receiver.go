package notifytest

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"reflect"
	"sync"
	"testing"
)

// Request is one request a Receiver took.
type Request struct {
	Method string
	Path   string
	Header http.Header
	Body   []byte
}

// Receiver is a loopback HTTP server that records requests and answers
// each with Code and Body.
type Receiver struct {
	*httptest.Server
	mu     sync.Mutex
	reqs   []Request
	Code   int
	Body   string
	Header http.Header // extra answer headers
}

// NewReceiver starts a Receiver answering code and body until the test
// ends.
func NewReceiver(tb testing.TB, code int, body string) *Receiver {
	tb.Helper()
	r := &Receiver{Code: code, Body: body, Header: http.Header{}}
	r.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		b, _ := io.ReadAll(req.Body)
		r.mu.Lock()
		r.reqs = append(r.reqs, Request{req.Method, req.URL.RequestURI(), req.Header.Clone(), b})
		code, body := r.Code, r.Body
		for k, v := range r.Header {
			w.Header()[k] = v
		}
		r.mu.Unlock()
		w.WriteHeader(code)
		io.WriteString(w, body)
	}))
	tb.Cleanup(r.Close)
	return r
}

// Requests returns what was received so far.
func (r *Receiver) Requests() []Request {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]Request(nil), r.reqs...)
}

// Last returns the latest request, failing the test if there was none.
func (r *Receiver) Last(tb testing.TB) Request {
	tb.Helper()
	rs := r.Requests()
	if len(rs) == 0 {
		tb.Fatal("receiver got no request")
	}
	return rs[len(rs)-1]
}

// JSONEqual fails the test unless got and want hold the same JSON value
// (object key order aside).
func JSONEqual(tb testing.TB, got []byte, want string) {
	tb.Helper()
	var g, w any
	if err := json.Unmarshal(got, &g); err != nil {
		tb.Fatalf("body is not JSON: %v\n%s", err, got)
	}
	if err := json.Unmarshal([]byte(want), &w); err != nil {
		tb.Fatalf("bad expectation: %v", err)
	}
	if !reflect.DeepEqual(g, w) {
		tb.Errorf("JSON differs\n got %s\nwant %s", got, compact(want))
	}
}

func compact(s string) string {
	var v any
	if json.Unmarshal([]byte(s), &v) != nil {
		return s
	}
	b, _ := json.Marshal(v)
	return string(b)
}
