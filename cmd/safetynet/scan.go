package main

import (
	"context"
	"fmt"
	"io"
	"io/fs"
	"maps"
	"os"
	"path"
	"path/filepath"
	"runtime/debug"
	"runtime/pprof"
	"slices"
	"strings"
	"sync"
	"testing/fstest"
	"time"

	"github.com/bmatcuk/doublestar/v4"

	"github.com/safetynet-dev/safetynet"
	"github.com/safetynet-dev/safetynet/cfn"
	"github.com/safetynet-dev/safetynet/report"
	"github.com/safetynet-dev/safetynet/scan"
	"github.com/safetynet-dev/safetynet/scan/rules"
)

const scanExamples = `  safetynet scan .                               scan every template under the current folder
  safetynet scan templates/ --fail-on warning    fail the build on warnings too
  safetynet scan --format sarif --output safetynet.sarif .
  safetynet scan --format junit --output reports/safetynet.xml infra/
  safetynet scan --params prod.json app.yaml     check the values prod really deploys
  safetynet scan --rules all,-S3-004 .           every rule but one
  safetynet scan --stack web-blue=web.yaml --stack web-green=web.yaml web.yaml
  safetynet scan --write-baseline .safetynet-baseline.json .
  cat app.yaml | safetynet scan -

Exit status: 0 clean; 1 findings at or above --fail-on; 2 some input could not
be read or parsed (everything else was still scanned and reported); 3 usage or
configuration error.
`

type scanCmd struct {
	m *Main

	configPath    string
	format        string
	output        string
	failOn        string
	rules         listFlag
	exclude       listFlag
	params        listFlag
	stacks        listFlag
	suppressions  string
	baseline      string
	writeBaseline string
	noColor       bool
	workers       int
	cpuProfile    string
	paths         []string

	out io.WriteCloser
}

func (c *scanCmd) ParseFlags(args []string) error {
	fs := c.m.newFlagSet("scan", "scan [flags] [path ...]", scanExamples)
	fs.StringVar(&c.configPath, "config", "", "repository config `file` (default ./"+scan.ConfigFile+" when present)")
	fs.StringVar(&c.format, "format", "text", "output `format`: "+strings.Join(report.Formats(), ", "))
	fs.StringVar(&c.output, "output", "", "write the report to `file` instead of standard output")
	fs.StringVar(&c.failOn, "fail-on", "", "exit 1 on findings at or above `level`: failure, warning, info or none (default failure)")
	fs.Var(&c.rules, "rules", "rule `selection`, e.g. all,-S3-004 or S3,IAM (repeatable)")
	fs.Var(&c.exclude, "exclude", "skip paths matching `glob` (** allowed; repeatable)")
	fs.Var(&c.params, "params", "parameter `file` for every template, or TEMPLATE=FILE for one (repeatable)")
	fs.Var(&c.stacks, "stack", "`NAME=TEMPLATE`: TEMPLATE deploys as stack NAME, for cross-stack rules; give a template several names for blue/green copies (repeatable)")
	fs.StringVar(&c.suppressions, "suppressions", "", "suppression `file` kept apart from the templates")
	fs.StringVar(&c.baseline, "baseline", "", "report only findings not in this baseline `file`")
	fs.StringVar(&c.writeBaseline, "write-baseline", "", "write the current findings to this baseline `file` and exit 0")
	fs.BoolVar(&c.noColor, "no-color", false, "never colour the text report (NO_COLOR is honoured too)")
	fs.IntVar(&c.workers, "j", 0, "files scanned at once (default: one per core)")
	fs.StringVar(&c.cpuProfile, "cpuprofile", "", "write a Go CPU profile of the scan to `file` (for performance reports)")
	if err := parse(fs, args, c.m.Stdout); err != nil {
		return err
	}
	c.paths = fs.Args()
	if !contains(report.Formats(), c.format) {
		return usageError{fmt.Errorf("unknown format %q (want one of %s)", c.format, strings.Join(report.Formats(), ", "))}
	}
	return nil
}

