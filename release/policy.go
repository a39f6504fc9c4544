// Package release owns the release gate: whether a version of a service may
// go to an environment, decided by a written policy from its soak in the
// environments before it and from the issues it fixes and brings. It also
// reads AWS EventBridge events about builds, pipelines and alarms.
//
// The policy, the soak judgement and the event parsing are pure functions
// of their inputs; Service wires them to the store, the notifier outbox and
// the monitor.
package release

import (
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/safetynet-dev/safetynet"
	"github.com/safetynet-dev/safetynet/status"
)

// KnownIssueRule says when a soaked release may ship with known issues.
type KnownIssueRule string

// The known-issue rules.
const (
	// FixOutranks ships a release that brings no known issue, or whose most
	// severe fix outranks every issue it brings: a critical fix that
	// brings a minor issue ships, a minor fix that brings a major issue
	// waits. The default.
	FixOutranks KnownIssueRule = "fix_outranks"
	// NoKnownIssues holds every release that brings a known issue.
	NoKnownIssues KnownIssueRule = "none"
	// AnyKnownIssues lets a soaked release ship whatever it brings; its
	// public known issues are still published.
	AnyKnownIssues KnownIssueRule = "any"
)

// Policy is the written policy of the release gate.
type Policy struct {
	// Soak is how long a release must run in each environment, with no
	// outage, alert or anomaly on its components, before it may go on.
	Soak map[string]time.Duration
	// Requires lists, for a target environment, the environments a
	// release must have soaked in first. A target not listed requires
	// every environment that has a soak time, except itself.
	Requires map[string][]string
	// KnownIssues says when a soaked release may bring known issues.
	KnownIssues KnownIssueRule
}

// DefaultPolicy soaks 24 hours in staging before production and ships
// with known issues only when the most severe fix outranks them.
func DefaultPolicy() Policy {
	return Policy{
		Soak:        map[string]time.Duration{"staging": 24 * time.Hour},
		Requires:    map[string][]string{"production": {"staging"}},
		KnownIssues: FixOutranks,
	}
}

// Validate checks that the policy can be followed.
func (p *Policy) Validate() error {
	switch p.KnownIssues {
	case FixOutranks, NoKnownIssues, AnyKnownIssues:
	default:
		return safetynet.Errorf(safetynet.EINVALID, "known_issues %q is not one of fix_outranks, none, any", p.KnownIssues)
	}
	for env, d := range p.Soak {
		if d <= 0 {
			return safetynet.Errorf(safetynet.EINVALID, "soak time of %s must be positive, not %s", env, d)
		}
	}
	for target, envs := range p.Requires {
		for _, e := range envs {
			if _, ok := p.Soak[e]; !ok {
				return safetynet.Errorf(safetynet.EINVALID, "%s requires a soak in %s, which has no soak time", target, e)
			}
			if e == target {
				return safetynet.Errorf(safetynet.EINVALID, "%s cannot require a soak in itself", target)
			}
		}
	}
	return nil
}

// SoakEnvironments lists the environments a release must have soaked in
// before it goes to target, sorted.
func (p *Policy) SoakEnvironments(target string) []string {
	if envs, ok := p.Requires[target]; ok {
		out := slices.Clone(envs)
		sort.Strings(out)
		return out
	}
	var out []string
	for env := range p.Soak {
		if env != target {
			out = append(out, env)
		}
	}
	sort.Strings(out)
	return out
}

// Describe says the policy for target in one sentence, stored with each
// decision.
func (p *Policy) Describe(target string) string {
	var soaks []string
	for _, env := range p.SoakEnvironments(target) {
		soaks = append(soaks, fmt.Sprintf("%s in %s", p.Soak[env], env))
	}
	soak := "no soak"
	if len(soaks) > 0 {
		soak = "a soak of " + strings.Join(soaks, " and ")
	}
	var issues string
	switch p.KnownIssues {
	case NoKnownIssues:
		issues = "no known issue"
	case AnyKnownIssues:
		issues = "any known issue"
	default:
		issues = "known issues only when its most severe fix outranks them"
	}
	return fmt.Sprintf("to %s: %s without outage, alert or anomaly; %s", target, soak, issues)
}

