package store

import (
	"encoding/binary"
	"fmt"

	"github.com/safetynet-dev/safetynet/status"
)

// Histograms are stored sparse: a check's latencies fill a few of the 48
// buckets, and with one minute rollup per check and minute the rollup table
// is as long as the results table, so every byte counts. The encoding is a
// version byte (1) followed by (bucket index, uvarint count) pairs for the
// non-empty buckets.
const histVersion = 1

func encodeHist(h *status.Histogram) []byte {
	b := make([]byte, 1, 16)
	b[0] = histVersion
	for i, c := range h.Counts {
		if c == 0 {
			continue
		}
		b = append(b, byte(i))
		b = binary.AppendUvarint(b, uint64(c))
	}
	return b
}

func decodeHist(b []byte, h *status.Histogram) error {
	*h = status.Histogram{}
	if len(b) == 0 {
		return nil
	}
	if b[0] != histVersion {
		return fmt.Errorf("histogram encoding %d unknown", b[0])
	}
	b = b[1:]
	for len(b) > 0 {
		i := int(b[0])
		c, n := binary.Uvarint(b[1:])
		if i >= status.HistBuckets || n <= 0 || c > 1<<32-1 {
			return fmt.Errorf("histogram encoding corrupt")
		}
		h.Counts[i] = uint32(c)
		b = b[1+n:]
	}
	return nil
}
