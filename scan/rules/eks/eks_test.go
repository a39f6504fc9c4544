package eks_test

import (
	"testing"

	"github.com/safetynet-dev/safetynet/scan/rules/eks"
	"github.com/safetynet-dev/safetynet/scan/scantest"
)

func TestSecretsNotEncrypted(t *testing.T) {
	scantest.Run(t, "testdata/EKS-001", eks.SecretsNotEncrypted)
}
func TestPublicEndpoint(t *testing.T) { scantest.Run(t, "testdata/EKS-002", eks.PublicEndpoint) }
func TestAuditLogOff(t *testing.T)    { scantest.Run(t, "testdata/EKS-003", eks.AuditLogOff) }
