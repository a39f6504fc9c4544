package scan

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"runtime"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/safetynet-dev/safetynet/buildspec"
	"github.com/safetynet-dev/safetynet/cfn"
)

// Target is one file to scan: a path inside a file system and the name that
// findings show for it.
type Target struct {
	FS   fs.FS
	Path string // path inside FS
	Name string // as shown in reports; defaults to Path
	// Explicit is set for files named on the command line: they are read
	// whatever their extension, and a file that is not a template is still
	// only skipped.
	Explicit bool
}

func (t Target) name() string {
	if t.Name != "" {
		return t.Name
	}
	return t.Path
}

// Options control a scan.
type Options struct {
	// Rules to run; usually the result of Select.
	Rules []*Rule
	// AllRules are every known rule, so that a suppression of a rule that
	// is merely turned off is not reported as misspelled. Nil means Rules.
	AllRules []*Rule
	// Params returns the supplied parameter values for a template name, or
	// nil. Errors reading parameter files are reported against the template.
	Params func(name string) (map[string]string, error)
	// Stacks maps template names to the stack names they deploy as, for
	// cross-template rules. A template deployed twice (blue and green)
	// has two names and is seen by those rules as two stacks.
	Stacks map[string][]string
	// Suppressions are kept outside the templates (a suppression file).
	Suppressions []ExternalSuppression
	// SuppressionFile names the suppression file in findings about it.
	SuppressionFile string
	// Baseline holds fingerprints of accepted findings; they are not reported.
	Baseline map[string]bool
	// Workers is the number of files loaded at once; 0 means one per core.
	Workers int
	// Progress, when set, is called as files finish.
	Progress func(done, total int)
	// MaxFileSize refuses larger files before reading them; 0 means
	// DefaultMaxFileSize.
	MaxFileSize int64
	// Now is the clock, for tests; nil means time.Now.
	Now func() time.Time

	index *ruleIndex
}

// DefaultMaxFileSize is the largest template read. CloudFormation itself
// accepts at most 1 MB from S3, so anything this large is not a template.
const DefaultMaxFileSize = 16 << 20

// unit is the per-file state of a scan.
type unit struct {
	target   Target
	tmpl     *cfn.Template
	eval     *cfn.Evaluator
	skipped  bool // neither a template nor a buildspec
	failed   bool // could not be read or parsed
	errs     []FileError
	findings []Finding
	supp     *suppressions
}

// Run scans the targets and returns the result. One file that cannot be read
// or parsed is reported in Result.Errors and never hides the findings of the
// others. Run returns an error only when ctx is cancelled.
func Run(ctx context.Context, targets []Target, opts Options) (*Result, error) {
	now := opts.Now
	if now == nil {
		now = time.Now
	}
	start := now()
	workers := opts.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	opts.index = newRuleIndex(opts.Rules, opts.AllRules)
	units := make([]*unit, len(targets))
	var next, done atomic.Int64
	var wg sync.WaitGroup
	for w := 0; w < workers && w < len(targets); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for ctx.Err() == nil {
				i := int(next.Add(1) - 1)
				if i >= len(targets) {
					return
				}
				units[i] = scanOne(targets[i], &opts)
				if opts.Progress != nil {
					opts.Progress(int(done.Add(1)), len(targets))
				}
			}
		}()
	}
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return nil, err
	}

	runSetRules(units, &opts)

	res := &Result{Rules: opts.Rules, Findings: []Finding{}, Errors: []FileError{}}
	byName := map[string]*unit{}
	for _, u := range units {
		byName[u.target.name()] = u
	}
	ext := newExternal(opts.Suppressions)
	for _, u := range units {
		res.Errors = append(res.Errors, u.errs...)
		if u.skipped {
			res.Summary.Skipped++
		}
		if u.skipped || u.failed {
			continue
		}
		res.Summary.Files++
		res.Files = append(res.Files, u.target.name())
		for _, f := range u.findings {
			if reason, ok := u.supp.match(f); ok {
				f.Justification = reason
				res.Suppressed = append(res.Suppressed, f)
				continue
			}
			if reason, ok := ext.match(f); ok {
				f.Justification = reason
				res.Suppressed = append(res.Suppressed, f)
				continue
			}
			switch {
			case opts.Baseline[f.Fingerprint]:
				res.Summary.Baselined++
			default:
				res.Findings = append(res.Findings, f)
			}
		}
		if u.supp != nil {
			res.Findings = append(res.Findings, selectedOnly(u.supp.unused(), opts.index)...)
		}
	}
	res.Findings = append(res.Findings, selectedOnly(ext.unused(opts.SuppressionFile), opts.index)...)
	res.Summary.Suppressed = len(res.Suppressed)
	sortFindings(res.Findings)
	sortFindings(res.Suppressed)
	sort.SliceStable(res.Errors, func(i, j int) bool {
		a, b := res.Errors[i], res.Errors[j]
		if a.File != b.File {
			return a.File < b.File
		}
		if a.Line != b.Line {
			return a.Line < b.Line
		}
		return a.Column < b.Column
	})
	res.Summary.Findings = map[string]int{"failure": 0, "warning": 0, "info": 0}
	for _, f := range res.Findings {
		res.Summary.Findings[f.Severity.String()]++
	}
	res.Summary.Errors = len(res.Errors)
	res.Summary.Duration = now().Sub(start)
	res.Summary.Seconds = res.Summary.Duration.Seconds()
	return res, nil
}

