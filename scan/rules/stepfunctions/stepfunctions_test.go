package stepfunctions_test

import (
	"testing"

	"github.com/safetynet-dev/safetynet/scan/rules/stepfunctions"
	"github.com/safetynet-dev/safetynet/scan/scantest"
)

func TestStateMachineLogging(t *testing.T) {
	scantest.Run(t, "testdata/SFN-001", stepfunctions.StateMachineLogging)
}
func TestStateMachineTracing(t *testing.T) {
	scantest.Run(t, "testdata/SFN-002", stepfunctions.StateMachineTracing)
}
