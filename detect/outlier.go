package detect

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"time"

	"github.com/safetynet-dev/safetynet"
	"github.com/safetynet-dev/safetynet/status"
)

// The outlier algorithms.
const (
	MAD          = "mad"
	DBSCAN       = "dbscan"
	ScaledMAD    = "scaledmad"
	ScaledDBSCAN = "scaleddbscan"
)

// The signals an outlier group compares; they only change how a result is
// worded.
const (
	SignalLatency     = "latency"      // values in milliseconds
	SignalFailureRate = "failure_rate" // values are fractions from 0 to 1
)

// Default outlier settings, applied to zero fields.
const (
	DefaultTolerance = 3.0
	DefaultPct       = 20.0
	DefaultBucket    = time.Minute
)

// MinMembers is the smallest peer group that can have an outlier: with two
// members there is no telling which one is odd.
const MinMembers = 3

// ErrTooFew reports a group with fewer than MinMembers members that have
// values in the same time buckets. It is a state of the data, not of the
// configuration: a group whose checks have just started has too few.
var ErrTooFew = errors.New("detect: too few members to compare")

// scaledFloor is the smallest spread the scaled algorithms allow, as a
// share of the group's typical level: members must differ by more than
// tolerance × 5% of the level before the scaled variants call them odd.
const scaledFloor = 0.05

// dbscanNorm turns the median distance of members to the median series into
// a neighbourhood radius. Two ordinary members are about √2 times as far
// from each other as each is from the median series, so a radius of 1.5
// median distances (times the tolerance) keeps them neighbours.
const dbscanNorm = 1.5

// OutlierConfig says how a peer group is compared. Zero fields take the
// defaults (dbscan, tolerance 3, one-minute buckets); Pct zero means a
// single outlying bucket is enough.
type OutlierConfig struct {
	// Algorithm is mad, dbscan, scaledmad or scaleddbscan.
	Algorithm string
	// Tolerance is how far a member may stray: in MADs for mad, as a
	// multiple of the neighbourhood radius for dbscan. Lower is stricter.
	Tolerance float64
	// Pct is the percentage (0-100) of a member's buckets that must be
	// outlying for mad to flag it.
	Pct float64
	// Bucket is the width of the time buckets members are compared in.
	Bucket time.Duration
	// Signal (latency, failure_rate or empty) words the summaries.
	Signal string
}

// FromGroup returns the comparison settings of a configured outlier group,
// with the defaults applied.
func FromGroup(g status.OutlierGroup) OutlierConfig {
	c := OutlierConfig{Algorithm: g.Algorithm, Tolerance: g.Tolerance, Pct: g.Pct, Bucket: g.Bucket, Signal: g.Signal}
	if c.Pct == 0 {
		c.Pct = DefaultPct
	}
	if c.Signal == "" {
		c.Signal = SignalLatency
	}
	return c.withDefaults()
}

func (c OutlierConfig) withDefaults() OutlierConfig {
	if c.Algorithm == "" {
		c.Algorithm = DBSCAN
	}
	if c.Tolerance == 0 {
		c.Tolerance = DefaultTolerance
	}
	if c.Bucket == 0 {
		c.Bucket = DefaultBucket
	}
	return c
}

// Validate reports the first setting that cannot work, as an EINVALID
// error. Zero fields are valid: they take the defaults.
func (c OutlierConfig) Validate() error {
	c = c.withDefaults()
	switch c.Algorithm {
	case MAD, DBSCAN, ScaledMAD, ScaledDBSCAN:
	default:
		return safetynet.Errorf(safetynet.EINVALID, "outlier algorithm %q: want mad, dbscan, scaledmad or scaleddbscan", c.Algorithm)
	}
	if !(c.Tolerance > 0) || math.IsInf(c.Tolerance, 0) {
		return safetynet.Errorf(safetynet.EINVALID, "outlier tolerance %v: want a positive number", c.Tolerance)
	}
	if !(c.Pct >= 0 && c.Pct < 100) {
		return safetynet.Errorf(safetynet.EINVALID, "outlier pct %v: want a percentage from 0 to below 100", c.Pct)
	}
	if c.Bucket < 0 {
		return safetynet.Errorf(safetynet.EINVALID, "outlier bucket %v: want a positive duration", c.Bucket)
	}
	switch c.Signal {
	case "", SignalLatency, SignalFailureRate:
	default:
		return safetynet.Errorf(safetynet.EINVALID, "outlier signal %q: want latency or failure_rate", c.Signal)
	}
	return nil
}

