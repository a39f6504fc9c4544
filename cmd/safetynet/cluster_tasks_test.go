package main

import (
	"database/sql"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/safetynet-dev/safetynet/status"
)

// TestClusterOpensOneIncidentPerOutage: two `safetynet serve` processes on
// one PostgreSQL database, both evaluating incidents every second. An
// outage of components with two customers each opens one automatic
// incident per component, not one per server: the incident engine runs on
// the server holding its task lease. When that server is killed, the other
// takes the lease over and opens the incident of the next outage.
func TestClusterOpensOneIncidentPerOutage(t *testing.T) {
	if testing.Short() {
		t.Skip("cluster test skipped in -short mode")
	}
	dsn := clusterDatabase(t)
	bin := buildBinary(t)

	// Components 0-11 fail together while both servers run; 12 fails
	// after the holder of the incidents lease is killed.
	const comps, first = 13, 12
	var failing sync.Map
	target := serveLoopback(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if _, down := failing.Load(strings.TrimPrefix(r.URL.Path, "/c/")); down {
			http.Error(w, "broken on purpose", http.StatusInternalServerError)
			return
		}
		fmt.Fprintln(w, "ok")
	}))
	var cfg strings.Builder
	fmt.Fprintf(&cfg, "server:\n  listen: 127.0.0.1:0\nstorage:\n  dsn: %q\ncomponents:\n", dsn)
	for i := range comps {
		fmt.Fprintf(&cfg, "  - {id: comp%02d, name: Component %02d, customers: [acme, globex]}\n", i, i)
	}
	cfg.WriteString("checks:\n")
	for i := range comps {
		fmt.Fprintf(&cfg, "  - {id: c%02d, component: comp%02d, kind: http, target: \"http://%s/c/c%02d\", interval: 1s, timeout: 200ms, failures_to_down: 1, successes_to_up: 1}\n",
			i, i, target, i)
	}
	cfg.WriteString("incidents:\n  min_duration: 1h\n  explain_after: 0s\n")
	dir := t.TempDir()
	writeConfig(t, dir, cfg.String())
	servers := []*server{startServer(t, bin, dir, "--evaluate-every", "1s"), startServer(t, bin, dir, "--evaluate-every", "1s")}

	db, err := sql.Open("pgx", dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	// opened counts the automatic incidents of each component.
	opened := func() map[string]int {
		t.Helper()
		rows, err := db.Query(`SELECT components FROM incidents WHERE automatic`)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		out := map[string]int{}
		for rows.Next() {
			var raw string
			var cs []status.AffectedComponent
			if err := rows.Scan(&raw); err != nil {
				t.Fatal(err)
			}
			if err := json.Unmarshal([]byte(raw), &cs); err != nil {
				t.Fatalf("incident components %s: %v", raw, err)
			}
			for _, c := range cs {
				out[c.Component]++
			}
		}
		if err := rows.Err(); err != nil {
			t.Fatal(err)
		}
		return out
	}
	holder := func() string {
		var h string
		if err := db.QueryRow(`SELECT holder FROM task_leases WHERE name = 'incidents'`).Scan(&h); err != nil && err != sql.ErrNoRows {
			t.Fatal(err)
		}
		return h
	}
	names := map[string]*server{}
	for _, s := range servers {
		names[fmt.Sprintf("%s-%d", hostname(), s.cmd.Process.Pid)] = s
	}
	waitFor(t, "a server to hold the incidents lease", 10*time.Second, func() bool { return names[holder()] != nil })

	for i := range first {
		failing.Store(fmt.Sprintf("c%02d", i), true)
	}
	waitFor(t, "an incident for every failing component", 20*time.Second, func() bool { return len(opened()) == first })
	// Both servers tick a few more times over the open outage.
	time.Sleep(3 * time.Second)
	for c, n := range opened() {
		if n != 1 {
			t.Errorf("%s: %d automatic incidents, want 1", c, n)
		}
	}

	// The holder dies; the other server takes the incidents over within
	// the lease (three ticks) and opens the next outage's incident.
	h := holder()
	names[h].kill()
	killed := time.Now()
	failing.Store(fmt.Sprintf("c%02d", first), true)
	waitFor(t, "the surviving server to open the next incident", 20*time.Second, func() bool { return opened()[fmt.Sprintf("comp%02d", first)] == 1 })
	if now := holder(); now == h || names[now] == nil {
		t.Errorf("incidents lease held by %q after %q was killed", now, h)
	}
	t.Logf("incident of an outage starting at the kill opened %s later (lease 3s, ticks 1s, checks 1s)", time.Since(killed).Round(100*time.Millisecond))
	for c, n := range opened() {
		if n != 1 {
			t.Errorf("%s: %d automatic incidents after the takeover, want 1", c, n)
		}
	}
	for _, s := range servers {
		if s != names[h] {
			s.stop()
		}
	}
}
