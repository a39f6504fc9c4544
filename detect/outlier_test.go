package detect_test

import (
	"errors"
	"regexp"
	"testing"
	"time"

	"github.com/safetynet-dev/safetynet"
	"github.com/safetynet-dev/safetynet/detect"
	"github.com/safetynet-dev/safetynet/status"
)

var regions = []string{"us-east-1", "us-east-2", "us-west-1", "us-west-2", "eu-west-1", "eu-west-2", "eu-central-1", "ap-south-1", "ap-northeast-1", "sa-east-1"}

// group returns one member per name over 15 one-minute buckets with four
// probes a minute; value gives a member's value at a bucket, called once per
// probe so noise differs between probes.
func group(names []string, value func(member, bucket int) float64) []detect.Member {
	members := make([]detect.Member, len(names))
	for m, name := range names {
		members[m] = detect.Member{Name: name, Points: series(day0, 60, 15*time.Second, func(i int, _ time.Time) float64 {
			return value(m, i/4)
		})}
	}
	return members
}

var algorithms = []string{detect.MAD, detect.DBSCAN, detect.ScaledMAD, detect.ScaledDBSCAN}

func names(out []detect.Outlier) []string {
	var n []string
	for _, o := range out {
		n = append(n, o.Member)
	}
	return n
}

func TestOutliersOneSlowMember(t *testing.T) {
	r := noise(1)
	members := group(regions, func(m, _ int) float64 {
		if regions[m] == "eu-west-1" {
			return gauss(r, 812, 40)
		}
		return gauss(r, 190, 10)
	})
	for _, alg := range algorithms {
		t.Run(alg, func(t *testing.T) {
			out, err := detect.Outliers(members, detect.OutlierConfig{Algorithm: alg, Pct: 20, Signal: detect.SignalLatency})
			if err != nil {
				t.Fatal(err)
			}
			if len(out) != 1 || out[0].Member != "eu-west-1" {
				t.Fatalf("outliers = %v, want [eu-west-1]", names(out))
			}
			o := out[0]
			if o.Score <= 1 || o.Share != 1 {
				t.Errorf("score %.2f share %.2f, want score > 1 and share 1", o.Score, o.Share)
			}
			want := regexp.MustCompile(`^eu-west-1 is 4\.\d× slower than its peers \(median 8\d\d ms vs 1[89]\d ms\)$`)
			if !want.MatchString(o.Summary) {
				t.Errorf("summary %q does not match %s", o.Summary, want)
			}
		})
	}
}

// A member only 30% slower than its peers (about six times their noise) is
// found by every algorithm: 30% is also past the scaled variants' floor of
// 3 × 5% of the level.
func TestOutliersModeratelySlow(t *testing.T) {
	r := noise(7)
	members := group(regions, func(m, _ int) float64 {
		if regions[m] == "us-west-2" {
			return gauss(r, 247, 10)
		}
		return gauss(r, 190, 10)
	})
	for _, alg := range algorithms {
		out, err := detect.Outliers(members, detect.OutlierConfig{Algorithm: alg, Pct: 20, Signal: detect.SignalLatency})
		if err != nil {
			t.Fatal(err)
		}
		if len(out) != 1 || out[0].Member != "us-west-2" {
			t.Errorf("%s: outliers = %v, want [us-west-2]", alg, names(out))
		}
	}
}

// Datadog's own example: members flush a buffer together once in the
// window, one of them three minutes late. Its level is the same as the
// others', only its timing differs: dbscan, which compares whole shapes,
// flags it; mad, which needs a member to be off in more than Pct% of the
// buckets, does not.
func TestOutliersLateMemberDbscanNotMad(t *testing.T) {
	r := noise(2)
	members := group(regions, func(m, b int) float64 {
		spike := 5
		if regions[m] == "ap-south-1" {
			spike = 8
		}
		if b == spike {
			return gauss(r, 200, 2)
		}
		return gauss(r, 100, 2)
	})
	out, err := detect.Outliers(members, detect.OutlierConfig{Algorithm: detect.DBSCAN})
	if err != nil {
		t.Fatal(err)
	}
	if len(out) != 1 || out[0].Member != "ap-south-1" {
		t.Fatalf("dbscan outliers = %v, want [ap-south-1]", names(out))
	}
	if want := regexp.MustCompile(`^ap-south-1 is out of step with its peers \(median (99\.\d|10\d) vs (99\.\d|10\d)\)$`); !want.MatchString(out[0].Summary) {
		t.Errorf("summary %q does not match %s", out[0].Summary, want)
	}
	out, err = detect.Outliers(members, detect.OutlierConfig{Algorithm: detect.MAD, Pct: 20})
	if err != nil {
		t.Fatal(err)
	}
	if len(out) != 0 {
		t.Fatalf("mad outliers = %v, want none: the late member is off in 2 of 15 buckets", names(out))
	}
}

