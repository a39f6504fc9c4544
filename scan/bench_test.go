package scan_test

import (
	"context"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/safetynet-dev/safetynet/internal/gentemplate"
	"github.com/safetynet-dev/safetynet/scan"
	"github.com/safetynet-dev/safetynet/scan/rules"
)

// corpusDir is the shared real-world corpus; benchmarks skip without it.
var corpusDir = filepath.Join("..", "..", "shared", "corpus", "cfn")

func corpusTargets(b *testing.B) ([]scan.Target, int64) {
	b.Helper()
	if _, err := os.Stat(corpusDir); err != nil {
		b.Skipf("corpus not found at %s: %v", corpusDir, err)
	}
	// Read everything into memory first so the benchmark measures scanning,
	// not the disk.
	mem := fstest.MapFS{}
	fsys := os.DirFS(corpusDir)
	files, err := scan.Discover(fsys, ".", nil)
	if err != nil {
		b.Fatal(err)
	}
	var size int64
	var targets []scan.Target
	for _, f := range files {
		data, err := fs.ReadFile(fsys, f)
		if err != nil {
			b.Fatal(err)
		}
		size += int64(len(data))
		mem[f] = &fstest.MapFile{Data: data}
		targets = append(targets, scan.Target{FS: mem, Path: f})
	}
	return targets, size
}

func allRules() []*scan.Rule { return append(rules.All(), scan.EngineRules...) }

// BenchmarkScanCorpus scans the whole corpus with every rule, on all cores.
func BenchmarkScanCorpus(b *testing.B) {
	targets, size := corpusTargets(b)
	opts := scan.Options{Rules: allRules()}
	b.SetBytes(size)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		res, err := scan.Run(context.Background(), targets, opts)
		if err != nil {
			b.Fatal(err)
		}
		if res.Summary.Files < 2000 {
			b.Fatalf("only %d templates scanned", res.Summary.Files)
		}
	}
	b.ReportMetric(float64(len(targets))*float64(b.N)/b.Elapsed().Seconds(), "templates/s")
}

// BenchmarkLoadCorpus is the same walk with no rules: scan time over load
// time is the cost of the rules.
func BenchmarkLoadCorpus(b *testing.B) {
	targets, size := corpusTargets(b)
	opts := scan.Options{Rules: []*scan.Rule{}}
	b.SetBytes(size)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := scan.Run(context.Background(), targets, opts); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(len(targets))*float64(b.N)/b.Elapsed().Seconds(), "templates/s")
}

// BenchmarkScanGenerated measures one large template end to end; memory per
// operation should grow linearly with the resource count.
func BenchmarkScanGenerated(b *testing.B) {
	for _, n := range []int{1, 500, 5000} {
		data := gentemplate.Generate(n)
		mem := fstest.MapFS{"t.yaml": {Data: data}}
		targets := []scan.Target{{FS: mem, Path: "t.yaml"}}
		opts := scan.Options{Rules: allRules()}
		b.Run(fmt.Sprintf("resources=%d", n), func(b *testing.B) {
			b.SetBytes(int64(len(data)))
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				res, err := scan.Run(context.Background(), targets, opts)
				if err != nil {
					b.Fatal(err)
				}
				if n > 1 && len(res.Findings) < n/2 {
					b.Fatalf("%d findings for %d resources", len(res.Findings), n)
				}
			}
		})
	}
}

// TestCorpusScan runs every rule over the real-world corpus: no rule may
// panic, and every file that cannot be read is reported with a location.
func TestCorpusScan(t *testing.T) {
	if testing.Short() {
		t.Skip("corpus scan skipped in -short mode")
	}
	if _, err := os.Stat(corpusDir); err != nil {
		t.Skipf("corpus not found at %s: %v", corpusDir, err)
	}
	fsys := os.DirFS(corpusDir)
	files, err := scan.Discover(fsys, ".", nil)
	if err != nil {
		t.Fatal(err)
	}
	var targets []scan.Target
	for _, f := range files {
		targets = append(targets, scan.Target{FS: fsys, Path: f})
	}
	res, err := scan.Run(context.Background(), targets, scan.Options{Rules: allRules()})
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range res.Errors {
		if strings.Contains(e.Message, "internal error") {
			t.Errorf("%s: %s", e.File, e.Message)
		}
		if e.Line == 0 {
			t.Errorf("%s: error without a line: %s", e.File, e.Message)
		}
	}
	if res.Summary.Files+res.Summary.Skipped != len(files) || res.Summary.Files < 2200 {
		t.Errorf("summary %+v for %d files", res.Summary, len(files))
	}
	t.Logf("%d templates, %d findings, %d errors (%d skipped)", res.Summary.Files, len(res.Findings), len(res.Errors), res.Summary.Skipped)
}
