package config_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/safetynet-dev/safetynet/config"
)

// recorder collects what a Watcher reports.
type recorder struct {
	mu      sync.Mutex
	changes []*config.Config
	errs    []error
}

func (r *recorder) onChange(c *config.Config) {
	r.mu.Lock()
	r.changes = append(r.changes, c)
	r.mu.Unlock()
}
func (r *recorder) onError(err error) { r.mu.Lock(); r.errs = append(r.errs, err); r.mu.Unlock() }

func (r *recorder) counts() (changes, errs int) {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.changes), len(r.errs)
}

// waitFor polls cond until it holds or a generous deadline passes.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

const watched = `components:
  - id: api
    name: API
checks:
  - id: api-port
    component: api
    kind: tcp
    target: 127.0.0.1:8081
`

func writeConfig(t *testing.T, path, body string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestWatcherReload(t *testing.T) {
	path := filepath.Join(t.TempDir(), "safetynet.yaml")
	writeConfig(t, path, watched)
	var r recorder
	w := config.NewWatcher(path, config.Env{}, r.onChange, r.onError)

	// Unchanged: nothing, however often asked.
	if w.Reload() || w.Poll() {
		t.Fatal("an unchanged file reported a change")
	}
	// Comments and layout only: the same configuration, nothing.
	writeConfig(t, path, "# the API\n"+watched)
	if w.Poll() {
		t.Fatal("a comment-only edit reported a change")
	}

	// A real change: onChange with the new config.
	writeConfig(t, path, strings.Replace(watched, "8081", "8082", 1))
	if !w.Poll() {
		t.Fatal("a changed target was not reported")
	}
	if c, e := r.counts(); c != 1 || e != 0 {
		t.Fatalf("changes %d, errors %d; want 1, 0", c, e)
	}
	if got := r.changes[0].Plan.Checks[0].Target; got != "127.0.0.1:8082" {
		t.Errorf("new config has target %q", got)
	}

	// A bad edit: onError, no onChange, and it is reported once per edit.
	writeConfig(t, path, watched+"    intreval: 5s\n")
	if w.Poll() {
		t.Fatal("a bad file reported a change")
	}
	if w.Poll() {
		t.Fatal("a bad file reported a change on the second poll")
	}
	if c, e := r.counts(); c != 1 || e != 1 {
		t.Fatalf("changes %d, errors %d; want 1, 1", c, e)
	}
	if !strings.Contains(r.errs[0].Error(), `safetynet.yaml:9:5: unknown key "intreval"`) {
		t.Errorf("error = %v, want the line of the typo", r.errs[0])
	}

	// Fixing it back to the configuration in force (8082) is no change;
	// fixing it to something new is.
	writeConfig(t, path, strings.Replace(watched, "8081", "8082", 1))
	if w.Poll() {
		t.Error("returning to the configuration in force reported a change")
	}
	writeConfig(t, path, strings.Replace(watched, "8081", "8083", 1))
	if !w.Reload() {
		t.Error("Reload missed a change")
	}
}

func TestWatchPollsAndTriggers(t *testing.T) {
	path := filepath.Join(t.TempDir(), "safetynet.yaml")
	writeConfig(t, path, watched)
	var r recorder
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	w := config.Watch(ctx, path, config.Env{}, 10*time.Millisecond, r.onChange, r.onError)

	writeConfig(t, path, strings.Replace(watched, "8081", "8082", 1))
	waitFor(t, "the poll to see the change", func() bool { c, _ := r.counts(); return c == 1 })

	writeConfig(t, path, "checks: [")
	waitFor(t, "the poll to report the broken file", func() bool { _, e := r.counts(); return e >= 1 })

	// SIGHUP path, without polling.
	path2 := filepath.Join(t.TempDir(), "safetynet.yaml")
	writeConfig(t, path2, watched)
	var r2 recorder
	w2 := config.Watch(ctx, path2, config.Env{}, 0, r2.onChange, r2.onError)
	writeConfig(t, path2, strings.Replace(watched, "8081", "8089", 1))
	w2.Trigger()
	waitFor(t, "the trigger to reload", func() bool { c, _ := r2.counts(); return c == 1 })
	_ = w
}
