package codedeploy_test

import (
	"testing"

	"github.com/safetynet-dev/safetynet/scan/rules/codedeploy"
	"github.com/safetynet-dev/safetynet/scan/scantest"
)

func TestNoAutoRollback(t *testing.T) {
	scantest.Run(t, "testdata/CODEDEPLOY-001", codedeploy.NoAutoRollback)
}

func TestAllAtOnce(t *testing.T) { scantest.Run(t, "testdata/CODEDEPLOY-002", codedeploy.AllAtOnce) }

func TestNoAlarms(t *testing.T) { scantest.Run(t, "testdata/CODEDEPLOY-003", codedeploy.NoAlarms) }
