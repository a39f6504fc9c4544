package notify

import "github.com/prometheus/client_golang/prometheus"

// Metrics counts deliveries for Prometheus. The caller registers
// Collectors() with its own registry; nothing here touches the global one,
// so tests and several servers in one process do not collide.
type Metrics struct {
	Sent     *prometheus.CounterVec // safetynet_notifications_sent_total{notifier}
	Failures *prometheus.CounterVec // safetynet_notification_failures_total{notifier}
	Pending  prometheus.Gauge       // safetynet_outbox_pending
	Failing  prometheus.Gauge       // safetynet_outbox_failing
}

// NewMetrics returns unregistered collectors.
func NewMetrics() *Metrics {
	return &Metrics{
		Sent: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "safetynet_notifications_sent_total",
			Help: "Notifications delivered, by notifier.",
		}, []string{"notifier"}),
		Failures: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "safetynet_notification_failures_total",
			Help: "Failed delivery attempts (each is retried), by notifier.",
		}, []string{"notifier"}),
		Pending: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "safetynet_outbox_pending",
			Help: "Notifications not yet delivered.",
		}),
		Failing: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "safetynet_outbox_failing",
			Help: "Undelivered notifications that have failed at least once.",
		}),
	}
}

// Collectors returns the collectors to register.
func (m *Metrics) Collectors() []prometheus.Collector {
	return []prometheus.Collector{m.Sent, m.Failures, m.Pending, m.Failing}
}
