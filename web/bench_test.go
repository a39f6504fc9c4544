package web_test

import (
	"fmt"
	"net/http/httptest"
	"strings"
	"testing"
)

// BenchmarkIngest measures one push of 100 samples through the whole
// handler chain (auth, decode, validate, metrics, log) with a no-op store.
func BenchmarkIngest(b *testing.B) {
	e := newEnv(b, nil)
	var sb strings.Builder
	sb.WriteString(`{"samples":[`)
	for i := range 100 {
		if i > 0 {
			sb.WriteString(",")
		}
		fmt.Fprintf(&sb, `{"name":"users","value":%d,"tags":{"customer":"c%d"}}`, 1000+i, i)
	}
	sb.WriteString("]}")
	body := sb.String()
	h := e.srv.Handler()
	b.ReportAllocs()
	for b.Loop() {
		e.ing.got = e.ing.got[:0]
		req := httptest.NewRequest("POST", "/api/v1/metrics", strings.NewReader(body))
		req.Header.Set("Authorization", "Bearer "+goodToken)
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code != 202 {
			b.Fatalf("status %d", rec.Code)
		}
	}
	b.ReportMetric(float64(b.N*100)/b.Elapsed().Seconds(), "samples/s")
}
