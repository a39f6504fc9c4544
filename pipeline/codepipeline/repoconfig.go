package codepipeline

import (
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"path"
	"slices"

	"github.com/aws/aws-sdk-go-v2/service/codepipeline/types"

	"github.com/safetynet-dev/safetynet/scan"
)

// repoSettings are what the repository's own configuration adds to a job.
type repoSettings struct {
	file            string // the config file read, "" when none
	paths           []string
	stacks          map[string][]string // template -> stack names
	suppressions    []scan.ExternalSuppression
	suppressionFile string
	baseline        map[string]bool
}

// applyRepoConfig reads the repository configuration (.safetynet.yml) from
// the artifact, so that a pipeline scans the way `safetynet scan` does in
// the same repository. UserParameters win key by key: a pipeline owner who
// wants fail_on or rules out of the repository's hands sets them there.
func (h *Handler) applyRepoConfig(art *artifact, set *settings) error {
	name := scan.ConfigFile
	if set.Config != nil {
		name = *set.Config
	}
	if name == "" {
		return nil
	}
	clean, err := entryName(name)
	if err != nil {
		return failed(types.FailureTypeConfigurationError, "safetynet: UserParameters: config: %q %v", name, err)
	}
	data, err := art.readFile(clean)
	switch {
	case errors.Is(err, fs.ErrNotExist) && set.Config == nil:
		return nil // no repository config: nothing to add
	case errors.Is(err, fs.ErrNotExist):
		return failed(types.FailureTypeConfigurationError, "safetynet: UserParameters: config: %q is not in input artifact %q", name, art.name)
	case err != nil:
		return failed(types.FailureTypeJobFailed, "safetynet: %v", err)
	}
	cfg, err := scan.ParseConfig(clean, data)
	if err != nil {
		return failed(types.FailureTypeConfigurationError, "safetynet: repository config: %v", err)
	}
	set.repo.file = clean

	if set.Pattern == "" {
		set.repo.paths = cfg.Paths
	}
	set.Exclude = append(slices.Clone(cfg.Exclude), set.Exclude...)
	if len(set.Rules) == 0 && len(cfg.Rules) > 0 {
		if set.rules, err = scan.Select(set.all, cfg.Rules); err != nil {
			return failed(types.FailureTypeConfigurationError, "safetynet: %s: rules: %v", clean, err)
		}
	}
	if set.FailOn == "" && cfg.FailOn != "" {
		set.failOn, _ = scan.ParseFailOn(cfg.FailOn) // checked by ParseConfig
	}
	if set.ParamFiles.All == "" && set.ParamFiles.PerTemplate == nil {
		set.ParamFiles.PerTemplate = cfg.Parameters
	}
	if len(cfg.Stacks) > 0 {
		set.repo.stacks = map[string][]string{}
		for _, stack := range slices.Sorted(maps.Keys(cfg.Stacks)) {
			tmpl := path.Clean(cfg.Stacks[stack])
			set.repo.stacks[tmpl] = append(set.repo.stacks[tmpl], stack)
		}
	}
	if cfg.Suppressions != "" {
		data, err := h.readNamed(art, clean, "suppressions", cfg.Suppressions)
		if err != nil {
			return err
		}
		if set.repo.suppressions, err = scan.LoadSuppressionFile(cfg.Suppressions, data, set.all, h.now()); err != nil {
			return failed(types.FailureTypeConfigurationError, "safetynet: suppression file: %v", err)
		}
		set.repo.suppressionFile = cfg.Suppressions
	}
	if cfg.Baseline != "" {
		data, err := h.readNamed(art, clean, "baseline", cfg.Baseline)
		if err != nil {
			return err
		}
		if set.repo.baseline, err = scan.ParseBaseline(cfg.Baseline, data); err != nil {
			return failed(types.FailureTypeConfigurationError, "safetynet: baseline: %v", err)
		}
	}
	return nil
}

// readNamed reads a file the repository config names. Paths in it are
// relative to the artifact's root, as the CLI reads them relative to the
// directory it runs in.
func (h *Handler) readNamed(art *artifact, config, key, name string) ([]byte, error) {
	clean, err := entryName(name)
	if err != nil {
		return nil, failed(types.FailureTypeConfigurationError, "safetynet: %s: %s: %q %v", config, key, name, err)
	}
	data, err := art.readFile(clean)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, failed(types.FailureTypeConfigurationError, "safetynet: %s: %s: %q is not in input artifact %q", config, key, name, art.name)
	}
	if err != nil {
		return nil, failed(types.FailureTypeJobFailed, "safetynet: %v", err)
	}
	return data, nil
}

// selectPaths lists the templates under the repository config's paths:
// a file by name, a folder as a directory scan reads it, or a glob.
func (a *artifact) selectPaths(paths, exclude []string) ([]string, error) {
	seen := map[string]bool{}
	var out []string
	add := func(n string) {
		if !seen[n] && !scan.Excluded(n, exclude) {
			seen[n] = true
			out = append(out, n)
		}
	}
	for _, p := range paths {
		clean := path.Clean(p)
		if _, ok := a.files[clean]; ok {
			add(clean)
			continue
		}
		if isGlob(p) {
			matched, err := a.selectTemplates(clean, exclude)
			if err != nil {
				return nil, err
			}
			for _, n := range matched {
				add(n)
			}
			continue
		}
		found, err := a.discover(clean, exclude)
		if err != nil {
			return nil, fmt.Errorf("paths: %q is not a file or folder in input artifact %q", p, a.name)
		}
		for _, n := range found {
			add(n)
		}
	}
	if len(out) > a.limits.Files {
		return nil, fmt.Errorf("%w: %d files in input artifact %q match, more than the %d scanned at once; narrow the paths", errUnsafeArtifact, len(out), a.name, a.limits.Files)
	}
	return out, nil
}

func isGlob(p string) bool {
	for _, c := range p {
		switch c {
		case '*', '?', '[', '{':
			return true
		}
	}
	return false
}
