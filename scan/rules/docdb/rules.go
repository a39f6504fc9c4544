// Package docdb holds the rules for Amazon DocumentDB clusters and their
// parameter groups.
package docdb

import "github.com/safetynet-dev/safetynet/scan"

// Rules are this package's rules; package rules gathers every package's
// list into the registry, so adding a rule touches its file and this list.
var Rules = []*scan.Rule{
	MasterPasswordInTemplate,
	StorageUnencrypted,
	DeletionProtection,
	AuditLogsNotExported,
	TLSDisabled,
}
