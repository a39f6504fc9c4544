package release

import (
	"context"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"github.com/safetynet-dev/safetynet"
	"github.com/safetynet-dev/safetynet/status"
)

// Store is what the release service keeps and reads: deployments and
// decisions, known issues, component status changes, alerts, and the
// notification outbox. store.DB has all of it.
type Store interface {
	status.ReleaseStore
	SaveKnownIssue(ctx context.Context, k status.KnownIssue) (status.KnownIssue, error)
	KnownIssues(ctx context.Context, includeResolved bool) ([]status.KnownIssue, error)
	Changes(ctx context.Context, f status.ChangeFilter) ([]status.Change, error)
	Alerts(ctx context.Context, f status.AlertFilter) ([]status.Alert, error)
	OpenAlert(ctx context.Context, a status.Alert) (status.Alert, bool, error)
	ResolveAlert(ctx context.Context, id int64, at time.Time) error
	Enqueue(ctx context.Context, ns []status.Notification) (int, error)
}

// Settings are the parts of the configuration the service follows; a
// reload replaces them whole.
type Settings struct {
	Policy Policy
	// PublishIn is the environment whose ship decisions publish a
	// release's public known issues on the status page (default
	// production).
	PublishIn string
	AWS       Mapping
}

// Service records deployments, runs the gate and acts on AWS events.
type Service struct {
	Store    Store
	Settings func() Settings
	// Plan gives the components, teams and routes, for notifications.
	Plan func() status.Plan
	// Redecide recomputes component statuses after an alarm opened or
	// closed an alert (the monitor's Evaluate); nil waits for the next
	// evaluation.
	Redecide func(ctx context.Context)
	// Poke wakes the notifier after messages were queued.
	Poke   func()
	Now    func() time.Time
	Logger *slog.Logger
}

func (s *Service) now() time.Time {
	if s.Now != nil {
		return s.Now().UTC().Truncate(time.Microsecond)
	}
	return time.Now().UTC().Truncate(time.Microsecond)
}

func (s *Service) log() *slog.Logger {
	if s.Logger != nil {
		return s.Logger
	}
	return slog.New(slog.DiscardHandler)
}

func (s *Service) settings() Settings {
	st := Settings{Policy: DefaultPolicy()}
	if s.Settings != nil {
		st = s.Settings()
	}
	if st.PublishIn == "" {
		st.PublishIn = "production"
	}
	return st
}

// Record stores a deployment by a token.
func (s *Service) Record(ctx context.Context, d status.Deployment) (status.Deployment, error) {
	if d.At.IsZero() {
		d.At = s.now()
	}
	if d.Source == "" {
		d.Source = "api"
	}
	if err := s.knownComponents(d.Components); err != nil {
		return status.Deployment{}, err
	}
	return s.Store.RecordDeployment(ctx, d)
}

// knownComponents refuses component IDs the configuration lacks, so that a
// typo does not make a soak that watches nothing pass.
func (s *Service) knownComponents(ids []string) error {
	if s.Plan == nil {
		return nil
	}
	plan := s.Plan()
	for _, id := range ids {
		found := false
		for _, c := range plan.Components {
			found = found || c.ID == id
		}
		if !found {
			return safetynet.Errorf(safetynet.EINVALID, "no component %q in the configuration", id)
		}
	}
	return nil
}

// Gate decides whether service's version may go to the target environment,
// stores the decision with its inputs and returns it. A release the policy
// holds still ships when someone overrode the gate for it with a reason.
func (s *Service) Gate(ctx context.Context, service, version, to, by string) (status.GateDecision, error) {
	if err := validRelease(service, version, to); err != nil {
		return status.GateDecision{}, err
	}
	st := s.settings()
	facts, err := s.facts(ctx, st.Policy, service, version, to)
	if err != nil {
		return status.GateDecision{}, err
	}
	outcome, reason := st.Policy.Decide(facts)
	d := status.GateDecision{Service: service, Version: version, To: to, Outcome: outcome, Reason: reason, By: by, At: s.now(),
		Inputs: status.GateInputs{Policy: st.Policy.Describe(to), Soaks: facts.Soaks, Fixes: facts.Fixes, Introduces: facts.Introduces, PolicyOutcome: outcome}}
	if outcome != status.Ship {
		if o, ok, err := s.override(ctx, service, version, to); err != nil {
			return status.GateDecision{}, err
		} else if ok {
			d.Outcome = status.Ship
			d.Reason = fmt.Sprintf("Ship %s %s to %s on the override by %s at %s: %q. The policy alone would say: %s",
				service, version, to, o.By, o.At.Format("2006-01-02 15:04 MST"), o.Reason, reason)
		}
	}
	saved, err := s.Store.SaveGateDecision(ctx, d)
	if err != nil {
		return status.GateDecision{}, err
	}
	if saved.Outcome == status.Ship && to == st.PublishIn {
		if err := s.publish(ctx, service, version, facts); err != nil {
			return status.GateDecision{}, err
		}
	}
	return saved, nil
}

