package report

import (
	"cmp"
	"fmt"
	"io"
	"net/url"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/safetynet-dev/safetynet/scan"
)

// Options carry what a format needs beyond the scan result. The caller
// decides them from flags and the environment; formatters read no
// environment themselves, so output depends only on its inputs.
type Options struct {
	// Color turns on ANSI colour in the text format. The caller sets it from
	// whether stdout is a terminal and NO_COLOR.
	Color bool

	// RepoRoot is the directory that file names are made relative to for
	// SARIF and GitHub annotations, which both expect paths from the
	// repository root. Empty means file names are already relative to it.
	RepoRoot string
	// BaseURI is the absolute URI of the repository root, recorded in SARIF
	// as %SRCROOT% so a viewer can find the files. Empty means the file URI
	// of RepoRoot, or no base at all when RepoRoot is empty too.
	BaseURI string

	// ToolVersion is the version reported in SARIF.
	ToolVersion string
	// InformationURI is the tool's home page in SARIF; empty means the
	// project's repository.
	InformationURI string

	// Files lists every template scanned, so JUnit can show clean files as
	// passed cases; the result only names files with findings or errors.
	Files []string

	// MaxAnnotations caps GitHub annotations per level. GitHub shows at most
	// 10 of each level per step and drops the rest, so more would only hide
	// which ones are shown. Zero means 10.
	MaxAnnotations int
	// StepSummary is the file GitHub reads a Markdown job summary from
	// (the value of GITHUB_STEP_SUMMARY). When set, the github format appends
	// a summary there.
	StepSummary string
}

// DefaultInformationURI is the tool's home page in SARIF.
const DefaultInformationURI = "https://github.com/safetynet-dev/safetynet"

type formatter func(w io.Writer, res *scan.Result, opts Options) error

// formats is the one table of output formats.
var formats = map[string]formatter{
	"text":   writeText,
	"json":   writeJSON,
	"sarif":  writeSARIF,
	"junit":  writeJUnit,
	"github": writeGitHub,
}

// Formats returns the names Write accepts, sorted.
func Formats() []string {
	names := make([]string, 0, len(formats))
	for name := range formats {
		names = append(names, name)
	}
	slices.Sort(names)
	return names
}

// Write renders res to w in the named format. A nil result is written as an
// empty one.
func Write(w io.Writer, format string, res *scan.Result, opts Options) error {
	f, ok := formats[strings.ToLower(format)]
	if !ok {
		return fmt.Errorf("report: unknown format %q (want one of %s)", format, strings.Join(Formats(), ", "))
	}
	if res == nil {
		res = &scan.Result{}
	}
	if err := f(w, res, opts); err != nil {
		return fmt.Errorf("report: write %s: %w", format, err)
	}
	return nil
}

// severities lists the severities from most to least severe, the order
// every format presents them in.
var severities = []scan.Severity{scan.Failure, scan.Warning, scan.Info}

// countBySeverity counts findings from the list itself rather than trusting
// Summary.Findings, so counts and lists can never disagree in a report.
func countBySeverity(fs []scan.Finding) map[scan.Severity]int {
	n := make(map[scan.Severity]int, len(severities))
	for _, f := range fs {
		n[f.Severity]++
	}
	return n
}

// duration is the scan time, rounded so reports do not show noise digits.
func duration(s scan.Summary) time.Duration {
	d := s.Duration
	if d == 0 {
		d = time.Duration(s.Seconds * float64(time.Second))
	}
	return d.Round(time.Millisecond)
}

// byPosition orders findings by file, then position, then rule, so every
// format is deterministic even if the caller's result is not sorted.
func byPosition(a, b scan.Finding) int {
	return cmp.Or(
		cmp.Compare(a.File, b.File),
		cmp.Compare(a.Line, b.Line),
		cmp.Compare(a.Column, b.Column),
		cmp.Compare(a.Rule, b.Rule),
		cmp.Compare(a.Path, b.Path),
	)
}

// bySeverity orders the most severe first, then by position.
func bySeverity(a, b scan.Finding) int {
	return cmp.Or(cmp.Compare(b.Severity, a.Severity), byPosition(a, b))
}

func sortedFindings(fs []scan.Finding, by func(a, b scan.Finding) int) []scan.Finding {
	out := slices.Clone(fs)
	slices.SortStableFunc(out, by)
	return out
}

func sortedErrors(es []scan.FileError) []scan.FileError {
	out := slices.Clone(es)
	slices.SortStableFunc(out, func(a, b scan.FileError) int {
		return cmp.Or(
			cmp.Compare(a.File, b.File),
			cmp.Compare(a.Line, b.Line),
			cmp.Compare(a.Column, b.Column),
			cmp.Compare(a.Message, b.Message),
		)
	})
	return out
}

// repoPath returns file relative to the repository root with forward
// slashes, and whether it lies inside the root. Relative names are taken to
// be relative to the working directory, as the scanner reports them.
func (o Options) repoPath(file string) (string, bool) {
	if o.RepoRoot == "" {
		if filepath.IsAbs(file) {
			return filepath.ToSlash(file), false
		}
		return path.Clean(filepath.ToSlash(file)), true
	}
	root, err := filepath.Abs(o.RepoRoot)
	if err != nil {
		return filepath.ToSlash(file), false
	}
	abs, err := filepath.Abs(file)
	if err != nil {
		return filepath.ToSlash(file), false
	}
	rel, err := filepath.Rel(root, abs)
	if err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
		return filepath.ToSlash(abs), false
	}
	return filepath.ToSlash(rel), true
}

// baseURI is the URI of the repository root with the trailing slash SARIF
// requires of a base, or "" when unknown.
func (o Options) baseURI() string {
	u := o.BaseURI
	if u == "" && o.RepoRoot != "" {
		root, err := filepath.Abs(o.RepoRoot)
		if err != nil {
			return ""
		}
		u = fileURI(root)
	}
	if u != "" && !strings.HasSuffix(u, "/") {
		u += "/"
	}
	return u
}

// fileURI turns an absolute path into a file: URI, escaping what a URI
// cannot hold (spaces, '#', '?', non-ASCII).
func fileURI(abs string) string {
	p := filepath.ToSlash(abs)
	if !strings.HasPrefix(p, "/") {
		p = "/" + p // Windows drive paths: file:///C:/...
	}
	return (&url.URL{Scheme: "file", Path: p}).String()
}

// relURI escapes a slash-separated relative path as a URI reference; a
// colon in the first segment gets a "./" prefix so it is not read as a
// scheme.
func relURI(rel string) string {
	return (&url.URL{Path: rel}).String()
}

// plural returns "n word" with an s when n is not one.
func plural(n int, word string) string {
	if n == 1 {
		return fmt.Sprintf("%d %s", n, word)
	}
	return fmt.Sprintf("%d %ss", n, word)
}
