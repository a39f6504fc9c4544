package store_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/safetynet-dev/safetynet/status"
	"github.com/safetynet-dev/safetynet/store"
)

// Build events arrive by the thousand on a busy AWS account; retention
// keeps BuildEventRetention of them, whatever the rest of the retention
// says, and leaves deployments alone.
func TestPruneBuildEvents(t *testing.T) {
	for name, dsn := range map[string]func(testing.TB) string{"sqlite": sqliteDSN, "postgres": postgresDSN} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			db := MustOpen(t, dsn(t), store.Options{})
			ctx := t.Context()
			now := time.Date(2026, 11, 26, 4, 0, 0, 0, time.UTC)
			day := 24 * time.Hour
			for d := range 120 {
				e := status.BuildEvent{EventID: fmt.Sprintf("ev-%03d", d), Kind: "codebuild", Name: "api-build", State: "SUCCEEDED",
					Service: "api", At: now.Add(-time.Duration(d)*day - time.Minute)}
				if _, _, err := db.SaveBuildEvent(ctx, e); err != nil {
					t.Fatal(err)
				}
			}
			if _, err := db.RecordDeployment(ctx, status.Deployment{Service: "api", Version: "1.0.0", Environment: "production", At: now.Add(-200 * day)}); err != nil {
				t.Fatal(err)
			}
			if err := db.Prune(ctx, now, status.Retention{}); err != nil {
				t.Fatal(err)
			}
			evs, err := db.BuildEvents(ctx, status.BuildEventFilter{Limit: 1000})
			if err != nil {
				t.Fatal(err)
			}
			if want := int(store.BuildEventRetention / day); len(evs) != want {
				t.Fatalf("kept %d build events, want the last %d days' %d", len(evs), want, want)
			}
			if oldest := evs[len(evs)-1].At; now.Sub(oldest) > store.BuildEventRetention {
				t.Errorf("kept an event from %s, older than the retention", oldest)
			}
			deps, err := db.Deployments(ctx, status.DeploymentFilter{Service: "api"})
			if err != nil {
				t.Fatal(err)
			}
			if len(deps) != 1 {
				t.Errorf("pruning touched deployments: %d left, want 1", len(deps))
			}
			// A redelivered recent event is still recognised as a duplicate.
			if _, fresh, err := db.SaveBuildEvent(ctx, status.BuildEvent{EventID: "ev-000", Kind: "codebuild", Name: "api-build", State: "SUCCEEDED", At: now}); err != nil || fresh {
				t.Errorf("redelivered event: new = %v, err = %v; want a duplicate", fresh, err)
			}
		})
	}
}
