package store_test

import (
	"testing"
	"time"

	"github.com/safetynet-dev/safetynet/status"
	"github.com/safetynet-dev/safetynet/store"
	"github.com/safetynet-dev/safetynet/store/storetest"
)

func TestPostgres(t *testing.T) {
	postgresDSN(t) // skips the whole suite when PostgreSQL is not configured
	storetest.Run(t, func(t *testing.T) status.Store {
		return MustOpen(t, postgresDSN(t), store.Options{})
	})
}

func TestPostgresIncidents(t *testing.T) {
	postgresDSN(t)
	storetest.RunIncidents(t, func(t *testing.T) status.IncidentStore {
		return MustOpen(t, postgresDSN(t), store.Options{})
	})
}

func TestPostgresTokens(t *testing.T) {
	postgresDSN(t)
	storetest.RunTokens(t, func(t *testing.T) status.TokenStore {
		return MustOpen(t, postgresDSN(t), store.Options{})
	})
}

func TestPostgresSubscribers(t *testing.T) {
	postgresDSN(t)
	storetest.RunSubscribers(t, func(t *testing.T) status.SubscriberStore {
		return MustOpen(t, postgresDSN(t), store.Options{})
	})
}

func TestPostgresPostmortems(t *testing.T) {
	postgresDSN(t)
	storetest.RunPostmortems(t, func(t *testing.T) storetest.PostmortemBackend {
		return MustOpen(t, postgresDSN(t), store.Options{})
	})
}

func TestPostgresUsers(t *testing.T) {
	postgresDSN(t)
	storetest.RunUsers(t, func(t *testing.T) status.UserStore {
		return MustOpen(t, postgresDSN(t), store.Options{})
	})
}

func TestPostgresReleases(t *testing.T) {
	postgresDSN(t)
	storetest.RunReleases(t, func(t *testing.T) status.ReleaseStore {
		return MustOpen(t, postgresDSN(t), store.Options{})
	})
}

func TestPostgresTaskLeases(t *testing.T) {
	postgresDSN(t)
	storetest.RunTaskLeases(t, func(t *testing.T, now func() time.Time) storetest.TaskLeaser {
		return MustOpen(t, postgresDSN(t), store.Options{Now: now})
	})
}
