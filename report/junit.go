package report

import (
	"encoding/xml"
	"fmt"
	"io"
	"path"
	"slices"
	"strings"

	"github.com/safetynet-dev/safetynet/scan"
)

// maxJUnitCases is CodeBuild's cap on test cases in one report: past it,
// CodeBuild keeps the failed cases and truncates the rest, so a larger
// report would silently lose passed templates from its counts.
const maxJUnitCases = 500

type junitTestsuites struct {
	XMLName  xml.Name     `xml:"testsuites"`
	Name     string       `xml:"name,attr"`
	Tests    int          `xml:"tests,attr"`
	Failures int          `xml:"failures,attr"`
	Errors   int          `xml:"errors,attr"`
	Time     string       `xml:"time,attr"`
	Suites   []junitSuite `xml:"testsuite"`
}

type junitSuite struct {
	Name     string      `xml:"name,attr"`
	Tests    int         `xml:"tests,attr"`
	Failures int         `xml:"failures,attr"`
	Errors   int         `xml:"errors,attr"`
	Skipped  int         `xml:"skipped,attr"`
	Time     string      `xml:"time,attr"`
	Cases    []junitCase `xml:"testcase"`
}

type junitCase struct {
	Name      string        `xml:"name,attr"`
	Classname string        `xml:"classname,attr"`
	Time      string        `xml:"time,attr"`
	Failure   *junitProblem `xml:"failure,omitempty"`
	Error     *junitProblem `xml:"error,omitempty"`
}

type junitProblem struct {
	Message string `xml:"message,attr"`
	Type    string `xml:"type,attr"`
	// CDATA keeps the multi-line text readable in the raw file; chardata
	// would turn every newline into &#xA;.
	Text string `xml:",cdata"`
}

// writeJUnit writes one test case per template: passed when clean, one
// <failure> listing all its findings, or an <error> when it could not be
// read. A case holds a single failure because CodeBuild, like most JUnit
// readers, keeps one status and message per case; a second <failure> would
// be dropped. With more templates than CodeBuild's 500-case cap, cases
// stand for directories instead, as deep as the cap allows.
func writeJUnit(w io.Writer, res *scan.Result, opts Options) error {
	findings := map[string][]scan.Finding{}
	for _, f := range sortedFindings(res.Findings, bySeverity) {
		findings[f.File] = append(findings[f.File], f)
	}
	errs := map[string][]scan.FileError{}
	for _, e := range sortedErrors(res.Errors) {
		errs[e.File] = append(errs[e.File], e)
	}

	files := slices.Clone(opts.Files)
	for f := range findings {
		files = append(files, f)
	}
	for f := range errs {
		files = append(files, f)
	}
	slices.Sort(files)
	files = slices.Compact(files)

	groups := groupFiles(files, maxJUnitCases)
	secs := fmt.Sprintf("%.3f", duration(res.Summary).Seconds())
	suite := junitSuite{Name: "safetynet", Time: secs, Cases: make([]junitCase, 0, len(groups))}
	for _, g := range groups {
		c := junitCase{Name: g.name, Classname: path.Dir(g.name), Time: "0"}
		var fs []scan.Finding
		var es []scan.FileError
		for _, f := range g.files {
			fs = append(fs, findings[f]...)
			es = append(es, errs[f]...)
		}
		slices.SortStableFunc(fs, bySeverity)
		text := xmlSafe(junitText(es, fs))
		switch {
		case len(es) > 0:
			c.Error = &junitProblem{
				Message: xmlSafe(withMore(oneLine(es[0].Message), len(es)-1)),
				Type:    "error",
				Text:    text,
			}
			suite.Errors++
		case len(fs) > 0:
			c.Failure = &junitProblem{
				Message: xmlSafe(withMore(fs[0].Rule+": "+oneLine(fs[0].Message), len(fs)-1)),
				Type:    ruleIDs(fs),
				Text:    text,
			}
			suite.Failures++
		}
		suite.Cases = append(suite.Cases, c)
	}
	suite.Tests = len(suite.Cases)

	doc := junitTestsuites{
		Name:     "safetynet",
		Tests:    suite.Tests,
		Failures: suite.Failures,
		Errors:   suite.Errors,
		Time:     secs,
		Suites:   []junitSuite{suite},
	}
	if _, err := io.WriteString(w, xml.Header); err != nil {
		return err
	}
	enc := xml.NewEncoder(w)
	enc.Indent("", "  ")
	if err := enc.Encode(doc); err != nil {
		return err
	}
	_, err := io.WriteString(w, "\n")
	return err
}

