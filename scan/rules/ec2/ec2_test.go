package ec2_test

import (
	"testing"

	"github.com/safetynet-dev/safetynet/scan/rules/ec2"
	"github.com/safetynet-dev/safetynet/scan/scantest"
)

func TestVolumeUnencrypted(t *testing.T)  { scantest.Run(t, "testdata/EC2-001", ec2.VolumeUnencrypted) }
func TestVolumeNoKMSKey(t *testing.T)     { scantest.Run(t, "testdata/EC2-002", ec2.VolumeNoKMSKey) }
func TestSubnetMapPublicIP(t *testing.T)  { scantest.Run(t, "testdata/EC2-003", ec2.SubnetMapPublicIP) }
func TestVPCNoFlowLog(t *testing.T)       { scantest.Run(t, "testdata/EC2-004", ec2.VPCNoFlowLog) }
func TestIMDSv1Allowed(t *testing.T)      { scantest.Run(t, "testdata/EC2-005", ec2.IMDSv1Allowed) }
func TestUserDataSecret(t *testing.T)     { scantest.Run(t, "testdata/EC2-006", ec2.UserDataSecret) }
func TestPublicIPAssigned(t *testing.T)   { scantest.Run(t, "testdata/EC2-007", ec2.PublicIPAssigned) }
func TestIngressOpenToWorld(t *testing.T) { scantest.Run(t, "testdata/SG-001", ec2.IngressOpenToWorld) }
func TestIngressPortRange(t *testing.T)   { scantest.Run(t, "testdata/SG-002", ec2.IngressPortRange) }
func TestIngressAllProtocols(t *testing.T) {
	scantest.Run(t, "testdata/SG-003", ec2.IngressAllProtocols)
}
func TestMissingEgress(t *testing.T)      { scantest.Run(t, "testdata/SG-004", ec2.MissingEgress) }
func TestEgressOpenToWorld(t *testing.T)  { scantest.Run(t, "testdata/SG-005", ec2.EgressOpenToWorld) }
func TestEgressPortRange(t *testing.T)    { scantest.Run(t, "testdata/SG-006", ec2.EgressPortRange) }
func TestEgressAllProtocols(t *testing.T) { scantest.Run(t, "testdata/SG-007", ec2.EgressAllProtocols) }
func TestIngressCidrRange(t *testing.T)   { scantest.Run(t, "testdata/SG-008", ec2.IngressCidrRange) }
func TestRuleDescription(t *testing.T)    { scantest.Run(t, "testdata/SG-009", ec2.RuleDescription) }
func TestIngressAdminPortsOpen(t *testing.T) {
	scantest.Run(t, "testdata/SG-010", ec2.IngressAdminPortsOpen)
}
func TestNACLDuplicateRuleNumber(t *testing.T) {
	scantest.Run(t, "testdata/NACL-001", ec2.NACLDuplicateRuleNumber)
}
func TestNACLAllowAllProtocols(t *testing.T) {
	scantest.Run(t, "testdata/NACL-002", ec2.NACLAllowAllProtocols)
}
func TestNACLAllowAllPorts(t *testing.T) { scantest.Run(t, "testdata/NACL-003", ec2.NACLAllowAllPorts) }
func TestNACLPartialDeny(t *testing.T)   { scantest.Run(t, "testdata/NACL-004", ec2.NACLPartialDeny) }
func TestNACLOverlappingPorts(t *testing.T) {
	scantest.Run(t, "testdata/NACL-005", ec2.NACLOverlappingPorts)
}
