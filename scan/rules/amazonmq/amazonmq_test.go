package amazonmq_test

import (
	"testing"

	"github.com/safetynet-dev/safetynet/scan/rules/amazonmq"
	"github.com/safetynet-dev/safetynet/scan/scantest"
)

func TestUserPassword(t *testing.T) { scantest.Run(t, "testdata/MQ-001", amazonmq.UserPassword) }
func TestNoEncryptionOptions(t *testing.T) {
	scantest.Run(t, "testdata/MQ-002", amazonmq.NoEncryptionOptions)
}
func TestPubliclyAccessible(t *testing.T) {
	scantest.Run(t, "testdata/MQ-003", amazonmq.PubliclyAccessible)
}
func TestNoAuditLogs(t *testing.T) { scantest.Run(t, "testdata/MQ-004", amazonmq.NoAuditLogs) }
func TestNoAutoMinorVersionUpgrade(t *testing.T) {
	scantest.Run(t, "testdata/MQ-005", amazonmq.NoAutoMinorVersionUpgrade)
}