// Facts are what the gate judges a release by.
type Facts struct {
	Service, Version, Target string
	Soaks                    []status.SoakResult
	Fixes, Introduces        []status.Issue
	// Unknown is set when the facts cannot be judged (a deployment that
	// names no components); it is the reason.
	Unknown string
}

// Decide applies the policy to the facts: ship, hold, or undecided when
// the facts cannot be judged, with one paragraph saying why.
func (p *Policy) Decide(f Facts) (status.Outcome, string) {
	rel := f.Service + " " + f.Version
	if f.Unknown != "" {
		return status.Undecided, fmt.Sprintf("The gate cannot decide whether %s may go to %s: %s.", rel, f.Target, f.Unknown)
	}
	var waits []string
	for _, s := range f.Soaks {
		switch {
		case s.Deployment == 0:
			waits = append(waits, fmt.Sprintf("it was never deployed to %s, so it has not soaked there (an unsoaked release waits)", s.Environment))
		case len(s.Problems) > 0:
			waits = append(waits, fmt.Sprintf("its soak in %s failed: %s", s.Environment, strings.Join(s.Problems, "; ")))
		case !s.Done:
			waits = append(waits, fmt.Sprintf("it is still soaking in %s until %s (%s required, deployed %s)", s.Environment, s.End.UTC().Format("2006-01-02 15:04 MST"), time.Duration(s.Required), s.Start.UTC().Format("2006-01-02 15:04 MST")))
		}
	}
	issueOK, issueWhy := p.knownIssues(f.Fixes, f.Introduces)
	if !issueOK {
		waits = append(waits, issueWhy)
	}
	if len(waits) > 0 {
		return status.Hold, fmt.Sprintf("Hold %s for %s: %s.", rel, f.Target, strings.Join(waits, "; and "))
	}
	var soaked []string
	for _, s := range f.Soaks {
		soaked = append(soaked, fmt.Sprintf("%s in %s", time.Duration(s.Required), s.Environment))
	}
	why := "it needs no soak before " + f.Target
	if len(soaked) > 0 {
		why = "it soaked " + strings.Join(soaked, " and ") + " with no outage, alert or anomaly on its components"
	}
	return status.Ship, fmt.Sprintf("Ship %s to %s: %s, and %s.", rel, f.Target, why, issueWhy)
}

// knownIssues applies the known-issue rule and says why in a clause.
func (p *Policy) knownIssues(fixes, intro []status.Issue) (bool, string) {
	if len(intro) == 0 {
		return true, "it brings no known issue"
	}
	worstIntro := Worst(intro)
	bestFix := Worst(fixes)
	brings := fmt.Sprintf("it brings %s", describeIssues(intro))
	switch p.KnownIssues {
	case AnyKnownIssues:
		return true, brings + ", which the policy accepts"
	case NoKnownIssues:
		return false, brings + " and the policy ships no release with a known issue"
	}
	if bestFix == nil {
		return false, brings + " and fixes nothing that outranks it"
	}
	if bestFix.Severity.Rank() > worstIntro.Severity.Rank() {
		return true, fmt.Sprintf("%s, outranked by the %s issue it fixes (%q)", brings, bestFix.Severity, bestFix.Title)
	}
	return false, fmt.Sprintf("%s, and its most severe fix (%s: %q) does not outrank the %s issue %q", brings, bestFix.Severity, bestFix.Title, worstIntro.Severity, worstIntro.Title)
}

// Worst returns the most severe issue of a list (the first of equals), or
// nil for none.
func Worst(is []status.Issue) *status.Issue {
	var w *status.Issue
	for i := range is {
		if w == nil || is[i].Severity.Rank() > w.Severity.Rank() {
			w = &is[i]
		}
	}
	return w
}

func describeIssues(is []status.Issue) string {
	var parts []string
	for _, i := range is {
		parts = append(parts, fmt.Sprintf("a %s known issue (%q)", i.Severity, i.Title))
	}
	return strings.Join(parts, ", ")
}
