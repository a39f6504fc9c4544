package status

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"time"
	"unicode/utf8"
)

// Issue is a problem a release fixes or knowingly brings. Severity uses the
// incident impacts (minor, major, critical), so a known issue on the page
// reads like an incident of the same weight.
type Issue struct {
	Title       string `json:"title"`
	Severity    Impact `json:"severity"`
	Description string `json:"description,omitempty"`
	Workaround  string `json:"workaround,omitempty"`
	// Public issues are published on the status page when the release
	// ships; internal ones are recorded as non-public known issues.
	Public bool `json:"public"`
	// KnownIssue names the known issue a fix closes, when the caller knows
	// its ID; otherwise fixes close open known issues of the same title.
	KnownIssue int64 `json:"known_issue,omitempty"`
}

// The sizes a deployment's fields may have: enough for any real release,
// small enough that a runaway pipeline cannot fill the database.
const (
	maxReleaseText   = 200
	maxIssueText     = 2000
	maxReleaseIssues = 50
	maxReasonText    = 2000
)

// Validate checks an issue's fields.
func (i *Issue) Validate(what string) error {
	i.Title = strings.TrimSpace(i.Title)
	if i.Title == "" {
		return invalidf("%s: an issue needs a title", what)
	}
	if utf8.RuneCountInString(i.Title) > maxReleaseText {
		return invalidf("%s: a title is at most %d characters", what, maxReleaseText)
	}
	if len(i.Description) > maxIssueText || len(i.Workaround) > maxIssueText {
		return invalidf("%s %q: description and workaround are at most %d bytes each", what, i.Title, maxIssueText)
	}
	switch i.Severity {
	case ImpactMinor, ImpactMajor, ImpactCritical:
	default:
		return invalidf("%s %q: severity %q is not one of minor, major, critical", what, i.Title, i.Severity)
	}
	return nil
}

// Deployment is one version of a service put into one environment.
type Deployment struct {
	ID          int64    `json:"id"`
	Service     string   `json:"service"`
	Version     string   `json:"version"`
	Environment string   `json:"environment"`
	Components  []string `json:"components"`
	Commit      string   `json:"commit,omitempty"`
	PipelineURL string   `json:"pipeline_url,omitempty"`
	Fixes       []Issue  `json:"fixes"`
	Introduces  []Issue  `json:"introduces"`
	// Source says who recorded it: "api", or "codepipeline" for a
	// pipeline's success event.
	Source string `json:"source"`
	// By is the name of the token that recorded it.
	By string    `json:"by"`
	At time.Time `json:"at"`
}

// Validate checks a deployment before it is stored.
func (d *Deployment) Validate() error {
	for _, f := range []struct{ name, v string }{{"service", d.Service}, {"version", d.Version}, {"environment", d.Environment}} {
		if strings.TrimSpace(f.v) == "" {
			return invalidf("a deployment needs a %s", f.name)
		}
		if len(f.v) > maxReleaseText || strings.ContainsAny(f.v, "\r\n\t") {
			return invalidf("deployment %s %q: at most %d characters on one line", f.name, f.v, maxReleaseText)
		}
	}
	if !isSlug(d.Service) || !isSlug(d.Environment) {
		return invalidf("deployment service %q and environment %q must be lower-case letters, digits, '-' and '_'", d.Service, d.Environment)
	}
	if len(d.Commit) > maxReleaseText || len(d.PipelineURL) > maxIssueText {
		return invalidf("deployment %s %s: commit or pipeline URL too long", d.Service, d.Version)
	}
	if d.PipelineURL != "" && !strings.HasPrefix(d.PipelineURL, "https://") && !strings.HasPrefix(d.PipelineURL, "http://") {
		return invalidf("deployment %s %s: pipeline_url must be an http(s) URL", d.Service, d.Version)
	}
	if len(d.Components) > maxReleaseIssues || len(d.Fixes) > maxReleaseIssues || len(d.Introduces) > maxReleaseIssues {
		return invalidf("deployment %s %s: at most %d components, fixes and known issues each", d.Service, d.Version, maxReleaseIssues)
	}
	for _, c := range d.Components {
		if !isSlug(c) {
			return invalidf("deployment %s %s: component %q is not a component id", d.Service, d.Version, c)
		}
	}
	for i := range d.Fixes {
		if err := d.Fixes[i].Validate("fix"); err != nil {
			return err
		}
	}
	for i := range d.Introduces {
		if err := d.Introduces[i].Validate("known issue"); err != nil {
			return err
		}
	}
	return nil
}

// Release names a service's version as people write it: "api 1.4.2". Known
// issues carry it in IntroducedIn and FixedIn.
func (d *Deployment) Release() string { return d.Service + " " + d.Version }

// DeploymentFilter selects deployments, newest first.
type DeploymentFilter struct {
	Service     string
	Version     string
	Environment string
	Limit       int
}

// Outcome is what the release gate decided.
type Outcome string

// The gate's outcomes, with the exit status `safetynet gate` gives each.
const (
	Ship      Outcome = "ship"      // exit 0
	Hold      Outcome = "hold"      // exit 1
	Undecided Outcome = "undecided" // exit 2: the gate could not judge
)

// GateDecision is one answer of the release gate, stored with everything it
// was decided from, so that "why did this ship?" has an answer later.
type GateDecision struct {
	ID      int64   `json:"id"`
	Service string  `json:"service"`
	Version string  `json:"version"`
	To      string  `json:"to"` // target environment
	Outcome Outcome `json:"outcome"`
	// Reason is one paragraph for the person reading the pipeline's log.
	Reason string `json:"reason"`
	// Override is set when a person overrode the policy; Reason is then
	// their written reason.
	Override bool      `json:"override"`
	By       string    `json:"by"` // token name
	At       time.Time `json:"at"`
	// Inputs are the facts the policy judged, as JSON.
	Inputs GateInputs `json:"inputs"`
}

