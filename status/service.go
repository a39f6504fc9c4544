package status

import (
	"context"
	"time"
)

// The storage interfaces below are implemented by package store for SQLite
// and PostgreSQL. Each exported method owns its transaction. Times are
// stored in UTC with at least millisecond precision.

// ComponentStore keeps the configured components.
type ComponentStore interface {
	// SyncComponents makes the stored components match the config: new ones
	// are added, changed ones updated, missing ones marked removed (their
	// history is kept).
	SyncComponents(ctx context.Context, cs []Component) error
	Components(ctx context.Context) ([]Component, error)
}

// ScheduleEntry is a check as the scheduler sees it.
type ScheduleEntry struct {
	CheckID  string
	Interval time.Duration
	Hash     string
}

// Due is a check claimed for running.
type Due struct {
	CheckID string
	DueAt   time.Time
}

// ScheduleStore keeps when each check runs next and who holds it, so that
// restarts resume where they left off and several servers share the work.
type ScheduleStore interface {
	// SyncSchedule adds new checks with a first run spread over their
	// interval (by a hash of the ID, so the spread is stable), reschedules
	// checks whose Hash changed, leaves unchanged ones alone and removes
	// checks no longer configured.
	SyncSchedule(ctx context.Context, entries []ScheduleEntry, now time.Time) error
	// ClaimDue leases up to limit checks whose next run is at or before now
	// and whose lease is free or expired, to owner until now+lease.
	ClaimDue(ctx context.Context, owner string, now time.Time, limit int, lease time.Duration) ([]Due, error)
	// Complete sets a claimed check's next run and releases the lease. It
	// does nothing if owner no longer holds the lease.
	Complete(ctx context.Context, owner, checkID string, next time.Time) error
	// NextDue returns the earliest next run of any check, for sleeping.
	NextDue(ctx context.Context) (time.Time, bool, error)
}

// ResultFilter selects results.
type ResultFilter struct {
	CheckID  string
	Location string // empty for all
	Since    time.Time
	Until    time.Time // zero for now
	Limit    int       // 0 for no limit; newest first when set
}

// Resolution is a rollup bucket width.
type Resolution string

// The rollup resolutions and how long each is kept by default.
const (
	Minute Resolution = "minute" // 14 days
	Hour   Resolution = "hour"   // 90 days
	Day    Resolution = "day"    // 400 days
)

// Rollup summarises a check's results over one bucket.
type Rollup struct {
	CheckID    string     `json:"check"`
	Location   string     `json:"location"`
	Resolution Resolution `json:"resolution"`
	Start      time.Time  `json:"start"`
	Count      int        `json:"count"`
	Failures   int        `json:"failures"`
	Latency    Histogram  `json:"latency"`
}

// RollupFilter selects rollups.
type RollupFilter struct {
	CheckID    string
	Location   string // empty for all locations
	Resolution Resolution
	Since      time.Time
	Until      time.Time
}

// ResultStore keeps raw results and their rollups.
type ResultStore interface {
	// SaveResults stores a batch of results and folds them into the minute,
	// hour and day rollups in the same transaction.
	SaveResults(ctx context.Context, rs []Result) error
	Results(ctx context.Context, f ResultFilter) ([]Result, error)
	Rollups(ctx context.Context, f RollupFilter) ([]Rollup, error)
}

// StateStore keeps debounced check states and component status changes.
type StateStore interface {
	CheckStates(ctx context.Context) ([]CheckState, error)
	SaveCheckState(ctx context.Context, st CheckState) error
	// RecordChange appends a component status change and returns it with
	// its ID.
	RecordChange(ctx context.Context, c Change) (Change, error)
	// Changes lists changes oldest first.
	Changes(ctx context.Context, f ChangeFilter) ([]Change, error)
	// CurrentStatuses returns the latest status of every component that has
	// one.
	CurrentStatuses(ctx context.Context) (map[string]Status, error)
}

// ChangeFilter selects status changes.
type ChangeFilter struct {
	Component string // empty for all
	Since     time.Time
	Until     time.Time
	Limit     int
}

// SampleFilter selects metric samples.
type SampleFilter struct {
	Name  string
	Tags  map[string]string // every tag given must match
	Since time.Time
	Until time.Time
	Limit int
}

// MetricStore keeps metric samples.
type MetricStore interface {
	SaveSamples(ctx context.Context, ss []Sample) error
	// Samples lists matching samples oldest first.
	Samples(ctx context.Context, f SampleFilter) ([]Sample, error)
}

// AlertFilter selects alerts.
type AlertFilter struct {
	OpenOnly  bool
	Component string
	Since     time.Time
	Limit     int
}