func (c *scanCmd) abs(p string) string { return c.m.abs(p) }

func (c *scanCmd) Run(ctx context.Context) error {
	// A scan allocates a lot of short-lived YAML nodes; collecting a third
	// as often as the default is worth about a tenth of the wall time on the
	// corpus (BENCHMARKS.md) for a little more memory. GOGC still wins if
	// set.
	if c.m.Getenv("GOGC") == "" {
		debug.SetGCPercent(300)
	}
	if c.cpuProfile != "" {
		f, err := os.Create(c.abs(c.cpuProfile))
		if err != nil {
			return usageError{fmt.Errorf("--cpuprofile: %w", err)}
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			return usageError{fmt.Errorf("--cpuprofile: %w", err)}
		}
		defer pprof.StopCPUProfile()
	}
	cfg, err := c.loadConfig()
	if err != nil {
		return usageError{err}
	}
	opts, failOn, err := c.options(cfg)
	if err != nil {
		return usageError{err}
	}
	paths := c.paths
	if len(paths) == 0 {
		paths = cfg.Paths
	}
	if len(paths) == 0 {
		paths = []string{"."}
	}
	excludes := append(append([]string{}, cfg.Exclude...), c.exclude...)
	targets, inputErrs, err := c.targets(paths, excludes)
	if err != nil {
		return usageError{err}
	}
	if c.writeBaseline != "" {
		opts.Baseline = nil
	}
	stopProgress := c.progress(&opts, len(targets))
	res, err := scan.Run(ctx, targets, opts)
	stopProgress()
	if err != nil {
		return err
	}
	res.Errors = append(inputErrs, res.Errors...)
	res.Summary.Errors = len(res.Errors)

	if c.writeBaseline != "" {
		data := scan.NewBaseline(res.Findings).Marshal()
		if err := os.WriteFile(c.abs(c.writeBaseline), data, 0o644); err != nil {
			return usageError{fmt.Errorf("write baseline: %w", err)}
		}
		fmt.Fprintf(c.m.Stderr, "safetynet: wrote %d findings to %s\n", len(res.Findings), c.writeBaseline)
		return nil
	}

	w := c.m.Stdout
	if c.output != "" {
		f, err := os.Create(c.abs(c.output))
		if err != nil {
			return usageError{fmt.Errorf("output: %w", err)}
		}
		c.out = f
		w = f
	}
	ropts := report.Options{
		Color:       c.format == "text" && c.output == "" && !c.noColor && c.m.Getenv("NO_COLOR") == "" && isTerminal(c.m.Stdout),
		ToolVersion: safetynet.Version,
		RepoRoot:    c.m.Dir,
		Files:       res.Files,
		StepSummary: c.m.Getenv("GITHUB_STEP_SUMMARY"),
	}
	if err := report.Write(w, c.format, res, ropts); err != nil {
		return fmt.Errorf("write report: %w", err)
	}
	if c.out != nil {
		if err := c.out.Close(); err != nil {
			return fmt.Errorf("write report: %w", err)
		}
		c.out = nil
	}
	switch {
	case len(res.Errors) > 0:
		return exitError{safetynet.ExitInput}
	case failOn > 0 && worst(res.Findings) >= failOn:
		return exitError{safetynet.ExitFindings}
	}
	return nil
}

func worst(fs []scan.Finding) scan.Severity {
	var w scan.Severity
	for _, f := range fs {
		w = max(w, f.Severity)
	}
	return w
}

func (c *scanCmd) Close() error {
	if c.out != nil {
		return c.out.Close()
	}
	return nil
}

