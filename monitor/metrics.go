package monitor

import (
	"github.com/prometheus/client_golang/prometheus"

	"github.com/safetynet-dev/safetynet/status"
)

// metrics are the monitor's Prometheus series. They are always built, so
// the code needs no nil checks; they are registered only when a Registry
// is given.
type metrics struct {
	results       *prometheus.CounterVec
	latency       *prometheus.HistogramVec
	running       prometheus.Gauge
	lag           prometheus.Histogram
	notifications prometheus.Counter
	changes       prometheus.Counter
	writeErrors   prometheus.Counter
	dropped       *prometheus.CounterVec
	backlog       prometheus.Gauge
	alerts        *prometheus.CounterVec
}

func newMetrics(reg prometheus.Registerer) *metrics {
	m := &metrics{
		results: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "safetynet_check_results_total",
			Help: "Check results by check kind and outcome (ok, failed).",
		}, []string{"kind", "outcome"}),
		latency: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "safetynet_check_latency_seconds",
			Help:    "Latency of check runs by check kind.",
			Buckets: []float64{.005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10, 30},
		}, []string{"kind"}),
		running: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "safetynet_checks_running",
			Help: "Checks running now.",
		}),
		lag: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name:    "safetynet_scheduler_lag_seconds",
			Help:    "How late checks start after their due time.",
			Buckets: []float64{.01, .05, .1, .25, .5, 1, 2.5, 5, 10, 30, 60},
		}),
		notifications: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "safetynet_notifications_enqueued_total",
			Help: "Notifications added to the outbox.",
		}),
		changes: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "safetynet_component_status_changes_total",
			Help: "Component status changes recorded.",
		}),
		writeErrors: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "safetynet_monitor_write_errors_total",
			Help: "Failed batch writes of results, samples or check states (retried).",
		}),
		dropped: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "safetynet_monitor_dropped_total",
			Help: "Results and samples dropped, oldest first, because the store refused writes for so long that the in-memory backlog reached its bound.",
		}, []string{"what"}),
		backlog: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "safetynet_monitor_write_backlog",
			Help: "Results, samples and check states waiting in memory to be stored (above a batch only while writes fail).",
		}),
		alerts: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "safetynet_alerts_opened_total",
			Help: "Alerts opened by kind.",
		}, []string{"kind"}),
	}
	if reg != nil {
		reg.MustRegister(m.results, m.latency, m.running, m.lag, m.notifications, m.changes, m.writeErrors, m.dropped, m.backlog, m.alerts)
	}
	return m
}

// observe counts a result.
func (m *metrics) observe(kind status.Kind, r status.Result) {
	outcome := "ok"
	if !r.OK {
		outcome = "failed"
	}
	m.results.WithLabelValues(string(kind), outcome).Inc()
	m.latency.WithLabelValues(string(kind)).Observe(r.Latency.Seconds())
}
