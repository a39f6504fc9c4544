// Package config reads the server's one YAML file (safetynet.yaml) into a
// Config: where to listen, where to store, what the status page is called,
// who may push metrics, and the status.Plan the monitor runs (components,
// checks, metric rules, outlier groups, notifiers, teams, routes,
// maintenance windows, alerting policy).
//
// It owns three promises to the person editing the file:
//
//   - every problem is reported at once, each with file:line:col, and a
//     typo in a key is a problem, never silently ignored (Errors);
//   - secrets come from the environment (${NAME}, ${NAME:-default}) and are
//     never echoed back in an error;
//   - a reload (Watch: SIGHUP or a changed file) that fails keeps the old
//     configuration running, and a check whose settings did not change
//     keeps its Hash, so the monitor restarts only what changed.
package config
