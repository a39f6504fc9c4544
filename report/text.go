package report

import (
	"bufio"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/safetynet-dev/safetynet/scan"
)

// ANSI SGR sequences. Only these few, so the output stays readable on any
// terminal that honours basic colour.
const (
	ansiReset  = "\x1b[0m"
	ansiBold   = "\x1b[1m"
	ansiDim    = "\x1b[2m"
	ansiRed    = "\x1b[31m"
	ansiYellow = "\x1b[33m"
	ansiCyan   = "\x1b[36m"
)

type painter bool

func (p painter) paint(code, s string) string {
	if !p || s == "" {
		return s
	}
	return code + s + ansiReset
}

// severity colours text by how severe s is.
func (p painter) severity(s scan.Severity, text string) string {
	switch s {
	case scan.Failure:
		return p.paint(ansiBold+ansiRed, text)
	case scan.Warning:
		return p.paint(ansiYellow, text)
	case scan.Info:
		return p.paint(ansiCyan, text)
	}
	return text
}

// writeText writes the human report: findings grouped by file and sorted by
// position, each with its fix hint, then file errors and a summary line.
func writeText(w io.Writer, res *scan.Result, opts Options) error {
	bw := bufio.NewWriter(w)
	p := painter(opts.Color)

	findings := sortedFindings(res.Findings, byPosition)
	for start := 0; start < len(findings); {
		end := start + 1
		for end < len(findings) && findings[end].File == findings[start].File {
			end++
		}
		writeTextFile(bw, p, findings[start:end])
		bw.WriteString("\n")
		start = end
	}

	if len(res.Errors) > 0 {
		bw.WriteString(p.paint(ansiBold, "errors:") + "\n")
		for _, e := range sortedErrors(res.Errors) {
			fmt.Fprintf(bw, "  %s  %s\n", p.paint(ansiBold, errorPos(e)), e.Message)
		}
		bw.WriteString("\n")
	}

	bw.WriteString(textSummary(p, res) + "\n")
	return bw.Flush()
}

// writeTextFile writes one file's findings with their columns aligned, so
// a long list can be scanned by eye.
func writeTextFile(w *bufio.Writer, p painter, fs []scan.Finding) {
	posWidth, ruleWidth := 0, 0
	for _, f := range fs {
		posWidth = max(posWidth, len(findingPos(f)))
		ruleWidth = max(ruleWidth, len(f.Rule))
	}
	sevWidth := len("failure")
	// The hint starts under the severity column, where the eye already is.
	hintIndent := strings.Repeat(" ", 2+posWidth+2)

	w.WriteString(p.paint(ansiBold, fs[0].File) + "\n")
	for _, f := range fs {
		sev := f.Severity.String()
		fmt.Fprintf(w, "  %-*s  %s%s  %-*s  %s",
			posWidth, findingPos(f),
			p.severity(f.Severity, sev), strings.Repeat(" ", max(0, sevWidth-len(sev))),
			ruleWidth, f.Rule,
			oneLine(f.Message))
		if where := findingWhere(f); where != "" {
			w.WriteString("  " + p.paint(ansiDim, "("+where+")"))
		}
		w.WriteString("\n")
		if f.Fix != "" {
			w.WriteString(hintIndent + p.paint(ansiDim, "fix: "+oneLine(f.Fix)) + "\n")
		}
	}
}

// findingPos is "line:col", or "-" for a finding about the whole file.
func findingPos(f scan.Finding) string {
	switch {
	case f.Line <= 0:
		return "-"
	case f.Column <= 0:
		return strconv.Itoa(f.Line)
	}
	return strconv.Itoa(f.Line) + ":" + strconv.Itoa(f.Column)
}

// findingWhere names the property at fault, or the resource when the rule
// gave no path.
func findingWhere(f scan.Finding) string {
	if f.Path != "" {
		return f.Path
	}
	if f.Resource != "" {
		return "Resources." + f.Resource
	}
	return ""
}

func errorPos(e scan.FileError) string {
	s := e.File
	if e.Line > 0 {
		s += ":" + strconv.Itoa(e.Line)
		if e.Column > 0 {
			s += ":" + strconv.Itoa(e.Column)
		}
	}
	return s
}

// oneLine keeps one finding on one line: messages quoting template values
// can hold newlines.
func oneLine(s string) string {
	return strings.Join(strings.Fields(s), " ")
}

func textSummary(p painter, res *scan.Result) string {
	s := res.Summary
	var b strings.Builder
	fmt.Fprintf(&b, "Scanned %s", plural(s.Files, "file"))
	if s.Skipped > 0 {
		fmt.Fprintf(&b, " (%d skipped)", s.Skipped)
	}
	fmt.Fprintf(&b, " in %s: ", duration(s))

	n := countBySeverity(res.Findings)
	if len(res.Findings) == 0 {
		b.WriteString("no findings")
	} else {
		parts := make([]string, 0, len(severities))
		for _, sev := range severities {
			part := plural(n[sev], sev.String())
			if sev == scan.Info {
				part = fmt.Sprintf("%d info", n[sev])
			}
			if n[sev] > 0 {
				part = p.severity(sev, part)
			}
			parts = append(parts, part)
		}
		b.WriteString(strings.Join(parts, ", "))
	}

	var extra []string
	if s.Suppressed > 0 {
		extra = append(extra, fmt.Sprintf("%d suppressed", s.Suppressed))
	}
	if s.Baselined > 0 {
		extra = append(extra, fmt.Sprintf("%d baselined", s.Baselined))
	}
	if len(res.Errors) > 0 {
		extra = append(extra, p.paint(ansiBold+ansiRed, plural(len(res.Errors), "error")))
	}
	if len(extra) > 0 {
		b.WriteString("; " + strings.Join(extra, ", "))
	}
	b.WriteString(".")
	return b.String()
}
