package probe_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/safetynet-dev/safetynet/monitor/probe"
	"github.com/safetynet-dev/safetynet/status"
)

// BenchmarkHTTPProbe measures one http check run on a new connection
// against a loopback server (whose own cost is included), as the monitor
// runs them: a status-only check, and one that reads a JSON body for a
// condition and an extracted value.
func BenchmarkHTTPProbe(b *testing.B) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, `{"status":"UP","users":1234,"checks":{"db":"ok","cache":"ok"}}`)
	}))
	defer srv.Close()
	opts := probe.Options{Transports: probe.NewTransports(nil)}
	cases := []struct {
		name string
		spec *probe.HTTPSpec
	}{
		{"status", &probe.HTTPSpec{FollowRedirects: true, Conditions: []string{"[STATUS] == 200"}}},
		{"json", &probe.HTTPSpec{FollowRedirects: true,
			Conditions: []string{"[STATUS] == 200", "[BODY].status == UP", "[RESPONSE_TIME] < 1000"},
			Extract:    map[string]string{"users": "users"}}},
	}
	for _, bc := range cases {
		b.Run(bc.name, func(b *testing.B) {
			p := MustProber(b, check(b, status.KindHTTP, srv.URL+"/health", bc.spec), opts)
			b.ReportAllocs()
			for b.Loop() {
				ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
				r := p.Probe(ctx)
				cancel()
				if !r.OK {
					b.Fatalf("probe failed: %s", r.Error)
				}
			}
		})
	}
}
