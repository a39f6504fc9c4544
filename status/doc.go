// Package status is the domain of the after-deploy half: components, checks,
// results, alerts, status changes, notifications and maintenance, the pure
// rules that connect them (Decide, Apply) and the storage interfaces that
// package store implements. It imports only the standard library and the
// root package, so every adapter (store, monitor, notify, web) depends on it
// and never the other way round.
package status
