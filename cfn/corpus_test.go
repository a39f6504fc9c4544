package cfn_test

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/safetynet-dev/safetynet/cfn"
)

// corpusDir holds the shared corpus of real templates, next to the repository.
var corpusDir = filepath.Join("..", "..", "shared", "corpus", "cfn")

type corpusFile struct {
	name string
	data []byte
}

// MustCorpus returns every template of the shared corpus, or skips the test
// when the corpus is not checked out next to the repository.
func MustCorpus(tb testing.TB) []corpusFile {
	tb.Helper()
	if _, err := os.Stat(corpusDir); err != nil {
		tb.Skipf("template corpus not found at %s (it lives outside the repository): %v", corpusDir, err)
	}
	var files []corpusFile
	err := filepath.WalkDir(corpusDir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		switch strings.ToLower(filepath.Ext(path)) {
		case ".yaml", ".yml", ".json", ".template":
		default:
			return nil
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		files = append(files, corpusFile{name: path, data: data})
		return nil
	})
	if err != nil {
		tb.Fatal(err)
	}
	if len(files) == 0 {
		tb.Skipf("template corpus at %s is empty", corpusDir)
	}
	return files
}

// TestCorpus loads every template of the corpus, which was selected as
// valid: all must load, and nothing may panic.
func TestCorpus(t *testing.T) {
	files := MustCorpus(t)
	var failed, problems, resources int
	for _, f := range files {
		tmpl, err := parseNoPanic(t, f.name, f.data)
		if err != nil {
			failed++
			var e *cfn.Error
			switch {
			case errors.As(err, &e) && e.Line > 0:
				t.Errorf("%v", err)
			case errors.As(err, &e):
				t.Errorf("%v (error has no line)", err)
			default:
				t.Errorf("%s: %v (not a *cfn.Error)", f.name, err)
			}
			continue
		}
		resources += len(tmpl.Resources)
		for _, p := range tmpl.Problems {
			problems++
			if p.Line <= 0 {
				t.Errorf("problem without a line: %v", p)
			}
		}
	}
	t.Logf("%d templates: %d loaded, %d failed; %d resources, %d problems", len(files), len(files)-failed, failed, resources, problems)
}

func parseNoPanic(t *testing.T, name string, data []byte) (tmpl *cfn.Template, err error) {
	defer func() {
		if r := recover(); r != nil {
			t.Errorf("%s: panic: %v", name, r)
			err = errors.New("panic")
		}
	}()
	return cfn.Parse(name, data)
}
