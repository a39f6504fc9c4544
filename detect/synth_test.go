package detect_test

import (
	"math"
	"math/rand/v2"
	"time"

	"github.com/safetynet-dev/safetynet/detect"
)

// day0 is midnight UTC on a Monday, so hour-of-week patterns line up with
// the calendar.
var day0 = time.Date(2025, 3, 3, 0, 0, 0, 0, time.UTC)

// noise returns a deterministic source: the same seed, the same series.
func noise(seed uint64) *rand.Rand { return rand.New(rand.NewPCG(seed, 0x5afe7e7)) }

// series returns n points from start, step apart, valued by f.
func series(start time.Time, n int, step time.Duration, f func(i int, t time.Time) float64) []detect.Point {
	s := make([]detect.Point, n)
	for i := range s {
		t := start.Add(time.Duration(i) * step)
		s[i] = detect.Point{T: t, V: f(i, t)}
	}
	return s
}

// gauss returns level plus normal noise of the given standard deviation.
func gauss(r *rand.Rand, level, sd float64) float64 { return level + r.NormFloat64()*sd }

// upTo returns the points of s at or before t, as a caller that has seen
// only the past would pass them.
func upTo(s []detect.Point, t time.Time) []detect.Point {
	n := 0
	for n < len(s) && !s[n].T.After(t) {
		n++
	}
	return s[:n]
}

// smoothstep rises from 0 at a to 1 at b.
func smoothstep(a, b, x float64) float64 {
	x = math.Max(0, math.Min(1, (x-a)/(b-a)))
	return x * x * (3 - 2*x)
}
