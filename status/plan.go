package status

import (
	"encoding/json"
	"time"
)

// Plan is what the server watches and whom it tells: the part of the
// configuration the monitor runs. Package config builds it from YAML; the
// monitor takes a new Plan on reload and restarts only what changed.
type Plan struct {
	Components    []Component
	Checks        []Check
	MetricRules   []MetricRule
	OutlierGroups []OutlierGroup
	Notifiers     []NotifierSpec
	Teams         []Team
	Routes        []Route
	Maintenances  []Maintenance // windows declared in the config file
	Alerting      AlertPolicy
}

// MetricRule watches one metric series (or every series of a name that
// matches the tags) for a threshold or an anomaly.
type MetricRule struct {
	ID        string            `json:"id"`
	Component string            `json:"component"`
	Metric    string            `json:"metric"`
	Tags      map[string]string `json:"tags,omitempty"`
	Kind      string            `json:"kind"` // "threshold" or "anomaly"
	// Threshold rules fire when the value is below Below or above Above for
	// at least For.
	Below *float64      `json:"below,omitempty"`
	Above *float64      `json:"above,omitempty"`
	For   time.Duration `json:"for,omitempty"`
	// Anomaly rules compare the series with its own robust baseline.
	Direction   string        `json:"direction,omitempty"`    // drop, rise or both (default both)
	Bounds      float64       `json:"bounds,omitempty"`       // deviations, in MADs (default 3)
	Baseline    time.Duration `json:"baseline,omitempty"`     // history the baseline is taken from (default 24h)
	AlertWindow time.Duration `json:"alert_window,omitempty"` // recent window judged (default 5m)
	Share       float64       `json:"share,omitempty"`        // share of points in the window that must be anomalous (default 0.6)
	Recovery    time.Duration `json:"recovery,omitempty"`     // calm needed before the alert resolves, for both kinds (default 10m)
	MinChange   float64       `json:"min_change,omitempty"`   // ignore relative changes smaller than this (default 0.2)
	Seasonality string        `json:"seasonality,omitempty"`  // "" or "hour_of_week"
	// Status is what the component shows while the rule fires (default
	// degraded_performance).
	Status   Status `json:"status,omitempty"`
	Customer string `json:"customer,omitempty"`
}

// OutlierGroup compares checks that should behave alike (one health route on
// each instance or region) and flags the member that leaves the others.
type OutlierGroup struct {
	ID        string        `json:"id"`
	Component string        `json:"component"`
	Checks    []string      `json:"checks"`    // member check IDs
	Algorithm string        `json:"algorithm"` // mad, dbscan, scaledmad, scaleddbscan
	Tolerance float64       `json:"tolerance"` // MADs for mad; epsilon factor for dbscan
	Pct       float64       `json:"pct"`       // share of a member's points that must be outlying (mad)
	Window    time.Duration `json:"window"`    // history compared (default 15m)
	Bucket    time.Duration `json:"bucket"`    // time bucket for fair comparison (default 1m)
	Signal    string        `json:"signal"`    // latency (default) or failure_rate
}

// NotifierSpec configures one notifier; Settings are the channel's own
// fields (webhook URL, SMTP host, ...) as package notify defines them.
type NotifierSpec struct {
	Name     string          `json:"name"`
	Kind     string          `json:"kind"` // slack, email, webhook, pagerduty, teams, discord
	Settings json.RawMessage `json:"settings"`
}

// Team owns components and hears about them through its notifiers.
type Team struct {
	Name      string   `json:"name"`
	Notifiers []string `json:"notifiers"`
}

// Route sends some events about some components to notifiers, beyond the
// owning team's own.
type Route struct {
	Components []string `json:"components"` // IDs, or "*" for all
	Events     []Event  `json:"events"`     // empty for all
	Notifiers  []string `json:"notifiers"`
}

// AlertPolicy holds the alerting settings that apply to every check.
type AlertPolicy struct {
	// RemindEvery repeats a down alert while it lasts; zero disables it.
	RemindEvery time.Duration `json:"remind_every"`
	// FlapWindow and FlapChanges suppress alerts for a check that changed
	// state FlapChanges times within FlapWindow, until it settles.
	FlapWindow  time.Duration `json:"flap_window"`
	FlapChanges int           `json:"flap_changes"`
	// BaseURL is the server's public URL, for links in alerts.
	BaseURL string `json:"base_url"`
}