// selectedOnly keeps the findings of the engine's own rules that the run
// selected: `--rules S3` must not report suppression problems.
func selectedOnly(fs []Finding, ix *ruleIndex) []Finding {
	out := fs[:0]
	for _, f := range fs {
		if ix.selectedIDs[f.Rule] {
			out = append(out, f)
		}
	}
	return out
}

func sortFindings(fs []Finding) {
	sort.SliceStable(fs, func(i, j int) bool {
		a, b := fs[i], fs[j]
		if a.File != b.File {
			return a.File < b.File
		}
		if a.Line != b.Line {
			return a.Line < b.Line
		}
		if a.Column != b.Column {
			return a.Column < b.Column
		}
		if a.Rule != b.Rule {
			return a.Rule < b.Rule
		}
		return a.Path < b.Path
	})
}

// scanOne loads one file and runs the per-template rules on it.
func scanOne(t Target, opts *Options) *unit {
	u := &unit{target: t}
	name := t.name()
	data, err := readLimited(t.FS, t.Path, opts.MaxFileSize)
	if err != nil {
		u.errs = append(u.errs, FileError{File: name, Message: err.Error()})
		u.failed = true
		return u
	}
	// A file named like a buildspec is read as one straight away: its YAML
	// may use anchors, which the template loader refuses.
	if buildspec.IsFileName(name) && scanBuildspec(u, data, opts) {
		return u
	}
	tmpl, err := cfn.Parse(name, data)
	if errors.Is(err, cfn.ErrNotTemplate) {
		if buildspec.MayBe(data) && scanBuildspec(u, data, opts) {
			return u
		}
		u.skipped = true
		return u
	}
	if err != nil {
		u.failed = true
		u.errs = append(u.errs, fileError(name, err))
		return u
	}
	u.tmpl = tmpl
	for _, p := range tmpl.Problems {
		u.errs = append(u.errs, fileError(name, p))
	}
	var supplied map[string]string
	if opts.Params != nil {
		supplied, err = opts.Params(name)
		if err != nil {
			u.errs = append(u.errs, FileError{File: name, Message: err.Error()})
		}
	}
	u.eval = cfn.NewEvaluator(tmpl, supplied)
	u.supp = parseSuppressions(tmpl, opts.index)
	// One pass serves every rule in turn: with hundreds of rules and
	// thousands of templates, a pass per rule was a measurable share of the
	// scan. Rules run one after another, so the pass is never shared.
	pass := NewPass(nil, tmpl, u.eval, nil)
	pass.byType = resourcesByType(tmpl)
	pass.report = func(d Diagnostic) {
		u.findings = append(u.findings, newFinding(pass.Rule, u.tmpl, d))
	}
	for _, r := range opts.Rules {
		if r.Check == nil {
			continue
		}
		pass.Rule = r
		runCheck(r, u, pass)
	}
	u.eval.Forget()
	return u
}

// runCheck runs one rule on one template. A rule that panics is a bug in
// safetynet, not in the template: report it against the file and go on.
func runCheck(r *Rule, u *unit, pass *Pass) {
	defer func() {
		if v := recover(); v != nil {
			u.errs = append(u.errs, FileError{File: u.target.name(), Message: fmt.Sprintf("internal error in rule %s: %v (please report this)", r.ID, v)})
		}
	}()
	r.Check(pass)
}

