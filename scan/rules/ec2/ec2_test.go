package ec2_test

import (
	"testing"

	"github.com/safetynet-dev/safetynet/scan/rules/ec2"
	"github.com/safetynet-dev/safetynet/scan/scantest"
)

func TestVolumeUnencrypted(t *testing.T)  { scantest.Run(t, "testdata/EC2-001", ec2.VolumeUnencrypted) }
func TestIngressOpenToWorld(t *testing.T) { scantest.Run(t, "testdata/SG-001", ec2.IngressOpenToWorld) }
func TestIngressPortRange(t *testing.T)   { scantest.Run(t, "testdata/SG-002", ec2.IngressPortRange) }
func TestIngressAllProtocols(t *testing.T) {
	scantest.Run(t, "testdata/SG-003", ec2.IngressAllProtocols)
}
func TestMissingEgress(t *testing.T) { scantest.Run(t, "testdata/SG-004", ec2.MissingEgress) }
