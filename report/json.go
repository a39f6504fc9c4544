package report

import (
	"encoding/json"
	"io"
	"math"

	"github.com/safetynet-dev/safetynet/scan"
)

// The JSON format is a contract with scripts: its own types, so a change to
// the scanner's structs cannot silently rename or drop a field here. Fields
// are only ever added.
type jsonReport struct {
	Findings []jsonFinding `json:"findings"`
	Errors   []jsonError   `json:"errors"`
	Summary  jsonSummary   `json:"summary"`
}

type jsonFinding struct {
	Rule        string   `json:"rule"`
	Aliases     []string `json:"aliases"`
	Severity    string   `json:"severity"`
	Message     string   `json:"message"`
	File        string   `json:"file"`
	Line        int      `json:"line"`
	Column      int      `json:"column"`
	EndLine     int      `json:"end_line"`
	EndColumn   int      `json:"end_column"`
	Resource    string   `json:"resource"`
	Path        string   `json:"path"`
	Fix         string   `json:"fix"`
	Fingerprint string   `json:"fingerprint"`
}

type jsonError struct {
	File    string `json:"file"`
	Line    int    `json:"line"`
	Column  int    `json:"column"`
	Message string `json:"message"`
}

type jsonSummary struct {
	FilesScanned int            `json:"files_scanned"`
	FilesSkipped int            `json:"files_skipped"`
	Findings     map[string]int `json:"findings"` // every severity, zero included
	Total        int            `json:"total"`
	Suppressed   int            `json:"suppressed"`
	Baselined    int            `json:"baselined"`
	Errors       int            `json:"errors"`
	Seconds      float64        `json:"duration_seconds"`
}

// writeJSON writes one indented object with a trailing newline. Lists are
// [] rather than null when empty, so consumers need no null checks.
func writeJSON(w io.Writer, res *scan.Result, _ Options) error {
	out := jsonReport{
		Findings: make([]jsonFinding, 0, len(res.Findings)),
		Errors:   make([]jsonError, 0, len(res.Errors)),
	}
	for _, f := range sortedFindings(res.Findings, byPosition) {
		aliases := f.Aliases
		if aliases == nil {
			aliases = []string{}
		}
		out.Findings = append(out.Findings, jsonFinding{
			Rule:        f.Rule,
			Aliases:     aliases,
			Severity:    f.Severity.String(),
			Message:     f.Message,
			File:        f.File,
			Line:        f.Line,
			Column:      f.Column,
			EndLine:     f.EndLine,
			EndColumn:   f.EndColumn,
			Resource:    f.Resource,
			Path:        f.Path,
			Fix:         f.Fix,
			Fingerprint: f.Fingerprint,
		})
	}
	for _, e := range sortedErrors(res.Errors) {
		out.Errors = append(out.Errors, jsonError(e))
	}

	n := countBySeverity(res.Findings)
	out.Summary = jsonSummary{
		FilesScanned: res.Summary.Files,
		FilesSkipped: res.Summary.Skipped,
		Findings:     make(map[string]int, len(severities)),
		Total:        len(res.Findings),
		Suppressed:   res.Summary.Suppressed,
		Baselined:    res.Summary.Baselined,
		Errors:       len(res.Errors),
		// Milliseconds are enough, and fewer digits keep diffs of saved
		// reports quiet.
		Seconds: math.Round(duration(res.Summary).Seconds()*1000) / 1000,
	}
	for _, sev := range severities {
		out.Summary.Findings[sev.String()] = n[sev]
	}

	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(out)
}
