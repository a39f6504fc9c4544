package agent

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/safetynet-dev/safetynet/status"
)

func results(from, n int) []status.Result {
	t0 := time.Date(2026, 11, 26, 4, 0, 0, 0, time.UTC)
	out := make([]status.Result, n)
	for i := range out {
		out[i] = status.Result{CheckID: "edge", At: t0.Add(time.Duration(from+i) * time.Second), OK: true}
	}
	return out
}

func TestBufferKeepsOrderAcrossReopen(t *testing.T) {
	dir := t.TempDir()
	b, err := openBuffer(dir, 100)
	if err != nil {
		t.Fatal(err)
	}
	for i := range 3 {
		if err := b.add("eu-west", results(i*10, 10)); err != nil {
			t.Fatal(err)
		}
	}
	e, first, ok, err := b.oldest()
	if !ok || err != nil || first.Results[0].At.Second() != 0 || first.Location != "eu-west" || len(first.ID) != 32 {
		t.Fatalf("oldest = %+v %v %v", first, ok, err)
	}
	// The same batch, with the same id, until it is removed: a retry is
	// recognisable by the server.
	_, again, _, _ := b.oldest()
	if again.ID != first.ID {
		t.Errorf("retry id %s, want %s", again.ID, first.ID)
	}
	if err := b.remove(e); err != nil {
		t.Fatal(err)
	}
	// A crash mid-write leaves a temporary file, which is cleared.
	os.WriteFile(filepath.Join(dir, ".tmp-123"), []byte("{"), 0o600)

	b2, err := openBuffer(dir, 100)
	if err != nil {
		t.Fatal(err)
	}
	if n, r, _ := b2.size(); n != 2 || r != 20 {
		t.Fatalf("reopened buffer holds %d batches, %d results; want 2, 20", n, r)
	}
	var ats []time.Time
	for {
		e, batch, ok, err := b2.oldest()
		if err != nil || !ok {
			break
		}
		for _, r := range batch.Results {
			ats = append(ats, r.At)
		}
		b2.remove(e)
	}
	for i := 1; i < len(ats); i++ {
		if !ats[i].After(ats[i-1]) {
			t.Fatalf("results out of order at %d: %v", i, ats)
		}
	}
	if len(ats) != 20 || ats[0].Second() != 10 {
		t.Errorf("replayed %d results from %v", len(ats), ats[0])
	}
	if _, err := os.Stat(filepath.Join(dir, ".tmp-123")); !os.IsNotExist(err) {
		t.Error("temporary file left behind")
	}
}

func TestBufferIsBounded(t *testing.T) {
	dir := t.TempDir()
	b, _ := openBuffer(dir, 25)
	for i := range 5 {
		if err := b.add("eu-west", results(i*10, 10)); err != nil {
			t.Fatal(err)
		}
	}
	n, r, dropped := b.size()
	if n != 2 || r != 20 || dropped != 30 {
		t.Fatalf("buffer holds %d batches, %d results, dropped %d; want the newest 2 batches", n, r, dropped)
	}
	_, batch, _, _ := b.oldest()
	if batch.Results[0].At.Second() != 30 {
		t.Errorf("oldest kept starts at second %d, want 30", batch.Results[0].At.Second())
	}
	files, _ := os.ReadDir(dir)
	if len(files) != 2 {
		t.Errorf("%d files on disk, want 2", len(files))
	}
}
