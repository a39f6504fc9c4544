package scan

import (
	"encoding/json"
	"fmt"
	"sort"
)

// Baseline is the file written by --write-baseline: the findings a team has
// accepted, so that only new ones are reported. Entries carry the rule,
// file, resource and path beside the fingerprint so that reviewers can read
// what was accepted.
type Baseline struct {
	Version  int             `json:"version"`
	Findings []BaselineEntry `json:"findings"`
}

// BaselineEntry is one accepted finding.
type BaselineEntry struct {
	Fingerprint string `json:"fingerprint"`
	Rule        string `json:"rule"`
	File        string `json:"file"`
	Resource    string `json:"resource,omitempty"`
	Path        string `json:"path,omitempty"`
}

// NewBaseline records the findings of a result.
func NewBaseline(fs []Finding) *Baseline {
	b := &Baseline{Version: 1, Findings: []BaselineEntry{}}
	seen := map[string]bool{}
	for _, f := range fs {
		if seen[f.Fingerprint] {
			continue
		}
		seen[f.Fingerprint] = true
		b.Findings = append(b.Findings, BaselineEntry{Fingerprint: f.Fingerprint, Rule: f.Rule, File: f.File, Resource: f.Resource, Path: f.Path})
	}
	sort.Slice(b.Findings, func(i, j int) bool {
		x, y := b.Findings[i], b.Findings[j]
		if x.File != y.File {
			return x.File < y.File
		}
		return x.Fingerprint < y.Fingerprint
	})
	return b
}

// ParseBaseline reads a baseline file and returns its fingerprints.
func ParseBaseline(name string, data []byte) (map[string]bool, error) {
	var b Baseline
	if err := json.Unmarshal(data, &b); err != nil {
		return nil, fmt.Errorf("baseline %s: %w", name, err)
	}
	if b.Version != 1 {
		return nil, fmt.Errorf("baseline %s: unsupported version %d (want 1)", name, b.Version)
	}
	out := make(map[string]bool, len(b.Findings))
	for _, e := range b.Findings {
		out[e.Fingerprint] = true
	}
	return out, nil
}

// Marshal writes the baseline as indented JSON.
func (b *Baseline) Marshal() []byte {
	data, _ := json.MarshalIndent(b, "", "  ")
	return append(data, '\n')
}
