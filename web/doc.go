// Package web is the server's HTTP adapter: health and readiness probes,
// Prometheus metrics, the ingest API for pushed metrics and heartbeats, the
// read API for the dashboard snapshot and an internal HTML dashboard.
//
// It owns no state of its own beyond request counters: everything it shows
// or stores goes through the small interfaces in Options, so the serve
// command wires it to the monitor and the store, and tests wire it to fakes.
//
// Routes:
//
//	GET  /healthz                   the process is alive: 200 "ok"
//	GET  /readyz                    the store answers and the config is loaded: 200, else 503 and why
//	GET  /metrics                   Prometheus metrics, every series prefixed safetynet_
//	POST /api/v1/metrics            push samples (ingest token)
//	POST /api/v1/heartbeat/{token}  a job calls in; GET and HEAD too, for wget-only cron jobs
//	GET  /api/v1/components         components with status and cause (read access)
//	GET  /api/v1/checks             checks with state, last result and latency (read access)
//	GET  /api/v1/snapshot           everything the dashboard shows (read access)
//	GET  /                          the internal dashboard (read access)
//
// Read access: the read routes accept an ingest token (as a bearer token, or
// as the password of HTTP basic auth so a browser can log in) until a
// read-scoped token exists. With Options.OpenRead they are open; the serve
// command sets it when it listens on a loopback address only (LoopbackOnly),
// where the dashboard is reachable from the same machine alone.
//
// The public status page is a later addition: it gets its own routes under
// /status (or its own host) and reads the same Dashboard snapshot.
package web

// # The Statuspage-compatible API
//
// GET /api/v2/summary.json, status.json, components.json, incidents.json,
// incidents/unresolved.json, scheduled-maintenances.json,
// scheduled-maintenances/upcoming.json and scheduled-maintenances/active.json
// answer with the field names and vocabularies of Atlassian Statuspage's
// public API, open to everyone with CORS, so existing widgets and clients
// work unchanged. Answers are built once for all endpoints and reused for a
// couple of seconds. Differences from Statuspage: IDs are our numbers and
// slugs as strings; component groups are derived from each component's
// group name (id "group-<name>"); a component's created_at is its last
// status change; maintenance windows are listed with IDs "maintenance-N"
// and impact "maintenance", and have no updates yet; only public components
// and incidents appear.
