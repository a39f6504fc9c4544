package store_test

import (
	"testing"

	"github.com/safetynet-dev/safetynet/status"
	"github.com/safetynet-dev/safetynet/store"
	"github.com/safetynet-dev/safetynet/store/storetest"
)

func TestSQLite(t *testing.T) {
	storetest.Run(t, func(t *testing.T) status.Store {
		return MustOpen(t, sqliteDSN(t), store.Options{})
	})
}