func runSetRules(units []*unit, opts *Options) {
	var set []*Unit
	byTmpl := map[*cfn.Template]*unit{}
	for _, u := range units {
		if u.tmpl == nil {
			continue
		}
		stacks := opts.Stacks[u.target.name()]
		if len(stacks) == 0 {
			stacks = []string{""}
		}
		for _, st := range stacks {
			set = append(set, &Unit{Template: u.tmpl, Eval: u.eval, Stack: st})
		}
		byTmpl[u.tmpl] = u
	}
	// Set rules are independent of each other: run them side by side,
	// collecting their findings under a lock.
	var mu sync.Mutex
	var wg sync.WaitGroup
	for _, r := range opts.Rules {
		if r.CheckSet == nil {
			continue
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			pass := NewSetPass(r, set, func(t *cfn.Template, d Diagnostic) {
				f := newFinding(r, t, d)
				mu.Lock()
				defer mu.Unlock()
				if u := byTmpl[t]; u != nil {
					u.findings = append(u.findings, f)
				}
			})
			defer func() {
				if v := recover(); v != nil && len(units) > 0 {
					mu.Lock()
					defer mu.Unlock()
					units[0].errs = append(units[0].errs, FileError{File: units[0].target.name(), Message: fmt.Sprintf("internal error in rule %s: %v (please report this)", r.ID, v)})
				}
			}()
			r.CheckSet(pass)
		}()
	}
	wg.Wait()
}

// newFinding places a diagnostic in its template.
func newFinding(r *Rule, t *cfn.Template, d Diagnostic) Finding {
	return placeFinding(r, t.File, d)
}

// placeFinding places a diagnostic in the named file.
func placeFinding(r *Rule, file string, d Diagnostic) Finding {
	f := Finding{
		Rule:     r.ID,
		Aliases:  r.Aliases,
		Severity: r.Severity,
		Message:  d.Message,
		File:     file,
		Fix:      d.Fix,
		Path:     d.Path,
		Related:  d.Related,
	}
	if f.Aliases == nil {
		f.Aliases = []string{}
	}
	if f.Fix == "" {
		f.Fix = r.Fix
	}
	at := d.At
	if d.Resource != nil {
		f.Resource = d.Resource.ID
		switch {
		case d.Path == "":
			f.Path = "Resources." + d.Resource.ID
		case !strings.HasPrefix(d.Path, "Resources."):
			f.Path = "Resources." + d.Resource.ID + "." + d.Path
		}
	}
	var start, end cfn.Pos
	switch {
	case at != nil && !at.Start.IsZero():
		start, end = at.Start, at.End
	case d.Resource != nil:
		start = d.Resource.KeyStart
	}
	f.Line, f.Column = start.Line, start.Col
	if end.IsZero() {
		end = start
	}
	f.EndLine, f.EndColumn = end.Line, end.Col
	f.Fingerprint = Fingerprint(f.Rule, f.File, f.Resource, f.Path)
	return f
}

func fileError(name string, err error) FileError {
	var ce *cfn.Error
	if errors.As(err, &ce) {
		return FileError{File: name, Line: ce.Line, Column: ce.Col, Message: ce.Msg}
	}
	return FileError{File: name, Message: err.Error()}
}

func readLimited(fsys fs.FS, path string, max int64) ([]byte, error) {
	if max <= 0 {
		max = DefaultMaxFileSize
	}
	f, err := fsys.Open(path)
	if err != nil {
		return nil, fmt.Errorf("cannot read: %w", unwrapPath(err))
	}
	defer f.Close()
	size := int64(0)
	if st, err := f.Stat(); err == nil {
		if st.Size() > max {
			return nil, fmt.Errorf("file is %d bytes, larger than the %d-byte limit: not scanned", st.Size(), max)
		}
		size = st.Size()
	}
	// Read into a buffer of the file's size rather than letting io.ReadAll
	// double its way up; a file that grew since Stat is read to the end.
	data := make([]byte, size+1)
	n, err := io.ReadFull(f, data)
	data = data[:n]
	switch {
	case err == io.ErrUnexpectedEOF || err == io.EOF:
		err = nil
	case err == nil:
		var rest []byte
		rest, err = io.ReadAll(io.LimitReader(f, max+1-int64(n)))
		data = append(data, rest...)
	}
	if err != nil {
		return nil, fmt.Errorf("cannot read: %w", unwrapPath(err))
	}
	if int64(len(data)) > max {
		return nil, fmt.Errorf("file is larger than the %d-byte limit: not scanned", max)
	}
	return data, nil
}

// unwrapPath drops the path from a PathError, since the report already names
// the file.
func unwrapPath(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}
