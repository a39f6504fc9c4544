package config

import (
	"github.com/safetynet-dev/safetynet/monitor/probe"
	"github.com/safetynet-dev/safetynet/status"
)

// Package probe owns what a check's kind settings mean. These hooks call
// it; they are variables so a test can stand in for the probe's verdict.
var (
	// probeWired tells the builder that probe.New validates targets, so
	// the builder need not insist on `target` (an http check may give
	// url: instead).
	probeWired = true

	// newProbeSpec returns a pointer to a fresh value, holding the kind's
	// defaults, for the check's kind settings; they are stored as JSON in
	// Check.Spec.
	newProbeSpec = probe.NewSpec

	// validateCheck builds the check's prober, which checks its spec
	// (conditions, URL, record type, ...) without contacting anything.
	validateCheck = func(c *status.Check) error {
		_, err := probe.New(c, probe.Options{})
		return err
	}
)