// AlertStore keeps alerts.
type AlertStore interface {
	// OpenAlert records a new alert unless one of the same Kind and
	// Subject is already open, in which case it returns that one and false.
	OpenAlert(ctx context.Context, a Alert) (Alert, bool, error)
	ResolveAlert(ctx context.Context, id int64, at time.Time) error
	AckAlert(ctx context.Context, id int64, by string, at time.Time) error
	Alerts(ctx context.Context, f AlertFilter) ([]Alert, error)
}

// Outbox queues notifications for delivery at least once.
type Outbox interface {
	// Enqueue adds notifications; one whose Key is already queued is
	// skipped. It returns how many were added.
	Enqueue(ctx context.Context, ns []Notification) (int, error)
	// ClaimNotifications leases up to limit undelivered notifications whose
	// NextAttempt has come, oldest first per notifier, to owner until
	// now+lease.
	ClaimNotifications(ctx context.Context, owner string, now time.Time, limit int, lease time.Duration) ([]Notification, error)
	MarkDelivered(ctx context.Context, id int64, at time.Time) error
	// MarkFailed records a failed attempt and when to try again.
	MarkFailed(ctx context.Context, id int64, errText string, next time.Time) error
	// OutboxStats counts undelivered notifications and those that have
	// failed at least once.
	OutboxStats(ctx context.Context) (pending, failing int, err error)
}

// HeartbeatStore records heartbeats of jobs that call in.
type HeartbeatStore interface {
	Beat(ctx context.Context, checkID string, at time.Time) error
	// LastBeat returns the latest heartbeat, and false when there was none.
	LastBeat(ctx context.Context, checkID string) (time.Time, bool, error)
}

// MaintenanceStore keeps maintenance windows.
type MaintenanceStore interface {
	CreateMaintenance(ctx context.Context, m Maintenance) (Maintenance, error)
	// Maintenances lists windows that overlap [from, to).
	Maintenances(ctx context.Context, from, to time.Time) ([]Maintenance, error)
}

// Retention says how long each kind of data is kept.
type Retention struct {
	Raw, Minute, Hour, Day, Samples time.Duration
}

// DefaultRetention keeps raw results and minute rollups 14 days, hourly 90
// days, daily 400 days, metric samples 14 days.
var DefaultRetention = Retention{Raw: 14 * 24 * time.Hour, Minute: 14 * 24 * time.Hour, Hour: 90 * 24 * time.Hour, Day: 400 * 24 * time.Hour, Samples: 14 * 24 * time.Hour}

// Store is everything the server keeps.
type Store interface {
	ComponentStore
	ScheduleStore
	ResultStore
	StateStore
	MetricStore
	AlertStore
	Outbox
	HeartbeatStore
	MaintenanceStore
	// Prune deletes data older than the retention allows.
	Prune(ctx context.Context, now time.Time, r Retention) error
	// Ping reports whether the database answers, for /readyz.
	Ping(ctx context.Context) error
	Close() error
}

// IncidentFilter selects incidents, newest first.
type IncidentFilter struct {
	OpenOnly   bool      // not resolved
	PublicOnly bool      // posted on the page
	Since      time.Time // started or resolved at or after
	Component  string    // affecting this component
	Limit      int
	Offset     int
}

// IncidentStore keeps incidents with their updates, an audit trail of every
// change, customer reports and known issues. Every method that changes an
// incident writes its audit entry in the same transaction.
type IncidentStore interface {
	// CreateIncident stores a new incident with its first update.
	CreateIncident(ctx context.Context, inc Incident, first IncidentUpdate, actor string) (Incident, error)
	// AddUpdate appends an update and moves the incident to the update's
	// status (resolving it when the status is resolved).
	AddUpdate(ctx context.Context, id int64, u IncidentUpdate, actor string) (IncidentUpdate, error)
	// EditIncident changes an incident's title, impact, components,
	// customers and visibility.
	EditIncident(ctx context.Context, inc Incident, actor string) error
	// AckIncident records the first acknowledgement; later ones are kept in
	// the audit trail only.
	AckIncident(ctx context.Context, id int64, by string, at time.Time) error
	// Incident returns one incident with its updates, oldest update first.
	Incident(ctx context.Context, id int64) (Incident, error)
	Incidents(ctx context.Context, f IncidentFilter) ([]Incident, error)
	Audit(ctx context.Context, entity string, id int64) ([]AuditEntry, error)

	AddReport(ctx context.Context, r CustomerReport) (CustomerReport, error)
	// Reports lists reports about a component since a time, oldest first.
	Reports(ctx context.Context, component string, since time.Time) ([]CustomerReport, error)

	SaveKnownIssue(ctx context.Context, k KnownIssue) (KnownIssue, error)
	KnownIssues(ctx context.Context, includeResolved bool) ([]KnownIssue, error)
}
