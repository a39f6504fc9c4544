// Package redshift holds the rules for Redshift clusters, their parameter
// groups and Redshift Serverless.
package redshift

import "github.com/safetynet-dev/safetynet/scan"

// Rules are this package's rules; package rules gathers every package's
// list into the registry, so adding a rule touches its file and this list.
var Rules = []*scan.Rule{
	Unencrypted,
	MasterPasswordInTemplate,
	PubliclyAccessible,
	AuditLoggingOff,
	RequireSSLOff,
	SnapshotsDisabled,
	VersionUpgradeOff,
	AdminPasswordInTemplate,
}
