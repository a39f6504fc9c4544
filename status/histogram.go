package status

import (
	"math"
	"time"
)

// Histogram counts latencies in fixed logarithmic buckets, so histograms of
// minutes merge exactly into hours and days and percentiles stay right when
// rolled up (an average of percentiles would not). Bucket i holds latencies
// below histBase * histGrowth^i; the last bucket holds everything larger.
// With 1 ms and growth 1.25 over 48 buckets the range is 1 ms to about 45 s
// with at most 25% error per value.
type Histogram struct {
	Counts [HistBuckets]uint32 `json:"counts"`
}

// HistBuckets is the number of histogram buckets.
const HistBuckets = 48

const (
	histBase   = float64(time.Millisecond)
	histGrowth = 1.25
)

var histLogGrowth = math.Log(histGrowth)

// bucket returns the bucket of a latency.
func bucket(d time.Duration) int {
	if float64(d) < histBase {
		return 0
	}
	i := int(math.Log(float64(d)/histBase)/histLogGrowth) + 1
	if i >= HistBuckets {
		return HistBuckets - 1
	}
	return i
}

// upper returns the upper bound of bucket i.
func upper(i int) time.Duration {
	return time.Duration(histBase * math.Pow(histGrowth, float64(i)))
}

// Add counts one latency.
func (h *Histogram) Add(d time.Duration) { h.Counts[bucket(d)]++ }

// Merge adds o's counts to h.
func (h *Histogram) Merge(o *Histogram) {
	for i, c := range o.Counts {
		h.Counts[i] += c
	}
}

// Total returns the number of latencies counted.
func (h *Histogram) Total() uint64 {
	var n uint64
	for _, c := range h.Counts {
		n += uint64(c)
	}
	return n
}

// Quantile returns an upper estimate of the q-quantile (0 < q <= 1), or 0
// for an empty histogram.
func (h *Histogram) Quantile(q float64) time.Duration {
	total := h.Total()
	if total == 0 {
		return 0
	}
	rank := uint64(math.Ceil(q * float64(total)))
	if rank == 0 {
		rank = 1
	}
	var seen uint64
	for i, c := range h.Counts {
		seen += uint64(c)
		if seen >= rank {
			return upper(i)
		}
	}
	return upper(HistBuckets - 1)
}