// Members that are alike but noisy must not be called outliers. Over 2,000
// groups of 10 Gaussian members (the noise 5% of the level) at most 0.25% of
// groups may have any outlier, for every algorithm at the default tolerance
// (measured: mad 1 in 2,000, the others none).
func TestOutliersNoiseRarelyFlags(t *testing.T) {
	const groups = 2000
	for _, alg := range algorithms {
		flagged := 0
		for seed := range uint64(groups) {
			r := noise(1000 + seed)
			members := group(regions, func(int, int) float64 { return gauss(r, 200, 10) })
			out, err := detect.Outliers(members, detect.OutlierConfig{Algorithm: alg, Pct: detect.DefaultPct})
			if err != nil {
				t.Fatal(err)
			}
			if len(out) > 0 {
				flagged++
			}
		}
		t.Logf("%s: %d of %d noise-only groups had an outlier", alg, flagged, groups)
		if float64(flagged)/groups > 0.0025 {
			t.Errorf("%s: %d of %d noise-only groups had an outlier, want at most 0.25%%", alg, flagged, groups)
		}
	}
}

// Large, tightly clustered values: a member 10 units off a level of 18,000
// is far out in MADs but not in any sense that matters. The plain
// algorithms flag it, the scaled ones do not; a member at 1.5× the level is
// flagged by all.
func TestOutliersScaled(t *testing.T) {
	for _, tc := range []struct {
		offset  float64
		plain   bool
		scaled  bool
		summary string
	}{
		{offset: 10, plain: true, scaled: false},
		{offset: 9000, plain: true, scaled: true, summary: `^sa-east-1 is 1\.5× higher than its peers \(median 27,0\d\d vs 18,000\)$`},
	} {
		r := noise(3)
		members := group(regions, func(m, _ int) float64 {
			if regions[m] == "sa-east-1" {
				return gauss(r, 18000+tc.offset, 1)
			}
			return gauss(r, 18000, 1)
		})
		for _, alg := range algorithms {
			out, err := detect.Outliers(members, detect.OutlierConfig{Algorithm: alg, Pct: 20})
			if err != nil {
				t.Fatal(err)
			}
			want := tc.plain
			if alg == detect.ScaledMAD || alg == detect.ScaledDBSCAN {
				want = tc.scaled
			}
			if got := len(out) == 1 && out[0].Member == "sa-east-1"; got != want || len(out) > 1 {
				t.Errorf("offset %v, %s: outliers %v, want sa-east-1 flagged: %v", tc.offset, alg, names(out), want)
			}
			if want && tc.summary != "" && !regexp.MustCompile(tc.summary).MatchString(out[0].Summary) {
				t.Errorf("offset %v, %s: summary %q does not match %s", tc.offset, alg, out[0].Summary, tc.summary)
			}
		}
	}
}

// Members missing some buckets are compared only where they have values.
func TestOutliersMissingBuckets(t *testing.T) {
	r := noise(4)
	members := group(regions, func(m, _ int) float64 {
		if regions[m] == "eu-west-1" {
			return gauss(r, 800, 20)
		}
		return gauss(r, 190, 10)
	})
	// us-east-1 (normal) and eu-west-1 (slow) lost the first ten minutes.
	for _, m := range []int{0, 4} {
		members[m].Points = members[m].Points[40:]
	}
	// A member with no values at all is not judged.
	members = append(members, detect.Member{Name: "new-region"})
	for _, alg := range algorithms {
		out, err := detect.Outliers(members, detect.OutlierConfig{Algorithm: alg, Pct: 20})
		if err != nil {
			t.Fatal(err)
		}
		if len(out) != 1 || out[0].Member != "eu-west-1" {
			t.Errorf("%s: outliers = %v, want [eu-west-1]", alg, names(out))
		}
	}
}

