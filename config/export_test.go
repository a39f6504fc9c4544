package config

import "github.com/safetynet-dev/safetynet/status"

// SetCheckValidator replaces the probe validation for one test and
// returns a function that restores it.
func SetCheckValidator(f func(*status.Check) error) (restore func()) {
	old := validateCheck
	validateCheck = f
	return func() { validateCheck = old }
}
