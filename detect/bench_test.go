package detect_test

import (
	"testing"
	"time"

	"github.com/safetynet-dev/safetynet/detect"
	"github.com/safetynet-dev/safetynet/status"
)

// BenchmarkEvaluate judges a day of one-minute values (1,440) plus the
// alert window, as the monitor does for each anomaly rule each minute.
func BenchmarkEvaluate(b *testing.B) {
	s := users(1)[:24*60+5]
	now := s[len(s)-1].T
	cfg := detect.FromRule(status.MetricRule{Metric: "users", Kind: "anomaly"})
	b.ReportAllocs()
	for b.Loop() {
		detect.Evaluate(s, now, cfg)
	}
}

// BenchmarkEvaluateSeasonal judges with hour-of-week seasonality over six
// weeks of one-minute values (60,480).
func BenchmarkEvaluateSeasonal(b *testing.B) {
	s := traffic(1, 6)
	now := s[len(s)-1].T
	cfg := detect.FromRule(status.MetricRule{Metric: "calls", Kind: "anomaly", Seasonality: detect.HourOfWeek})
	if !detect.Evaluate(s, now, cfg).Seasonal {
		b.Fatal("seasonal baseline not used")
	}
	b.ReportAllocs()
	for b.Loop() {
		detect.Evaluate(s, now, cfg)
	}
}

// BenchmarkOutliers compares 10 members over 15 one-minute buckets (four
// probes a minute, 600 values).
func BenchmarkOutliers(b *testing.B) {
	r := noise(1)
	members := group(regions, func(m, _ int) float64 {
		if m == 4 {
			return gauss(r, 812, 40)
		}
		return gauss(r, 190, 10)
	})
	for _, alg := range []string{detect.MAD, detect.DBSCAN} {
		b.Run(alg, func(b *testing.B) {
			cfg := detect.OutlierConfig{Algorithm: alg, Pct: 20, Signal: detect.SignalLatency, Bucket: time.Minute}
			b.ReportAllocs()
			for b.Loop() {
				if _, err := detect.Outliers(members, cfg); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