// Member is one series of a peer group: one instance's or one region's
// values of the same signal.
type Member struct {
	Name   string
	Points []Point
}

// Outlier is a member that left its peers.
type Outlier struct {
	Member string
	// Score is how far out the member sits in units of the algorithm's
	// limit (its bucket values' median distance in tolerance×MADs for mad,
	// its distance to the median series over the radius for dbscan).
	Score float64
	// Share is the fraction of the member's compared buckets in which it
	// strayed beyond the limit.
	Share float64
	// Value is the member's median over the compared buckets; PeerMedian is
	// the median of the other members over the same buckets.
	Value, PeerMedian float64
	// Summary says it for a person: "eu-west-1 is 4.2× slower than its
	// peers (median 812 ms vs 190 ms)".
	Summary string
}

// grid holds a group's values by member and bucket: vals[i][b] is the
// median of member i's points in bucket b, NaN where it has none.
type grid struct {
	vals     [][]float64
	med      []float64 // per bucket median across members, NaN when not compared
	spread   []float64 // per bucket scaled MAD across members
	compared int       // buckets with at least MinMembers values
}

func newGrid(members []Member, width time.Duration) grid {
	w := int64(width)
	index := make(map[int64]int)
	var keys []int64
	for _, m := range members {
		for _, p := range m.Points {
			if !finite(p.V) {
				continue
			}
			k := floorDiv(p.T.UnixNano(), w)
			if _, ok := index[k]; !ok {
				index[k] = 0
				keys = append(keys, k)
			}
		}
	}
	slices.Sort(keys)
	for i, k := range keys {
		index[k] = i
	}
	nb := len(keys)
	g := grid{vals: make([][]float64, len(members)), med: make([]float64, nb), spread: make([]float64, nb)}
	var bucket [][]float64 // scratch: one member's points per bucket
	for i, m := range members {
		row := make([]float64, nb)
		if cap(bucket) < nb {
			bucket = make([][]float64, nb)
		}
		bucket = bucket[:nb]
		for b := range bucket {
			bucket[b] = bucket[b][:0]
		}
		for _, p := range m.Points {
			if finite(p.V) {
				b := index[floorDiv(p.T.UnixNano(), w)]
				bucket[b] = append(bucket[b], p.V)
			}
		}
		for b := range row {
			row[b] = median(bucket[b])
		}
		g.vals[i] = row
	}
	col := make([]float64, 0, len(members))
	scratch := make([]float64, len(members))
	for b := range nb {
		col = col[:0]
		for i := range members {
			if v := g.vals[i][b]; !math.IsNaN(v) {
				col = append(col, v)
			}
		}
		if len(col) < MinMembers {
			g.med[b] = math.NaN()
			continue
		}
		g.med[b], g.spread[b] = center(col, scratch)
		g.compared++
	}
	return g
}

func floorDiv(a, b int64) int64 {
	q := a / b
	if a%b != 0 && (a < 0) != (b < 0) {
		q--
	}
	return q
}

