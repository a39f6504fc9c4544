// Package agent runs the checks assigned to one location away from the
// server and reports their results to it: `safetynet agent`.
//
// An Agent fetches its checks from the server's agent API
// (GET /api/v1/agent/checks), runs each on its interval with the same
// probes the server uses (monitor/probe), and posts the results in
// batches (POST /api/v1/agent/results). Every batch is written to a
// bounded buffer on disk before it is sent and removed only once the
// server has taken it, so results survive an unreachable server and an
// agent restart, and are replayed in order. The checks are kept on disk
// too, so an agent restarted while the server is down keeps probing.
package agent