// Override records that a person with a deploy token ships a release the
// policy would hold, with their written reason. No one else is asked: the
// record is the safety net.
func (s *Service) Override(ctx context.Context, service, version, to, reason, by string) (status.GateDecision, error) {
	if err := validRelease(service, version, to); err != nil {
		return status.GateDecision{}, err
	}
	if err := status.ValidateOverride(reason); err != nil {
		return status.GateDecision{}, err
	}
	st := s.settings()
	facts, err := s.facts(ctx, st.Policy, service, version, to)
	if err != nil {
		return status.GateDecision{}, err
	}
	policyOutcome, _ := st.Policy.Decide(facts)
	d := status.GateDecision{Service: service, Version: version, To: to, Outcome: status.Ship, Override: true, Reason: strings.TrimSpace(reason), By: by, At: s.now(),
		Inputs: status.GateInputs{Policy: st.Policy.Describe(to), Soaks: facts.Soaks, Fixes: facts.Fixes, Introduces: facts.Introduces, PolicyOutcome: policyOutcome}}
	saved, err := s.Store.SaveGateDecision(ctx, d)
	if err != nil {
		return status.GateDecision{}, err
	}
	s.log().Info("release gate overridden", "service", service, "version", version, "to", to, "by", by)
	if to == st.PublishIn {
		if err := s.publish(ctx, service, version, facts); err != nil {
			return status.GateDecision{}, err
		}
	}
	return saved, nil
}

// override finds the latest override of a release to an environment.
func (s *Service) override(ctx context.Context, service, version, to string) (status.GateDecision, bool, error) {
	ds, err := s.Store.GateDecisions(ctx, service, version, 200)
	if err != nil {
		return status.GateDecision{}, false, err
	}
	for _, d := range ds {
		if d.Override && d.To == to {
			return d, true, nil
		}
	}
	return status.GateDecision{}, false, nil
}

func validRelease(service, version, to string) error {
	d := status.Deployment{Service: service, Version: version, Environment: to}
	return d.Validate()
}

// facts gathers what the policy judges: the release's latest deployment
// in each soak environment and how it fared, and the issues it declared.
func (s *Service) facts(ctx context.Context, p Policy, service, version, to string) (Facts, error) {
	f := Facts{Service: service, Version: version, Target: to}
	all, err := s.Store.Deployments(ctx, status.DeploymentFilter{Service: service, Version: version, Limit: 200})
	if err != nil {
		return Facts{}, err
	}
	for _, d := range all {
		// The newest record that declares issues speaks for the release:
		// a pipeline's own record of the same version declares none.
		if len(d.Fixes)+len(d.Introduces) > 0 {
			f.Fixes, f.Introduces = d.Fixes, d.Introduces
			break
		}
	}
	envs := p.SoakEnvironments(to)
	if len(all) == 0 && len(envs) == 0 {
		f.Unknown = fmt.Sprintf("no deployment of %s %s was recorded, so what it fixes and brings is unknown", service, version)
		return f, nil
	}
	now := s.now()
	for _, env := range envs {
		var dep *status.Deployment
		for i := range all {
			if all[i].Environment == env {
				dep = &all[i]
				break
			}
		}
		if dep == nil {
			f.Soaks = append(f.Soaks, status.SoakResult{Environment: env, Required: status.Duration(p.Soak[env])})
			continue
		}
		if len(dep.Components) == 0 {
			f.Unknown = fmt.Sprintf("its deployment to %s names no components, so nothing watched its soak", env)
			return f, nil
		}
		obs, err := s.observe(ctx, *dep, p.Soak[env], now)
		if err != nil {
			return Facts{}, err
		}
		if obs.Next, err = s.next(ctx, *dep); err != nil {
			return Facts{}, err
		}
		f.Soaks = append(f.Soaks, EvaluateSoak(*dep, p.Soak[env], obs, now))
	}
	return f, nil
}

