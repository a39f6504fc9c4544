package codepipeline

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/bmatcuk/doublestar/v4"

	"github.com/safetynet-dev/safetynet/scan"
)

// Params are the action's UserParameters: a JSON object, every key optional.
//
//	{"pattern": "templates/**/*.yaml", "fail_on": "warning",
//	 "rules": "all,-S3-004", "params": "params/prod.json"}
type Params struct {
	// Pattern selects the templates to scan by their path inside the
	// artifact; "**" crosses folders. Empty means every .yaml, .yml, .json
	// and .template file outside dependency folders, as a directory scan
	// reads them.
	Pattern string `json:"pattern"`
	// Exclude drops paths matching any of these globs, like --exclude.
	Exclude stringList `json:"exclude"`
	// FailOn is the lowest severity that fails the job: failure (the
	// default), warning, info or none.
	FailOn string `json:"fail_on"`
	// Rules selects rules like --rules: "all,-S3-004" or ["S3", "IAM"].
	Rules stringList `json:"rules"`
	// Params names parameter files inside the artifact: one path for every
	// template, or an object from template path or glob to path.
	ParamFiles paramFiles `json:"params"`
	// Artifact names the input artifact to scan when the action has more
	// than one.
	Artifact string `json:"artifact"`
	// Config names the repository configuration in the artifact; absent
	// means .safetynet.yml when the artifact has one, "" means none.
	Config *string `json:"config"`
}

// stringList reads either a comma-separated string or an array of strings,
// so that UserParameters can be written the way the CLI flag is.
type stringList []string

func (l *stringList) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err == nil {
		*l = splitList([]string{s})
		return nil
	}
	var list []string
	if err := json.Unmarshal(b, &list); err != nil {
		return errors.New("want a string or an array of strings")
	}
	*l = splitList(list)
	return nil
}

func splitList(in []string) []string {
	var out []string
	for _, s := range in {
		for _, part := range strings.Split(s, ",") {
			if part = strings.TrimSpace(part); part != "" {
				out = append(out, part)
			}
		}
	}
	return out
}

// paramFiles is "file" (every template) or {"glob": "file"}.
type paramFiles struct {
	All         string
	PerTemplate map[string]string
}

func (p *paramFiles) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err == nil {
		p.All = s
		return nil
	}
	var m map[string]string
	if err := json.Unmarshal(b, &m); err != nil {
		return errors.New(`want a file path or an object from template glob to file path`)
	}
	p.PerTemplate = m
	return nil
}

// files lists every parameter file named, once, in order.
func (p paramFiles) files() []string {
	seen := map[string]bool{}
	var out []string
	add := func(f string) {
		if f != "" && !seen[f] {
			seen[f] = true
			out = append(out, f)
		}
	}
	add(p.All)
	for _, k := range sortedKeys(p.PerTemplate) {
		add(p.PerTemplate[k])
	}
	return out
}

// fileFor is the parameter file for one template: the per-template entry
// that names it exactly or matches it (longest glob first, as the repository
// config reads its `parameters`), else the one for every template.
func (p paramFiles) fileFor(template string) string {
	cfg := scan.Config{Parameters: p.PerTemplate}
	if f := cfg.ParamFileFor(template); f != "" {
		return f
	}
	return p.All
}

func sortedKeys(m map[string]string) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// settings are Params checked and resolved against the rule registry.
type settings struct {
	Params
	rules  []*scan.Rule
	all    []*scan.Rule
	failOn scan.Severity
	repo   repoSettings
}

// parseParams reads and checks UserParameters. Every problem is a
// configuration error: the pipeline's definition has to change, not the
// templates.
func parseParams(raw string, all []*scan.Rule) (*settings, error) {
	s := &settings{all: all}
	if strings.TrimSpace(raw) != "" {
		dec := json.NewDecoder(strings.NewReader(raw))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&s.Params); err != nil {
			return nil, fmt.Errorf("UserParameters: %s", describeJSONError(raw, err))
		}
		if _, err := dec.Token(); err != io.EOF {
			return nil, errors.New("UserParameters: unexpected text after the JSON object")
		}
	}
	if s.Pattern != "" && !doublestar.ValidatePattern(s.Pattern) {
		return nil, fmt.Errorf("UserParameters: pattern %q is not a valid glob", s.Pattern)
	}
	for _, pat := range s.Exclude {
		if !doublestar.ValidatePattern(pat) {
			return nil, fmt.Errorf("UserParameters: exclude %q is not a valid glob", pat)
		}
	}
	for pat, file := range s.ParamFiles.PerTemplate {
		if !doublestar.ValidatePattern(pat) {
			return nil, fmt.Errorf("UserParameters: params: %q is not a valid glob", pat)
		}
		if file == "" {
			return nil, fmt.Errorf("UserParameters: params: %q names no file", pat)
		}
	}
	var err error
	if s.rules, err = scan.Select(all, s.Rules); err != nil {
		return nil, fmt.Errorf("UserParameters: rules: %w", err)
	}
	level := s.FailOn
	if level == "" {
		level = "failure"
	}
	if s.failOn, err = scan.ParseFailOn(level); err != nil {
		return nil, fmt.Errorf("UserParameters: fail_on: %w", err)
	}
	return s, nil
}

// describeJSONError turns a decoding error into a sentence that says where
// in UserParameters the problem is and what keys are known.
func describeJSONError(raw string, err error) string {
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	const known = "pattern, exclude, fail_on, rules, params, artifact, config"
	switch {
	case errors.As(err, &syn):
		return fmt.Sprintf("not valid JSON at character %d: %v (want an object such as {\"pattern\": \"**/*.yaml\"})", syn.Offset, syn)
	case errors.As(err, &typ):
		if typ.Field == "" {
			return fmt.Sprintf("want a JSON object, got a JSON %s", typ.Value)
		}
		return fmt.Sprintf("%s: want %s, got a JSON %s", typ.Field, typ.Type, typ.Value)
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		return fmt.Sprintf("unknown key %s (known keys: %s)", strings.TrimPrefix(err.Error(), "json: unknown field "), known)
	case errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF):
		return "incomplete JSON"
	}
	// Errors from our own UnmarshalJSON methods do not name the key; find
	// it by trying each field alone.
	var probe map[string]json.RawMessage
	if json.Unmarshal([]byte(raw), &probe) == nil {
		for _, k := range []string{"exclude", "rules", "params"} {
			if v, ok := probe[k]; ok {
				var one Params
				if e := json.Unmarshal(bytes.Join([][]byte{[]byte(`{"` + k + `":`), v, []byte("}")}, nil), &one); e != nil {
					return fmt.Sprintf("%s: %v", k, unwrapJSON(e))
				}
			}
		}
	}
	return unwrapJSON(err).Error()
}

func unwrapJSON(err error) error {
	if u := errors.Unwrap(err); u != nil {
		return u
	}
	return err
}
