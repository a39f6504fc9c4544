package buildspec

import "github.com/safetynet-dev/safetynet/scan"

// Rules are this package's rules; package rules gathers every package's
// list into the registry, so adding a rule touches its file and this list.
var Rules = []*scan.Rule{
	SwallowedTestFailure,
	TestsWithoutReports,
	PlaintextSecret,
	PrivilegedWithoutImageBuild,
	LatestRuntime,
	UnpinnedImage,
	Version,
	UnreadableInline,
}
