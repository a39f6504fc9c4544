package logs_test

import (
	"testing"

	"github.com/safetynet-dev/safetynet/scan/rules/logs"
	"github.com/safetynet-dev/safetynet/scan/scantest"
)

func TestNotEncrypted(t *testing.T) { scantest.Run(t, "testdata/LOGS-001", logs.NotEncrypted) }
func TestNoRetention(t *testing.T)  { scantest.Run(t, "testdata/LOGS-002", logs.NoRetention) }
