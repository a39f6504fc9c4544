package codepipeline

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/safetynet-dev/safetynet/scan"
)

// CodePipeline's limits, from its API reference: FailureDetails.message
// holds at most 5,000 characters and ExecutionDetails.summary 2,048. Both
// are counted here in bytes, which is never fewer than characters in any
// counting, so a message that fits here fits there.
const (
	maxFailureMessage = 5000
	maxSuccessSummary = 2048
	// maxLine keeps one absurd finding message from using the whole budget.
	maxLine = 600
)

// counts is the result in numbers, for the headline and output variables.
type counts struct {
	files, skipped, suppressed int
	baselined                  int
	bySeverity                 map[scan.Severity]int
	failing, below             []scan.Finding // at or above fail_on, and under it
}

func countResult(res *scan.Result, failOn scan.Severity) counts {
	c := counts{files: res.Summary.Files, skipped: res.Summary.Skipped, suppressed: res.Summary.Suppressed, baselined: res.Summary.Baselined, bySeverity: map[scan.Severity]int{}}
	for _, f := range res.Findings {
		c.bySeverity[f.Severity]++
		if failOn > 0 && f.Severity >= failOn {
			c.failing = append(c.failing, f)
		} else {
			c.below = append(c.below, f)
		}
	}
	// Worst first, so that what a truncated message keeps is what matters;
	// the engine's file and line order is kept within a severity.
	for _, l := range [][]scan.Finding{c.failing, c.below} {
		sort.SliceStable(l, func(i, j int) bool { return l[i].Severity > l[j].Severity })
	}
	return c
}

// variables are the job's output variables, for later actions to read
// (#{Namespace.failures}).
func (c counts) variables() map[string]string {
	return map[string]string{
		"files_scanned": strconv.Itoa(c.files),
		"failures":      strconv.Itoa(c.bySeverity[scan.Failure]),
		"warnings":      strconv.Itoa(c.bySeverity[scan.Warning]),
		"infos":         strconv.Itoa(c.bySeverity[scan.Info]),
		"suppressed":    strconv.Itoa(c.suppressed),
	}
}

// severityCounts reads "2 failures, 1 warning" with the zero counts left out.
func (c counts) severityCounts() string {
	var parts []string
	for _, s := range []scan.Severity{scan.Failure, scan.Warning, scan.Info} {
		if n := c.bySeverity[s]; n > 0 {
			parts = append(parts, plural(n, s.String()))
		}
	}
	if len(parts) == 0 {
		return "no findings"
	}
	return strings.Join(parts, ", ")
}

func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	if strings.HasSuffix(noun, "info") {
		return strconv.Itoa(n) + " " + noun
	}
	return strconv.Itoa(n) + " " + noun + "s"
}

// failureMessage explains a failed scan: what failed it, then each error and
// finding on its own line with file:line, cut to CodePipeline's limit.
func failureMessage(res *scan.Result, c counts, failOn scan.Severity, where string) string {
	var why []string
	if n := len(res.Errors); n > 0 {
		why = append(why, plural(n, "file error"))
	}
	if n := len(c.failing); n > 0 {
		why = append(why, fmt.Sprintf("%s at or above %s", plural(n, "finding"), failOn))
	}
	head := fmt.Sprintf("safetynet: %s in %s from %s (%s in all%s).",
		strings.Join(why, " and "), plural(c.files, "template"), where, c.severityCounts(), suppressedNote(c))
	var items []item
	for _, e := range res.Errors {
		items = append(items, item{error: true, text: errorLine(e)})
	}
	for _, f := range c.failing {
		items = append(items, item{text: findingLine(f)})
	}
	return fit(head, items, maxFailureMessage)
}

// successSummary says what was scanned and lists the findings under the
// fail_on level, so that warnings are seen even when they do not fail.
func successSummary(c counts, failOn scan.Severity, where string) string {
	level := "fail_on " + failOn.String()
	if failOn == 0 {
		level = "fail_on none"
	}
	head := fmt.Sprintf("safetynet: %s from %s passed (%s): %s%s.",
		plural(c.files, "template"), where, level, c.severityCounts(), suppressedNote(c))
	if c.skipped > 0 {
		head += fmt.Sprintf(" %s matched but not CloudFormation, skipped.", plural(c.skipped, "file"))
	}
	items := make([]item, 0, len(c.below))
	for _, f := range c.below {
		items = append(items, item{text: findingLine(f)})
	}
	return fit(head, items, maxSuccessSummary)
}

func suppressedNote(c counts) string {
	var s string
	if c.suppressed > 0 {
		s += fmt.Sprintf("; %d suppressed with a reason", c.suppressed)
	}
	if c.baselined > 0 {
		s += fmt.Sprintf("; %d in the baseline", c.baselined)
	}
	return s
}

func findingLine(f scan.Finding) string {
	var b strings.Builder
	b.WriteString(location(f.File, f.Line, 0))
	b.WriteString(" ")
	b.WriteString(f.Rule)
	if len(f.Aliases) > 0 {
		b.WriteString(" (" + strings.Join(f.Aliases, ", ") + ")")
	}
	b.WriteString(" " + f.Severity.String())
	if f.Resource != "" {
		b.WriteString(" " + f.Resource)
	}
	b.WriteString(": " + oneLine(f.Message))
	return clip(b.String(), maxLine)
}

func errorLine(e scan.FileError) string {
	return clip("error "+location(e.File, e.Line, e.Column)+": "+oneLine(e.Message), maxLine)
}

func location(file string, line, col int) string {
	switch {
	case line > 0 && col > 0:
		return fmt.Sprintf("%s:%d:%d", file, line, col)
	case line > 0:
		return fmt.Sprintf("%s:%d", file, line)
	}
	return file
}

// oneLine folds a multi-line message so each finding stays one line.
func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

// clip cuts s to at most n bytes on a character boundary, marking the cut.
func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	const mark = "…"
	cut := n - len(mark)
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + mark
}

type item struct {
	error bool
	text  string
}

// fit writes the head and as many whole lines as fit in limit bytes, then
// says how many were left out ("… and 12 more findings").
func fit(head string, items []item, limit int) string {
	var b strings.Builder
	b.WriteString(clip(head, limit))
	var errs, finds int
	for _, it := range items {
		if it.error {
			errs++
		} else {
			finds++
		}
	}
	// Room for the longest trailer this list could need, so that adding
	// it never breaks the limit.
	reserve := len(trailer(errs, finds))
	for i, it := range items {
		need := 1 + len(it.text)
		if i < len(items)-1 {
			need += reserve
		}
		if b.Len()+need > limit {
			b.WriteString(trailer(errs, finds))
			break
		}
		b.WriteString("\n" + it.text)
		if it.error {
			errs--
		} else {
			finds--
		}
	}
	return b.String()
}

func trailer(errs, finds int) string {
	switch {
	case errs > 0 && finds > 0:
		return "\n… and " + plural(errs, "more error") + " and " + plural(finds, "more finding")
	case errs > 0:
		return "\n… and " + plural(errs, "more error")
	}
	return "\n… and " + plural(finds, "more finding")
}
