package status

import (
	"regexp"

	"github.com/safetynet-dev/safetynet"
)

func invalidf(format string, args ...any) error {
	return safetynet.Errorf(safetynet.EINVALID, format, args...)
}

var slugRE = regexp.MustCompile(`^[a-z0-9][a-z0-9_/-]{0,127}$`)

// isSlug reports whether s is usable as an ID in URLs and config.
func isSlug(s string) bool { return slugRE.MatchString(s) }
