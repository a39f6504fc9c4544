package cloudwatch_test

import (
	"testing"

	"github.com/safetynet-dev/safetynet/scan/rules/cloudwatch"
	"github.com/safetynet-dev/safetynet/scan/scantest"
)

func TestActionsDisabled(t *testing.T) {
	scantest.Run(t, "testdata/CLOUDWATCH-001", cloudwatch.ActionsDisabled)
}
func TestNoAlarmActions(t *testing.T) {
	scantest.Run(t, "testdata/CLOUDWATCH-002", cloudwatch.NoAlarmActions)
}
