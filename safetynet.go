// Package safetynet holds the few names shared by both halves of the tool:
// the version and the exit codes. The scanner (cfn, scan, report) and the
// server never import each other; they meet only in cmd/safetynet.
package safetynet

// Version is stamped at build time with
// -ldflags "-X github.com/safetynet-dev/safetynet.Version=v1.2.3".
var Version = "dev"

// Exit codes of the safetynet command. They are a contract with pipelines:
// never a count, so that 256 findings cannot wrap around to success.
const (
	ExitOK       = 0 // nothing at or above the fail level
	ExitFindings = 1 // findings at or above the fail level
	ExitInput    = 2 // some input could not be read or parsed; the rest was scanned and reported
	ExitUsage    = 3 // bad flags or configuration: nothing was scanned
)