func (c *scanCmd) loadConfig() (*scan.Config, error) {
	name := c.configPath
	if name == "" {
		if _, err := os.Stat(c.abs(scan.ConfigFile)); err != nil {
			return &scan.Config{}, nil
		}
		name = scan.ConfigFile
	}
	data, err := os.ReadFile(c.abs(name))
	if err != nil {
		return nil, fmt.Errorf("config: %w", err)
	}
	return scan.ParseConfig(name, data)
}

// allRules is every rule known, including the engine's own.
func allRules() []*scan.Rule {
	return append(rules.All(), scan.EngineRules...)
}

// options turns configuration and flags (flags win) into scan options.
func (c *scanCmd) options(cfg *scan.Config) (scan.Options, scan.Severity, error) {
	all := allRules()
	opts := scan.Options{AllRules: all, Workers: c.workers}
	sel := cfg.Rules
	if len(c.rules) > 0 {
		sel = c.rules
	}
	var err error
	if opts.Rules, err = scan.Select(all, sel); err != nil {
		return opts, 0, err
	}
	level := "failure"
	for _, l := range []string{cfg.FailOn, c.failOn} {
		if l != "" {
			level = l
		}
	}
	failOn, err := scan.ParseFailOn(level)
	if err != nil {
		return opts, 0, fmt.Errorf("--fail-on: %w", err)
	}

	// Parameter files are read up front so that a missing one is a
	// configuration error, not a silent fall back to defaults.
	var global map[string]string
	perTemplate := map[string]map[string]string{}
	cache := map[string]map[string]string{}
	readParams := func(file string) (map[string]string, error) {
		if v, ok := cache[file]; ok {
			return v, nil
		}
		data, err := os.ReadFile(c.abs(file))
		if err != nil {
			return nil, fmt.Errorf("parameter file: %w", err)
		}
		v, err := cfn.ParseParameterFile(file, data)
		if err != nil {
			return nil, err
		}
		cache[file] = v
		return v, nil
	}
	for _, p := range c.params {
		tmpl, file, ok := strings.Cut(p, "=")
		if !ok {
			if global, err = readParams(p); err != nil {
				return opts, 0, err
			}
			continue
		}
		v, err := readParams(file)
		if err != nil {
			return opts, 0, err
		}
		perTemplate[path.Clean(filepath.ToSlash(tmpl))] = v
	}
	for _, file := range cfg.Parameters {
		if _, err := readParams(file); err != nil {
			return opts, 0, err
		}
	}
	opts.Params = func(name string) (map[string]string, error) {
		if v, ok := perTemplate[name]; ok {
			return v, nil
		}
		if f := cfg.ParamFileFor(name); f != "" {
			return cache[f], nil
		}
		return global, nil
	}

	opts.Stacks = map[string][]string{}
	for _, stack := range slices.Sorted(maps.Keys(cfg.Stacks)) {
		tmpl := path.Clean(cfg.Stacks[stack])
		opts.Stacks[tmpl] = append(opts.Stacks[tmpl], stack)
	}
	for _, s := range c.stacks {
		stack, tmpl, ok := strings.Cut(s, "=")
		if !ok || stack == "" || tmpl == "" {
			return opts, 0, fmt.Errorf("--stack %q: want NAME=TEMPLATE", s)
		}
		key := path.Clean(filepath.ToSlash(tmpl))
		opts.Stacks[key] = append(opts.Stacks[key], stack)
	}

	supp := cfg.Suppressions
	if c.suppressions != "" {
		supp = c.suppressions
	}
	if supp != "" {
		data, err := os.ReadFile(c.abs(supp))
		if err != nil {
			return opts, 0, fmt.Errorf("suppression file: %w", err)
		}
		if opts.Suppressions, err = scan.LoadSuppressionFile(supp, data, all, time.Now()); err != nil {
			return opts, 0, err
		}
		opts.SuppressionFile = supp
	}
	base := cfg.Baseline
	if c.baseline != "" {
		base = c.baseline
	}
	if base != "" {
		data, err := os.ReadFile(c.abs(base))
		if err != nil {
			return opts, 0, fmt.Errorf("baseline: %w", err)
		}
		if opts.Baseline, err = scan.ParseBaseline(base, data); err != nil {
			return opts, 0, err
		}
	}
	return opts, failOn, nil
}