// next finds the first deployment of another version of d's service to
// d's environment after d.
func (s *Service) next(ctx context.Context, d status.Deployment) (*status.Deployment, error) {
	ds, err := s.Store.Deployments(ctx, status.DeploymentFilter{Service: d.Service, Environment: d.Environment, Limit: 200})
	if err != nil {
		return nil, err
	}
	var next *status.Deployment
	for i := range ds { // newest first
		if ds[i].At.After(d.At) && ds[i].Version != d.Version {
			next = &ds[i]
		}
	}
	return next, nil
}

// observe reads the status changes and alerts of a deployment's components
// from its start to the end of its soak (or now).
func (s *Service) observe(ctx context.Context, d status.Deployment, soak time.Duration, now time.Time) (Observations, error) {
	obs := Observations{Changes: map[string][]status.Change{}}
	until := d.At.Add(soak)
	if now.Before(until) {
		until = now
	}
	until = until.Add(time.Microsecond) // Changes' Until is exclusive
	for _, c := range d.Components {
		before, err := s.Store.Changes(ctx, status.ChangeFilter{Component: c, Until: d.At, Limit: 1})
		if err != nil {
			return Observations{}, err
		}
		during, err := s.Store.Changes(ctx, status.ChangeFilter{Component: c, Since: d.At, Until: until})
		if err != nil {
			return Observations{}, err
		}
		obs.Changes[c] = append(before, during...)
		as, err := s.Store.Alerts(ctx, status.AlertFilter{Component: c, Since: d.At})
		if err != nil {
			return Observations{}, err
		}
		obs.Alerts = append(obs.Alerts, as...)
	}
	return obs, nil
}

// publish records a shipped release's known issues (public ones show on
// the status page) and closes the known issues it fixes. It is idempotent:
// a second ship decision adds nothing. The HTTP layer drops its cached
// public page after a ship decision.
func (s *Service) publish(ctx context.Context, service, version string, f Facts) error {
	rel := service + " " + version
	ks, err := s.Store.KnownIssues(ctx, true)
	if err != nil {
		return err
	}
	comps := s.releaseComponents(ctx, service, version)
	for _, is := range f.Introduces {
		exists := false
		for _, k := range ks {
			exists = exists || k.IntroducedIn == rel && strings.EqualFold(k.Title, is.Title)
		}
		if exists {
			continue
		}
		_, err := s.Store.SaveKnownIssue(ctx, status.KnownIssue{Title: is.Title, Description: is.Description, Workaround: is.Workaround, Severity: is.Severity,
			Components: comps, Public: is.Public, IntroducedIn: rel, CreatedAt: s.now()})
		if err != nil {
			return fmt.Errorf("release: publish known issue %q: %w", is.Title, err)
		}
	}
	for _, fix := range f.Fixes {
		for _, k := range ks {
			if k.ResolvedAt != nil || k.IntroducedIn == rel {
				continue
			}
			same := fix.KnownIssue != 0 && fix.KnownIssue == k.ID ||
				fix.KnownIssue == 0 && strings.EqualFold(strings.TrimSpace(k.Title), fix.Title) && (strings.HasPrefix(k.IntroducedIn, service+" ") || overlaps(k.Components, comps))
			if !same {
				continue
			}
			at := s.now()
			k.FixedIn, k.ResolvedAt = rel, &at
			if _, err := s.Store.SaveKnownIssue(ctx, k); err != nil {
				return fmt.Errorf("release: close known issue %d: %w", k.ID, err)
			}
		}
	}
	return nil
}

// releaseComponents are the components a release's newest deployment
// names.
func (s *Service) releaseComponents(ctx context.Context, service, version string) []string {
	ds, err := s.Store.Deployments(ctx, status.DeploymentFilter{Service: service, Version: version, Limit: 1})
	if err != nil || len(ds) == 0 {
		return []string{}
	}
	return ds[0].Components
}

func overlaps(a, b []string) bool {
	for _, x := range a {
		if contains(b, x) {
			return true
		}
	}
	return false
}