type fileGroup struct {
	name  string // a file, or a directory standing for the files under it
	files []string
}

// groupFiles returns one group per file when they fit in limit, otherwise
// groups by directory prefix at the deepest level that fits. Depth 0 puts
// everything in one group, so the loop always ends.
func groupFiles(files []string, limit int) []fileGroup {
	if len(files) <= limit {
		out := make([]fileGroup, len(files))
		for i, f := range files {
			out[i] = fileGroup{name: f, files: []string{f}}
		}
		return out
	}
	depth := 0
	for _, f := range files {
		depth = max(depth, len(dirParts(f)))
	}
	for ; depth >= 0; depth-- {
		var out []fileGroup
		at := map[string]int{}
		for _, f := range files {
			key := dirKey(f, depth)
			i, ok := at[key]
			if !ok {
				i = len(out)
				at[key] = i
				out = append(out, fileGroup{name: key})
			}
			out[i].files = append(out[i].files, f)
		}
		if len(out) <= limit || depth == 0 {
			return out
		}
	}
	return nil // unreachable: depth 0 returns
}

func dirParts(file string) []string {
	dir := path.Dir(strings.ReplaceAll(file, "\\", "/"))
	if dir == "." || dir == "/" {
		return nil
	}
	return strings.Split(strings.TrimPrefix(dir, "/"), "/")
}

// dirKey is the directory holding file, cut to at most depth components
// and ending in a slash so a group never reads as a file; "./" is the root.
func dirKey(file string, depth int) string {
	parts := dirParts(file)
	if len(parts) > depth {
		parts = parts[:depth]
	}
	if len(parts) == 0 {
		return "./"
	}
	prefix := ""
	if strings.HasPrefix(strings.ReplaceAll(file, "\\", "/"), "/") {
		prefix = "/"
	}
	return prefix + strings.Join(parts, "/") + "/"
}

// junitText lists every problem of a case, one per line with its fix, so
// the CodeBuild detail pane is a complete report for that template.
func junitText(es []scan.FileError, fs []scan.Finding) string {
	var b strings.Builder
	for _, e := range es {
		fmt.Fprintf(&b, "%s: error: %s\n", errorPos(e), oneLine(e.Message))
	}
	for _, f := range fs {
		fmt.Fprintf(&b, "%s:%s: %s %s: %s\n", f.File, findingPos(f), f.Severity, f.Rule, oneLine(f.Message))
		if where := findingWhere(f); where != "" {
			fmt.Fprintf(&b, "  at %s\n", where)
		}
		if f.Fix != "" {
			fmt.Fprintf(&b, "  fix: %s\n", oneLine(f.Fix))
		}
	}
	return b.String()
}

func withMore(s string, more int) string {
	if more > 0 {
		return fmt.Sprintf("%s (and %d more)", s, more)
	}
	return s
}

// ruleIDs lists the distinct rules of fs, most severe first.
func ruleIDs(fs []scan.Finding) string {
	var ids []string
	for _, f := range fs {
		if !slices.Contains(ids, f.Rule) {
			ids = append(ids, f.Rule)
		}
	}
	return strings.Join(ids, ",")
}

// xmlSafe replaces characters XML 1.0 cannot hold at all, even escaped;
// template text can carry them through YAML "\x01" escapes, and one would
// make CodeBuild reject the whole report.
func xmlSafe(s string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r == '\t' || r == '\n' || r == '\r',
			r >= 0x20 && r <= 0xD7FF,
			r >= 0xE000 && r <= 0xFFFD,
			r >= 0x10000 && r <= 0x10FFFF:
			return r
		}
		return '\uFFFD'
	}, s)
}