// targets expands the paths into files. A path that does not exist is an
// input error, reported with the others; it does not stop the scan.
func (c *scanCmd) targets(paths, excludes []string) ([]scan.Target, []scan.FileError, error) {
	var targets []scan.Target
	var errs []scan.FileError
	seen := map[string]bool{}
	add := func(t scan.Target) {
		if seen[t.Name] {
			return
		}
		if scan.Excluded(t.Name, excludes) {
			return
		}
		seen[t.Name] = true
		targets = append(targets, t)
	}
	for _, p := range paths {
		if p == "-" {
			data, err := io.ReadAll(io.LimitReader(c.m.Stdin, scan.DefaultMaxFileSize+1))
			if err != nil {
				errs = append(errs, scan.FileError{File: "<stdin>", Message: err.Error()})
				continue
			}
			add(scan.Target{FS: fstest.MapFS{"stdin": {Data: data}}, Path: "stdin", Name: "<stdin>", Explicit: true})
			continue
		}
		name := path.Clean(filepath.ToSlash(p))
		st, err := os.Stat(c.abs(p))
		if err != nil {
			if strings.ContainsAny(p, "*?[{") {
				matches, gerr := doublestar.FilepathGlob(c.abs(p))
				if gerr != nil {
					return nil, nil, fmt.Errorf("bad glob %q: %w", p, gerr)
				}
				if len(matches) == 0 {
					errs = append(errs, scan.FileError{File: p, Message: "glob matches no file"})
				}
				for _, mt := range matches {
					rel, _ := filepath.Rel(c.m.Dir, mt)
					if st, err := os.Stat(mt); err == nil && !st.IsDir() {
						add(fileTarget(mt, filepath.ToSlash(rel)))
					}
				}
				continue
			}
			errs = append(errs, scan.FileError{File: p, Message: "no such file or directory"})
			continue
		}
		if !st.IsDir() {
			add(fileTarget(c.abs(p), name))
			continue
		}
		fsys := os.DirFS(c.abs(p))
		files, err := scan.Discover(fsys, ".", func(f string) bool { return scan.Excluded(path.Join(name, f), excludes) })
		if err != nil {
			errs = append(errs, scan.FileError{File: p, Message: err.Error()})
			continue
		}
		for _, f := range files {
			add(scan.Target{FS: fsys, Path: f, Name: path.Join(name, f)})
		}
	}
	return targets, errs, nil
}

func fileTarget(abs, name string) scan.Target {
	return scan.Target{FS: os.DirFS(filepath.Dir(abs)), Path: filepath.Base(abs), Name: name, Explicit: true}
}

// progress draws a progress line on a terminal when a scan takes long enough
// to wonder about.
func (c *scanCmd) progress(opts *scan.Options, total int) (stop func()) {
	if total < 200 || !isTerminal(c.m.Stderr) {
		return func() {}
	}
	var mu sync.Mutex
	start := time.Now()
	shown := false
	opts.Progress = func(done, total int) {
		mu.Lock()
		defer mu.Unlock()
		if time.Since(start) < 300*time.Millisecond || (done%50 != 0 && done != total) {
			return
		}
		shown = true
		const width = 30
		n := done * width / total
		fmt.Fprintf(c.m.Stderr, "\r[%s%s] %d/%d templates", strings.Repeat("#", n), strings.Repeat(".", width-n), done, total)
	}
	return func() {
		mu.Lock()
		defer mu.Unlock()
		if shown {
			fmt.Fprint(c.m.Stderr, "\r\033[K")
		}
	}
}

// isTerminal reports whether w is a character device such as a terminal.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&fs.ModeCharDevice != 0
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
