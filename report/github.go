package report

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"

	"github.com/safetynet-dev/safetynet/scan"
)

// defaultMaxAnnotations is how many annotations of each level GitHub shows
// for one step; it drops the rest without saying which.
const defaultMaxAnnotations = 10

// maxSummaryRows keeps the job summary readable and well under GitHub's
// 1 MiB limit for a step summary.
const maxSummaryRows = 100

// writeGitHub writes GitHub Actions workflow commands: an annotation for
// each of the most severe problems, up to the per-level limit, then every
// remaining finding as a plain log line so nothing is lost, then a summary.
// When opts.StepSummary is set it also appends a Markdown job summary.
func writeGitHub(w io.Writer, res *scan.Result, opts Options) error {
	limit := opts.MaxAnnotations
	if limit <= 0 {
		limit = defaultMaxAnnotations
	}
	bw := bufio.NewWriter(w)
	shown := map[string]int{}
	var restErrs []scan.FileError
	var rest []scan.Finding

	// Unreadable templates come first: a scan that missed a file matters
	// more than any one finding in the files it did read.
	for _, e := range sortedErrors(res.Errors) {
		if shown["error"] >= limit {
			restErrs = append(restErrs, e)
			continue
		}
		shown["error"]++
		props := ghProps(ghFile(opts, e.File), e.Line, e.Column, 0, 0, "safetynet: cannot scan")
		fmt.Fprintf(bw, "::error %s::%s\n", props, ghEscapeData(e.Message))
	}
	for _, f := range sortedFindings(res.Findings, bySeverity) {
		level := ghLevel(f.Severity)
		if shown[level] >= limit {
			rest = append(rest, f)
			continue
		}
		shown[level]++
		msg := f.Message
		if where := findingWhere(f); where != "" {
			msg += "\nat " + where
		}
		if f.Fix != "" {
			msg += "\nfix: " + f.Fix
		}
		props := ghProps(ghFile(opts, f.File), f.Line, f.Column, f.EndLine, f.EndColumn, f.Rule)
		fmt.Fprintf(bw, "::%s %s::%s\n", level, props, ghEscapeData(msg))
	}

	if n := len(rest) + len(restErrs); n > 0 {
		fmt.Fprintf(bw, "safetynet: %s not annotated (GitHub shows %d per level per step):\n", plural(n, "more problem"), limit)
		for _, e := range restErrs {
			fmt.Fprintf(bw, "  %s: error: %s\n", errorPos(e), oneLine(e.Message))
		}
		for _, f := range rest {
			fmt.Fprintf(bw, "  %s:%s: %s %s: %s\n", f.File, findingPos(f), f.Severity, f.Rule, oneLine(f.Message))
		}
	}
	fmt.Fprintf(bw, "safetynet: %s\n", textSummary(false, res))
	if err := bw.Flush(); err != nil {
		return err
	}

	if opts.StepSummary != "" {
		return appendStepSummary(opts.StepSummary, res)
	}
	return nil
}

func ghLevel(s scan.Severity) string {
	switch s {
	case scan.Failure:
		return "error"
	case scan.Warning:
		return "warning"
	}
	return "notice"
}

// ghProps builds the annotation properties, leaving out positions the
// finding does not have: GitHub rejects line=0.
func ghProps(file string, line, col, endLine, endCol int, title string) string {
	var parts []string
	add := func(k, v string) { parts = append(parts, k+"="+ghEscapeProperty(v)) }
	if file != "" {
		add("file", file)
	}
	if line > 0 {
		add("line", strconv.Itoa(line))
		if col > 0 {
			add("col", strconv.Itoa(col))
		}
		if endLine >= line {
			add("endLine", strconv.Itoa(endLine))
			if endCol > 0 {
				add("endColumn", strconv.Itoa(endCol))
			}
		}
	}
	if title != "" {
		add("title", title)
	}
	return strings.Join(parts, ",")
}

// ghFile names the file from the repository root with forward slashes, as
// GitHub matches annotations against the repository on every runner OS.
func ghFile(opts Options, file string) string {
	if file == "" {
		return ""
	}
	rel, _ := opts.repoPath(file)
	return rel
}

// ghEscapeData escapes a command's message as the runner decodes it
// (actions/toolkit escapeData): '%' first, so the escapes survive.
func ghEscapeData(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A").Replace(s)
}

// ghEscapeProperty also escapes ':' and ',', which separate properties and
// end the property list (actions/toolkit escapeProperty).
func ghEscapeProperty(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A", ":", "%3A", ",", "%2C").Replace(s)
}

func appendStepSummary(path string, res *scan.Result) (err error) {
	f, err := os.OpenFile(path, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o644)
	if err != nil {
		return fmt.Errorf("step summary: %w", err)
	}
	defer func() { err = errors.Join(err, f.Close()) }()
	return writeStepSummary(f, res)
}

// writeStepSummary writes the Markdown job summary: counts by severity,
// then the findings most severe first, then errors.
func writeStepSummary(w io.Writer, res *scan.Result) error {
	bw := bufio.NewWriter(w)
	bw.WriteString("### safetynet\n\n")
	bw.WriteString(mdEscape(textSummary(false, res)) + "\n\n")

	n := countBySeverity(res.Findings)
	bw.WriteString("| Severity | Findings |\n| --- | ---: |\n")
	for _, sev := range severities {
		fmt.Fprintf(bw, "| %s | %d |\n", sev, n[sev])
	}
	bw.WriteString("\n")

	if len(res.Findings) > 0 {
		bw.WriteString("| Severity | Rule | File | Line | Message |\n| --- | --- | --- | ---: | --- |\n")
		fs := sortedFindings(res.Findings, bySeverity)
		for i, f := range fs {
			if i == maxSummaryRows {
				fmt.Fprintf(bw, "\n_%d more findings are in the full report._\n", len(fs)-i)
				break
			}
			line := ""
			if f.Line > 0 {
				line = strconv.Itoa(f.Line)
			}
			fmt.Fprintf(bw, "| %s | %s | %s | %s | %s |\n",
				f.Severity, mdEscape(f.Rule), mdEscape(f.File), line, mdEscape(f.Message))
		}
		bw.WriteString("\n")
	}

	if len(res.Errors) > 0 {
		bw.WriteString("**Errors**\n\n")
		for _, e := range sortedErrors(res.Errors) {
			fmt.Fprintf(bw, "- %s: %s\n", mdEscape(errorPos(e)), mdEscape(e.Message))
		}
		bw.WriteString("\n")
	}
	return bw.Flush()
}

// mdEscape keeps template text from breaking the table or being read as
// Markdown or HTML: messages quote property values verbatim.
func mdEscape(s string) string {
	return strings.NewReplacer(
		"\\", "\\\\", "|", "\\|", "*", "\\*", "_", "\\_", "`", "\\`",
		"[", "\\[", "]", "\\]", "<", "&lt;", ">", "&gt;",
	).Replace(oneLine(s))
}