// Outliers compares the members of a peer group with one another over the
// same time buckets and returns those that left the others, most distant
// first. Members that share no compared bucket with the others are not
// judged. It returns ErrTooFew (wrapped) when fewer than MinMembers members
// have values in common buckets, and an EINVALID error for a bad config.
func Outliers(members []Member, cfg OutlierConfig) ([]Outlier, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	cfg = cfg.withDefaults()
	seen := make(map[string]bool, len(members))
	for _, m := range members {
		if seen[m.Name] {
			return nil, safetynet.Errorf(safetynet.EINVALID, "outliers: member %q appears twice", m.Name)
		}
		seen[m.Name] = true
	}
	if len(members) < MinMembers {
		return nil, fmt.Errorf("%w: %d members, need %d", ErrTooFew, len(members), MinMembers)
	}
	g := newGrid(members, cfg.Bucket)
	if g.compared == 0 {
		return nil, fmt.Errorf("%w: no time bucket holds values of %d members", ErrTooFew, MinMembers)
	}
	judged := 0
	for i := range members {
		if g.count(i) > 0 {
			judged++
		}
	}
	if judged < MinMembers {
		return nil, fmt.Errorf("%w: %d members with values in common buckets, need %d", ErrTooFew, judged, MinMembers)
	}

	// The typical level of the group, for the scaled variants' floor and
	// for a tiny floor that keeps the plain variants from dividing by zero.
	levels := make([]float64, 0, g.compared)
	for _, m := range g.med {
		if !math.IsNaN(m) {
			levels = append(levels, math.Abs(m))
		}
	}
	level := median(levels)
	floor := 1e-9*level + 1e-12
	if cfg.Algorithm == ScaledMAD || cfg.Algorithm == ScaledDBSCAN {
		floor = max(floor, scaledFloor*level)
	}

	var found []flagged
	switch cfg.Algorithm {
	case MAD, ScaledMAD:
		found = g.mad(cfg, floor)
	default:
		found = g.dbscan(cfg, floor)
	}
	out := make([]Outlier, 0, len(found))
	for _, f := range found {
		o := Outlier{Member: members[f.member].Name, Score: f.score, Share: f.share}
		o.Value, o.PeerMedian = g.levels(f.member)
		o.Summary = outlierSummary(o, cfg.Signal)
		out = append(out, o)
	}
	slices.SortStableFunc(out, func(a, b Outlier) int { return -cmpFloat(a.Score, b.Score) })
	return out, nil
}

