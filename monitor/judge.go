package monitor

import (
	"time"

	"github.com/safetynet-dev/safetynet"
	"github.com/safetynet-dev/safetynet/detect"
	"github.com/safetynet-dev/safetynet/status"
)

// verdict is a judge's answer at one evaluation of a series.
type verdict struct {
	// Opened and Resolved say the rule started or stopped firing now.
	Opened, Resolved bool
	// At is when the anomaly began; Summary says what is wrong.
	At      time.Time
	Summary string
}

// judge follows one series of a metric rule between evaluations; package
// detect's trackers do the statistics.
type judge interface {
	Judge(points []detect.Point, now time.Time) verdict
}

// newJudge returns the judge of a rule.
func newJudge(r status.MetricRule) (judge, error) {
	return nil, safetynet.Errorf(safetynet.EINVALID, "metric rule %s: detection is not wired yet", r.ID)
}
