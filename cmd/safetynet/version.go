package main

import (
	"runtime"
	"runtime/debug"

	"github.com/safetynet-dev/safetynet"
)

// versionString is the stamped version, or the module version and commit
// that `go install` records when nothing was stamped.
func versionString() string {
	v := safetynet.Version
	if info, ok := debug.ReadBuildInfo(); ok {
		if v == "dev" && info.Main.Version != "" && info.Main.Version != "(devel)" {
			v = info.Main.Version
		}
		for _, s := range info.Settings {
			if s.Key == "vcs.revision" && len(s.Value) >= 12 {
				v += " (" + s.Value[:12] + ")"
			}
		}
	}
	return v + " " + runtime.GOOS + "/" + runtime.GOARCH
}
