// Package monitor is the engine of `safetynet serve`: it schedules and runs
// checks through probers, folds their results into debounced check states,
// opens and resolves alerts, enqueues notifications in the outbox, watches
// heartbeats and metric rules, and records every change of a component's
// status with its cause. It depends only on the status domain: storage is a
// status.Store, probes come from a constructor passed in Options, and
// delivery of notifications is left to package notify (the monitor only
// pokes it after enqueuing).
//
// The schedule lives in the store (next run, lease owner and expiry), so a
// restarted server resumes where it stopped and several servers can share
// the checks later. Results are written in batches by one writer goroutine.
package monitor