// GateInputs are the facts a gate decision was made from.
type GateInputs struct {
	Policy     string       `json:"policy"` // the policy in words
	Soaks      []SoakResult `json:"soaks"`
	Fixes      []Issue      `json:"fixes"`
	Introduces []Issue      `json:"introduces"`
	// PolicyOutcome is what the policy alone said, before any override.
	PolicyOutcome Outcome `json:"policy_outcome,omitempty"`
}

// SoakResult is how a release fared in one environment it had to soak in.
type SoakResult struct {
	Environment string    `json:"environment"`
	Deployment  int64     `json:"deployment,omitempty"` // 0 when never deployed there
	Start       time.Time `json:"start,omitzero"`
	End         time.Time `json:"end,omitzero"` // when the soak ends or ended
	Required    Duration  `json:"required"`
	Passed      bool      `json:"passed"`
	Done        bool      `json:"done"` // the soak time is over
	// Problems are what happened to its components during the soak, one
	// sentence each.
	Problems []string `json:"problems,omitempty"`
}

// Duration is a time.Duration that reads and writes as "24h0m0s" in JSON.
type Duration time.Duration

// MarshalText writes the duration as Go writes it.
func (d Duration) MarshalText() ([]byte, error) { return []byte(time.Duration(d).String()), nil }

// UnmarshalText reads a Go duration.
func (d *Duration) UnmarshalText(b []byte) error {
	v, err := time.ParseDuration(string(b))
	if err != nil {
		return invalidf("duration %q: %v", b, err)
	}
	*d = Duration(v)
	return nil
}

// ValidateOverride checks an override's written reason.
func ValidateOverride(reason string) error {
	reason = strings.TrimSpace(reason)
	if utf8.RuneCountInString(reason) < 10 {
		return invalidf("an override needs a written reason of at least 10 characters: say why this release must ship")
	}
	if len(reason) > maxReasonText {
		return invalidf("an override reason is at most %d bytes", maxReasonText)
	}
	return nil
}

// BuildEvent is a build, pipeline, deployment action or alarm state change
// that AWS reported, kept for the admin page and for the record.
type BuildEvent struct {
	ID int64 `json:"id"`
	// EventID is EventBridge's id, which makes a redelivered event a
	// duplicate.
	EventID   string    `json:"event_id"`
	Kind      string    `json:"kind"` // codebuild, codepipeline, codepipeline-action, cloudwatch-alarm
	Name      string    `json:"name"` // project, pipeline (and stage/action), or alarm
	Execution string    `json:"execution,omitempty"`
	State     string    `json:"state"` // as AWS writes it: FAILED, SUCCEEDED, ALARM, ...
	Service   string    `json:"service,omitempty"`
	Component string    `json:"component,omitempty"`
	URL       string    `json:"url,omitempty"` // the AWS console
	Summary   string    `json:"summary,omitempty"`
	At        time.Time `json:"at"`
}

// BuildEventFilter selects build events, newest first.
type BuildEventFilter struct {
	Service string
	Kind    string
	Limit   int
}

// ReleaseStore keeps deployments, gate decisions and AWS build events.
type ReleaseStore interface {
	RecordDeployment(ctx context.Context, d Deployment) (Deployment, error)
	Deployments(ctx context.Context, f DeploymentFilter) ([]Deployment, error)
	SaveGateDecision(ctx context.Context, d GateDecision) (GateDecision, error)
	// GateDecisions lists decisions about a service's version (all
	// versions when version is empty), newest first.
	GateDecisions(ctx context.Context, service, version string, limit int) ([]GateDecision, error)
	// SaveBuildEvent stores an event unless one with the same EventID is
	// stored already; it reports whether it was new.
	SaveBuildEvent(ctx context.Context, e BuildEvent) (BuildEvent, bool, error)
	BuildEvents(ctx context.Context, f BuildEventFilter) ([]BuildEvent, error)
}

// DeploymentLookback is how long before an incident's first failure a
// deployment still belongs in its timeline: "deployed 14:01, errors from
// 14:03" is the story a postmortem must be able to tell.
const DeploymentLookback = 2 * time.Hour

// DeploymentMarkers turns the deployments that touched any of components
// between from and to into timeline entries of kind "deployed", oldest
// first, for postmortem timelines and chart markers. A deployment that
// names no components is kept: nothing says it did not touch them.
func DeploymentMarkers(deps []Deployment, components []string, from, to time.Time) []TimelineEntry {
	var out []TimelineEntry
	for _, d := range deps {
		if d.At.Before(from) || d.At.After(to) || !touches(d.Components, components) {
			continue
		}
		text := fmt.Sprintf("%s deployed to %s", d.Release(), d.Environment)
		if d.By != "" {
			text += " by " + d.By
		}
		if len(d.Introduces) > 0 {
			text += fmt.Sprintf(" with %d known issue(s)", len(d.Introduces))
		}
		out = append(out, TimelineEntry{At: d.At, Kind: "deployed", Text: text})
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].At.Before(out[j].At) })
	return out
}

func touches(deployed, components []string) bool {
	if len(deployed) == 0 {
		return true
	}
	for _, d := range deployed {
		for _, c := range components {
			if d == c {
				return true
			}
		}
	}
	return false
}
