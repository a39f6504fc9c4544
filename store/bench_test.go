package store_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/safetynet-dev/safetynet/status"
	"github.com/safetynet-dev/safetynet/store"
)

// BenchmarkSaveResults writes batches of 1,000 results as the monitor's
// writer does: 10,000 checks at a one-minute interval, so each batch covers
// a tenth of the checks in six seconds, and rollup rows are both created
// and merged into.
func BenchmarkSaveResults(b *testing.B) {
	for _, be := range backends {
		b.Run(be.name, func(b *testing.B) {
			db := MustOpen(b, be.fresh(b), store.Options{})
			const batch, checks = 1000, 10000
			ids := make([]string, checks)
			for i := range ids {
				ids[i] = fmt.Sprintf("service-%04d/health", i)
			}
			start := time.Date(2025, 1, 6, 0, 0, 0, 0, time.UTC)
			rs := make([]status.Result, batch)
			n := 0
			for b.Loop() {
				for j := range rs {
					k := n*batch + j
					rs[j] = status.Result{
						CheckID: ids[k%checks], Location: "local",
						At:      start.Add(time.Duration(k) * 6 * time.Millisecond),
						Latency: time.Duration(5+k%200) * time.Millisecond, OK: k%50 != 0,
					}
					if !rs[j].OK {
						rs[j].Error = "status 503, want 200"
					}
				}
				if err := db.SaveResults(b.Context(), rs); err != nil {
					b.Fatal(err)
				}
				n++
			}
			b.ReportMetric(float64(n*batch)/b.Elapsed().Seconds(), "results/s")
		})
	}
}
