package ec2

import "github.com/safetynet-dev/safetynet/scan"

// Rules are this package's rules; package rules gathers every package's
// list into the registry, so adding a rule touches its file and this list.
var Rules = []*scan.Rule{
	VolumeUnencrypted,
	VolumeNoKMSKey,
	SubnetMapPublicIP,
	VPCNoFlowLog,
	IMDSv1Allowed,
	UserDataSecret,
	PublicIPAssigned,
	IngressOpenToWorld,
	IngressPortRange,
	IngressAllProtocols,
	MissingEgress,
	EgressOpenToWorld,
	EgressPortRange,
	EgressAllProtocols,
	IngressCidrRange,
	RuleDescription,
	IngressAdminPortsOpen,
	NACLDuplicateRuleNumber,
	NACLAllowAllProtocols,
	NACLAllowAllPorts,
	NACLPartialDeny,
	NACLOverlappingPorts,
}
