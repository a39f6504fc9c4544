package detect

import (
	"math"
	"slices"
	"time"
)

// Point is one value of a series at one time.
type Point struct {
	T time.Time
	V float64
}

// madScale turns a median absolute deviation into an estimate of the
// standard deviation of normally distributed noise. Bounds and tolerances
// are counted in these scaled MADs, so "3" means what people expect of
// "three standard deviations" while staying blind to a few wild values.
const madScale = 1.4826

// meanADScale does the same for the mean absolute deviation, used only when
// the MAD is zero (more than half the values identical).
const meanADScale = 1.2533

// median returns the median of vals, reordering them. It returns NaN for no
// values.
func median(vals []float64) float64 {
	n := len(vals)
	if n == 0 {
		return math.NaN()
	}
	slices.Sort(vals)
	if n%2 == 1 {
		return vals[n/2]
	}
	return (vals[n/2-1] + vals[n/2]) / 2
}

// center returns the median of vals and their spread: the scaled MAD, or
// when that is zero because most values are identical, the scaled mean
// absolute deviation, so a series that is flat but for a few blips still
// gets an honest spread. The spread is zero only for a perfectly flat
// series. scratch must hold len(vals) values; vals is reordered.
func center(vals, scratch []float64) (med, spread float64) {
	med = median(vals)
	dev := scratch[:len(vals)]
	sum := 0.0
	for i, v := range vals {
		dev[i] = math.Abs(v - med)
		sum += dev[i]
	}
	if mad := median(dev); mad > 0 {
		return med, mad * madScale
	}
	if len(vals) == 0 {
		return med, 0
	}
	return med, sum / float64(len(vals)) * meanADScale
}

// finite reports whether v is a usable number.
func finite(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }

// sortedByTime returns series ordered by time, copying it only when it is
// not already ordered.
func sortedByTime(series []Point) []Point {
	if slices.IsSortedFunc(series, cmpPoint) {
		return series
	}
	s := slices.Clone(series)
	slices.SortStableFunc(s, cmpPoint)
	return s
}

func cmpPoint(a, b Point) int { return a.T.Compare(b.T) }

// after returns the index of the first point later than t.
func after(series []Point, t time.Time) int {
	i, _ := slices.BinarySearchFunc(series, t, func(p Point, t time.Time) int {
		if p.T.After(t) {
			return 1
		}
		return -1
	})
	return i
}
