package config

import (
	"fmt"
	"slices"

	"github.com/safetynet-dev/safetynet/status"
)

// Package probe validates a check's own settings. These hooks call it;
// until they are wired, kind settings pass through as plain JSON and only
// this package's checks apply.
var (
	// probeWired is true once newProbeSpec and validateCheck call package
	// probe, which then owns what a check's target must look like.
	probeWired = false

	// newProbeSpec returns a pointer to a fresh value for kind's own
	// settings, decoded from the check's extra keys and stored as JSON in
	// Check.Spec.
	newProbeSpec = func(kind status.Kind) (any, error) {
		if !slices.Contains(Kinds, kind) {
			return nil, fmt.Errorf("unknown kind %q", kind)
		}
		return new(map[string]any), nil
	}

	// validateCheck builds the check's probe, which checks its spec
	// (conditions, URL, record type, ...).
	validateCheck = func(c *status.Check) error { return nil }
)
