package scan

import (
	"crypto/sha256"
	"encoding/hex"
	"time"
)

// Finding is one problem found by a rule, located in a file.
type Finding struct {
	Rule        string   `json:"rule"`
	Aliases     []string `json:"aliases"`
	Severity    Severity `json:"severity"`
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
	// Justification is the reason given by the suppression that silenced
	// the finding, for formats that report suppressed findings.
	Justification string `json:"-"`
	// Related are other resources whose suppressions apply (Diagnostic.Related).
	Related []string `json:"-"`
}

// Fingerprint identifies a finding across runs independently of line numbers,
// so a baseline survives edits elsewhere in the file.
func Fingerprint(rule, file, resource, path string) string {
	h := sha256.New()
	for _, s := range []string{rule, file, resource, path} {
		h.Write([]byte(s))
		h.Write([]byte{0})
	}
	return hex.EncodeToString(h.Sum(nil))[:32]
}

// FileError is an input that could not be read or parsed, or a problem in a
// template that is reported without stopping the scan.
type FileError struct {
	File    string `json:"file"`
	Line    int    `json:"line"`
	Column  int    `json:"column"`
	Message string `json:"message"`
}

// Summary counts what a scan did.
type Summary struct {
	Files      int            `json:"files_scanned"`
	Skipped    int            `json:"files_skipped"`
	Findings   map[string]int `json:"findings"` // by severity name
	Suppressed int            `json:"suppressed"`
	Baselined  int            `json:"baselined"`
	Errors     int            `json:"errors"`
	Duration   time.Duration  `json:"-"`
	Seconds    float64        `json:"duration_seconds"`
}

// Result is the outcome of a scan. Findings and Errors are sorted by file,
// then position, so output is deterministic.
type Result struct {
	Findings []Finding   `json:"findings"`
	Errors   []FileError `json:"errors"`
	Summary  Summary     `json:"summary"`
	// Suppressed holds findings silenced by a suppression, for formats (SARIF)
	// that report them as suppressed rather than dropping them.
	Suppressed []Finding `json:"-"`
	// Rules are the rules that ran, for formats that describe them.
	Rules []*Rule `json:"-"`
	// Files names every template scanned, clean or not, in order, for
	// formats (JUnit) that list passes too.
	Files []string `json:"-"`
}
