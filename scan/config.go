package scan

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strings"

	"github.com/bmatcuk/doublestar/v4"
	yaml "go.yaml.in/yaml/v3"
)

// ConfigFile is the name of the repository configuration file that scan
// reads from the working directory when --config is not given.
const ConfigFile = ".safetynet.yml"

// Config is the repository configuration (.safetynet.yml). Command-line
// flags override it.
type Config struct {
	// Paths to scan when none are given on the command line.
	Paths []string `yaml:"paths"`
	// Exclude holds globs (with **) of paths not to scan.
	Exclude []string `yaml:"exclude"`
	// Rules selects rules, e.g. ["all", "-S3-004"]; see Select.
	Rules []string `yaml:"rules"`
	// FailOn is failure, warning, info or none.
	FailOn string `yaml:"fail_on"`
	// Parameters maps a template path or glob to a parameter file. The most
	// specific (longest) matching pattern wins.
	Parameters map[string]string `yaml:"parameters"`
	// Stacks maps stack names to template paths, for cross-stack rules.
	Stacks map[string]string `yaml:"stacks"`
	// Suppressions names a suppression file.
	Suppressions string `yaml:"suppressions"`
	// Baseline names a baseline file.
	Baseline string `yaml:"baseline"`
}

// ParseConfig reads a configuration file, rejecting unknown keys with their
// line so that a typo does not silently turn a setting off.
func ParseConfig(name string, data []byte) (*Config, error) {
	var c Config
	if len(bytes.TrimSpace(data)) == 0 {
		return &c, nil
	}
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(&c); err != nil {
		return nil, fmt.Errorf("%s: %s", name, strings.TrimPrefix(err.Error(), "yaml: "))
	}
	if c.FailOn != "" {
		if _, err := ParseFailOn(c.FailOn); err != nil {
			return nil, fmt.Errorf("%s: fail_on: %w", name, err)
		}
	}
	for _, pat := range append(append([]string{}, c.Exclude...), keys(c.Parameters)...) {
		if !doublestar.ValidatePattern(pat) {
			return nil, fmt.Errorf("%s: bad glob %q", name, pat)
		}
	}
	return &c, nil
}

// ParseFailOn reads a --fail-on level; "none" gives 0, which no finding
// reaches.
func ParseFailOn(s string) (Severity, error) {
	if strings.EqualFold(s, "none") {
		return 0, nil
	}
	sev, err := ParseSeverity(s)
	if err != nil {
		return 0, fmt.Errorf("unknown level %q (want failure, warning, info or none)", s)
	}
	return sev, nil
}

// ParamFileFor returns the parameter file configured for a template path, or
// "" when none is.
func (c *Config) ParamFileFor(template string) string {
	if f, ok := c.Parameters[template]; ok {
		return f
	}
	pats := keys(c.Parameters)
	sort.Slice(pats, func(i, j int) bool { return len(pats[i]) > len(pats[j]) })
	for _, p := range pats {
		if ok, _ := doublestar.Match(p, template); ok {
			return c.Parameters[p]
		}
	}
	return ""
}

func keys(m map[string]string) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// skipDirs are never descended into: they hold dependencies or generated
// copies of templates, not sources.
var skipDirs = map[string]bool{".git": true, "node_modules": true, "cdk.out": true, ".aws-sam": true, ".terraform": true}

// templateExts are the extensions that a directory walk reads.
var templateExts = map[string]bool{".yaml": true, ".yml": true, ".json": true, ".template": true}

// Discover lists the candidate template files under root in fsys, in lexical
// order, skipping dependency folders and the paths for which skip (if not
// nil) returns true.
func Discover(fsys fs.FS, root string, skip func(path string) bool) ([]string, error) {
	var out []string
	err := fs.WalkDir(fsys, root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			if p == root {
				return err
			}
			return nil // an unreadable subfolder must not stop the walk
		}
		if skip != nil && p != root && skip(p) {
			if d.IsDir() {
				return fs.SkipDir
			}
			return nil
		}
		if d.IsDir() {
			if p != root && skipDirs[d.Name()] {
				return fs.SkipDir
			}
			return nil
		}
		if templateExts[strings.ToLower(path.Ext(p))] && d.Type().IsRegular() {
			out = append(out, p)
		}
		return nil
	})
	if err != nil {
		return nil, unwrapPath(err)
	}
	return out, nil
}

// Excluded reports whether name matches one of the globs; a pattern naming a
// folder excludes everything below it.
func Excluded(name string, exclude []string) bool {
	for _, pat := range exclude {
		if ok, _ := doublestar.Match(pat, name); ok {
			return true
		}
		if ok, _ := doublestar.Match(strings.TrimSuffix(pat, "/")+"/**", name); ok {
			return true
		}
	}
	return false
}

// ErrNoTemplates is returned when the paths given hold no candidate file.
var ErrNoTemplates = errors.New("no templates found")