func TestOutliersFailureRate(t *testing.T) {
	members := group(regions[:5], func(m, _ int) float64 {
		if m == 2 {
			return 0.3
		}
		return 0
	})
	for _, alg := range algorithms {
		out, err := detect.Outliers(members, detect.OutlierConfig{Algorithm: alg, Signal: detect.SignalFailureRate})
		if err != nil {
			t.Fatal(err)
		}
		if len(out) != 1 || out[0].Summary != "us-west-1 fails 30% of checks while its peers do not fail" {
			t.Errorf("%s: got %+v", alg, out)
		}
	}
}

func TestOutliersRefuses(t *testing.T) {
	three := group(regions[:3], func(int, int) float64 { return 1 })
	apart := group(regions[:3], func(int, int) float64 { return 1 })
	for i := range apart {
		for k := range apart[i].Points {
			apart[i].Points[k].T = apart[i].Points[k].T.Add(time.Duration(i) * time.Hour)
		}
	}
	dup := append(group(regions[:3], func(int, int) float64 { return 1 }), detect.Member{Name: regions[0]})
	for _, tc := range []struct {
		name    string
		members []detect.Member
		cfg     detect.OutlierConfig
		tooFew  bool
		code    string
	}{
		{"two members", three[:2], detect.OutlierConfig{}, true, ""},
		{"no shared buckets", apart, detect.OutlierConfig{}, true, ""},
		{"duplicate member", dup, detect.OutlierConfig{}, false, safetynet.EINVALID},
		{"unknown algorithm", three, detect.OutlierConfig{Algorithm: "kmeans"}, false, safetynet.EINVALID},
		{"negative tolerance", three, detect.OutlierConfig{Tolerance: -1}, false, safetynet.EINVALID},
		{"pct 100", three, detect.OutlierConfig{Pct: 100}, false, safetynet.EINVALID},
	} {
		_, err := detect.Outliers(tc.members, tc.cfg)
		if err == nil {
			t.Errorf("%s: no error", tc.name)
			continue
		}
		if got := errors.Is(err, detect.ErrTooFew); got != tc.tooFew {
			t.Errorf("%s: %v: ErrTooFew %v, want %v", tc.name, err, got, tc.tooFew)
		}
		if tc.code != "" && safetynet.ErrorCode(err) != tc.code {
			t.Errorf("%s: %v: code %s, want %s", tc.name, err, safetynet.ErrorCode(err), tc.code)
		}
	}
	if _, err := detect.Outliers(three, detect.OutlierConfig{}); err != nil {
		t.Errorf("three identical members: %v", err)
	}
}

func TestFromGroupDefaults(t *testing.T) {
	got := detect.FromGroup(status.OutlierGroup{ID: "api"})
	want := detect.OutlierConfig{Algorithm: detect.DBSCAN, Tolerance: 3, Pct: 20, Bucket: time.Minute, Signal: detect.SignalLatency}
	if got != want {
		t.Errorf("FromGroup = %+v, want %+v", got, want)
	}
	if err := got.Validate(); err != nil {
		t.Error(err)
	}
}

// Peers probed at different moments and rates are still compared minute by
// minute: one member probed every 15 s from :00, the others every 20 s or
// every minute at various offsets.
func TestOutliersBucketsAlignProbes(t *testing.T) {
	r := noise(8)
	var members []detect.Member
	for m, name := range regions[:6] {
		step := []time.Duration{15 * time.Second, 20 * time.Second, time.Minute}[m%3]
		offset := time.Duration(m*7) * time.Second
		n := int(15 * time.Minute / step)
		level := 190.0
		if name == "us-west-2" {
			level = 600
		}
		members = append(members, detect.Member{Name: name, Points: series(day0.Add(offset), n, step, func(int, time.Time) float64 {
			return gauss(r, level, 10)
		})})
	}
	for _, alg := range algorithms {
		out, err := detect.Outliers(members, detect.OutlierConfig{Algorithm: alg, Pct: 20})
		if err != nil {
			t.Fatal(err)
		}
		if len(out) != 1 || out[0].Member != "us-west-2" || out[0].Share < 0.9 {
			t.Errorf("%s: outliers %+v, want us-west-2 alone, off in nearly every bucket", alg, out)
		}
	}
}
