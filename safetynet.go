// Package safetynet holds the few names shared by both halves of the tool:
// the version and the exit codes. The scanner (cfn, scan, report) and the
// server never import each other; they meet only in cmd/safetynet.
package safetynet

import (
	"errors"
	"fmt"
)

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

// Error codes shared by the server's layers. The HTTP adapter maps each to a
// status code in one table; anything else is logged in full and shown to the
// user as "internal error".
const (
	EINVALID      = "invalid"
	ENOTFOUND     = "not_found"
	ECONFLICT     = "conflict"
	EUNAUTHORIZED = "unauthorized"
	EFORBIDDEN    = "forbidden"
	EUNAVAILABLE  = "unavailable" // the server cannot do it now (database full or read-only); try later
	EINTERNAL     = "internal"
)

// Error is an error meant for the user of the server: its message is safe to
// show.
type Error struct {
	Code    string
	Message string
}

func (e *Error) Error() string { return e.Code + ": " + e.Message }

// Errorf returns an *Error with a formatted message.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// ErrorCode returns the code of err if it is (or wraps) an *Error, else
// EINTERNAL.
func ErrorCode(err error) string {
	var e *Error
	if err == nil {
		return ""
	}
	if errors.As(err, &e) {
		return e.Code
	}
	return EINTERNAL
}

// ErrorMessage returns the user-safe message of err: the message of an
// *Error, or "internal error" for anything else.
func ErrorMessage(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Message
	}
	return "internal error"
}