func cmpFloat(a, b float64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// count returns how many compared buckets member i has values in.
func (g grid) count(i int) int {
	n := 0
	for b, v := range g.vals[i] {
		if !math.IsNaN(v) && !math.IsNaN(g.med[b]) {
			n++
		}
	}
	return n
}

// mad flags members more than Pct% of whose buckets lie beyond Tolerance
// spreads of the bucket's median.
func (g grid) mad(cfg OutlierConfig, floor float64) []flagged {
	// The MAD of ten values is itself noisy: now and then most members
	// happen to agree closely and an ordinary value looks far out. The
	// spread of all members' deviations over the whole window is a steadier
	// floor; a bucket where the members really do disagree more keeps its
	// own, larger spread.
	var resid []float64
	for _, row := range g.vals {
		for b, v := range row {
			if !math.IsNaN(v) && !math.IsNaN(g.med[b]) {
				resid = append(resid, v-g.med[b])
			}
		}
	}
	_, pooled := center(resid, make([]float64, len(resid)))
	floor = max(floor, pooled)

	var out []flagged
	var ratios []float64
	for i, row := range g.vals {
		ratios = ratios[:0]
		outlying := 0
		for b, v := range row {
			if math.IsNaN(v) || math.IsNaN(g.med[b]) {
				continue
			}
			r := math.Abs(v-g.med[b]) / (cfg.Tolerance * max(g.spread[b], floor))
			if r > 1 {
				outlying++
			}
			ratios = append(ratios, r)
		}
		if len(ratios) == 0 {
			continue
		}
		share := float64(outlying) / float64(len(ratios))
		if outlying > 0 && share*100 > cfg.Pct {
			out = append(out, flagged{i, median(ratios), share})
		}
	}
	return out
}

// dbscan treats each member as a point whose coordinates are its bucket
// values, links members closer than the radius, and flags every member
// outside the largest linked cluster.
func (g grid) dbscan(cfg OutlierConfig, floor float64) []flagged {
	n := len(g.vals)
	d := float64(g.compared)
	// Distance of each member to the median series, scaled up to all
	// compared buckets so a member missing some is not favoured.
	dist := make([]float64, n)
	var present []int
	for i, row := range g.vals {
		sum, k := 0.0, 0
		for b, v := range row {
			if math.IsNaN(v) || math.IsNaN(g.med[b]) {
				continue
			}
			sum += (v - g.med[b]) * (v - g.med[b])
			k++
		}
		if k == 0 {
			dist[i] = math.NaN()
			continue
		}
		dist[i] = math.Sqrt(sum * d / float64(k))
		present = append(present, i)
	}
	ds := make([]float64, 0, len(present))
	for _, i := range present {
		ds = append(ds, dist[i])
	}
	radius := dbscanNorm * max(median(ds), floor*math.Sqrt(d))
	eps := cfg.Tolerance * radius

	// Link members within eps of each other (single linkage; a union-find
	// over the pairs).
	parent := make([]int, n)
	for i := range parent {
		parent[i] = i
	}
	find := func(i int) int {
		for parent[i] != i {
			parent[i] = parent[parent[i]]
			i = parent[i]
		}
		return i
	}
	for a, i := range present {
		for _, j := range present[a+1:] {
			if pairDistance(g, i, j, d) <= eps {
				parent[find(i)] = find(j)
			}
		}
	}
	size := make(map[int]int)
	closest := make(map[int]float64)
	for _, i := range present {
		r := find(i)
		size[r]++
		if c, ok := closest[r]; !ok || dist[i] < c {
			closest[r] = dist[i]
		}
	}
	best := -1
	for _, i := range present {
		r := find(i)
		if best < 0 || size[r] > size[best] || size[r] == size[best] && closest[r] < closest[best] {
			best = r
		}
	}
	var out []flagged
	perBucket := eps / math.Sqrt(d)
	for _, i := range present {
		if find(i) == best {
			continue
		}
		strayed, k := 0, 0
		for b, v := range g.vals[i] {
			if math.IsNaN(v) || math.IsNaN(g.med[b]) {
				continue
			}
			k++
			if math.Abs(v-g.med[b]) > perBucket {
				strayed++
			}
		}
		out = append(out, flagged{i, dist[i] / eps, float64(strayed) / float64(k)})
	}
	return out
}

// pairDistance is the distance between two members over the compared
// buckets both have, scaled up to all compared buckets; +Inf when they
// share none.
func pairDistance(g grid, i, j int, d float64) float64 {
	sum, k := 0.0, 0
	for b, v := range g.vals[i] {
		w := g.vals[j][b]
		if math.IsNaN(v) || math.IsNaN(w) || math.IsNaN(g.med[b]) {
			continue
		}
		sum += (v - w) * (v - w)
		k++
	}
	if k == 0 {
		return math.Inf(1)
	}
	return math.Sqrt(sum * d / float64(k))
}

// levels returns member i's median over its compared buckets and the median
// of the other members' per-bucket medians over the same buckets.
func (g grid) levels(i int) (value, peers float64) {
	var own, others, col []float64
	for b, v := range g.vals[i] {
		if math.IsNaN(v) || math.IsNaN(g.med[b]) {
			continue
		}
		own = append(own, v)
		col = col[:0]
		for j := range g.vals {
			if w := g.vals[j][b]; j != i && !math.IsNaN(w) {
				col = append(col, w)
			}
		}
		others = append(others, median(col))
	}
	return median(own), median(others)
}

func outlierSummary(o Outlier, signal string) string {
	v, p := o.Value, o.PeerMedian
	name := o.Member
	switch signal {
	case SignalFailureRate:
		switch {
		case v > p && p <= 0:
			return fmt.Sprintf("%s fails %s of checks while its peers do not fail", name, percent(v))
		case v > p:
			return fmt.Sprintf("%s fails %s as often as its peers (%s of checks vs %s)", name, times(v/p), percent(v), percent(p))
		default:
			return fmt.Sprintf("%s fails less often than its peers (%s of checks vs %s)", name, percent(v), percent(p))
		}
	case SignalLatency:
		both := fmt.Sprintf("(median %s vs %s)", millis(v), millis(p))
		switch {
		case p > 0 && v > 0 && v/p >= 1.1:
			return fmt.Sprintf("%s is %s slower than its peers %s", name, times(v/p), both)
		case p > 0 && v > 0 && p/v >= 1.1:
			return fmt.Sprintf("%s is %s faster than its peers %s", name, times(p/v), both)
		default:
			return fmt.Sprintf("%s is out of step with its peers %s", name, both)
		}
	}
	both := fmt.Sprintf("(median %s vs %s)", number(v), number(p))
	switch {
	case p > 0 && v > 0 && v/p >= 1.1:
		return fmt.Sprintf("%s is %s higher than its peers %s", name, times(v/p), both)
	case p > 0 && v >= 0 && v/p <= 1/1.1:
		return fmt.Sprintf("%s is at %s of its peers' level %s", name, percent(v/p), both)
	default:
		return fmt.Sprintf("%s is out of step with its peers %s", name, both)
	}
}

// flagged is a member an algorithm flagged, before it is described.
type flagged struct {
	member       int
	score, share float64
}
