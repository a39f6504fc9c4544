package config

import (
	"fmt"
	"reflect"
	"sort"
	"time"

	yaml "go.yaml.in/yaml/v3"

	"github.com/safetynet-dev/safetynet/release"
	"github.com/safetynet-dev/safetynet/status"
)

// fileReleases is the releases: section, the release gate's policy. Every
// key is optional; an absent soak or requires keeps the default:
//
//	releases:
//	  soak:                        # how long a release runs in an environment before it goes on
//	    staging: 24h
//	  requires:                    # target environment: environments to soak in first
//	    production: [staging]
//	  known_issues: fix_outranks   # fix_outranks (default), none or any
//	  publish_in: production       # shipping here publishes the release's public known issues
type fileReleases struct {
	Soak        map[string]time.Duration `yaml:"soak"`
	Requires    map[string][]string      `yaml:"requires"`
	KnownIssues string                   `yaml:"known_issues"`
	PublishIn   string                   `yaml:"publish_in"`
}

// fileAWSEvents is the aws_events: section: which service, team and
// components each CodeBuild project, CodePipeline pipeline and CloudWatch
// alarm belongs to.
type fileAWSEvents struct {
	CodeBuild    []*yaml.Node `yaml:"codebuild"`
	CodePipeline []*yaml.Node `yaml:"codepipeline"`
	Alarms       []*yaml.Node `yaml:"alarms"`
}

type fileBuildTarget struct {
	Project    string   `yaml:"project"`
	Service    string   `yaml:"service"`
	Team       string   `yaml:"team"`
	Components []string `yaml:"components"`
}

type filePipelineTarget struct {
	Pipeline    string            `yaml:"pipeline"`
	Service     string            `yaml:"service"`
	Team        string            `yaml:"team"`
	Components  []string          `yaml:"components"`
	Environment string            `yaml:"environment"`
	Stages      map[string]string `yaml:"stages"`
}

type fileAlarmTarget struct {
	Alarm     string        `yaml:"alarm"`
	Component string        `yaml:"component"`
	Status    status.Status `yaml:"status"`
	Team      string        `yaml:"team"`
}

// maxSoak bounds a soak time: a longer one is a typo that would hold every
// release for weeks.
const maxSoak = 30 * 24 * time.Hour

// releases reads the releases: section into Config.Releases.Policy,
// starting from release.DefaultPolicy.
func (b *builder) releases(n *yaml.Node) {
	def := release.DefaultPolicy()
	var f fileReleases
	b.d.decode(n, reflect.ValueOf(&f).Elem(), "releases")
	p := release.Policy{Soak: def.Soak, Requires: def.Requires, KnownIssues: def.KnownIssues}
	if f.Soak != nil {
		p.Soak = f.Soak
	}
	if f.Requires != nil {
		p.Requires = f.Requires
	}
	if f.KnownIssues != "" {
		p.KnownIssues = release.KnownIssueRule(f.KnownIssues)
	}
	sn := lookup(n, "soak")
	for _, env := range sortedKeys(p.Soak) {
		d := p.Soak[env]
		pos := at(sn, env)
		if !slugRE.MatchString(env) {
			b.errorf(pos, "releases.soak: environment %q must be lower-case letters, digits, '-' or '_'", env)
		}
		if d <= 0 || d > maxSoak {
			b.errorf(pos, "releases.soak.%s: between 1s and %s, not %s", env, maxSoak, d)
		}
	}
	rn := lookup(n, "requires")
	for _, target := range sortedKeys(p.Requires) {
		for _, env := range p.Requires[target] {
			switch {
			case env == target:
				b.errorf(at(rn, target), "releases.requires.%s: an environment cannot require a soak in itself", target)
			case p.Soak[env] == 0:
				b.errorf(at(rn, target), "releases.requires.%s: %q has no soak time under releases.soak", target, env)
			}
		}
	}
	switch p.KnownIssues {
	case release.FixOutranks, release.NoKnownIssues, release.AnyKnownIssues:
	default:
		b.errorf(at(n, "known_issues"), "releases.known_issues: %q is not one of fix_outranks, none, any", p.KnownIssues)
	}
	b.cfg.Releases.Policy = p
	b.cfg.Releases.PublishIn = f.PublishIn
	if b.cfg.Releases.PublishIn == "" {
		b.cfg.Releases.PublishIn = "production"
	}
}

// awsEvents reads the aws_events: section into Config.Releases.AWS.
func (b *builder) awsEvents(n *yaml.Node) {
	var f fileAWSEvents
	b.d.decode(n, reflect.ValueOf(&f).Elem(), "aws_events")
	m := &b.cfg.Releases.AWS
	seen := map[string]*yaml.Node{}
	for i, c := range f.CodeBuild {
		path := fmt.Sprintf("aws_events.codebuild[%d]", i)
		var t fileBuildTarget
		b.d.decode(c, reflect.ValueOf(&t).Elem(), path)
		if !b.awsName(c, "project", t.Project, path, seen) {
			continue
		}
		b.awsOwner(c, path, t.Service, t.Team, t.Components)
		m.Builds = append(m.Builds, release.BuildTarget{Project: t.Project, Service: t.Service, Team: t.Team, Components: t.Components})
	}
	for i, c := range f.CodePipeline {
		path := fmt.Sprintf("aws_events.codepipeline[%d]", i)
		var t filePipelineTarget
		b.d.decode(c, reflect.ValueOf(&t).Elem(), path)
		if !b.awsName(c, "pipeline", t.Pipeline, path, seen) {
			continue
		}
		b.awsOwner(c, path, t.Service, t.Team, t.Components)
		envs := []string{t.Environment}
		for _, e := range t.Stages {
			envs = append(envs, e)
		}
		for _, e := range envs {
			if e != "" && !slugRE.MatchString(e) {
				b.errorf(c, "%s: environment %q must be lower-case letters, digits, '-' or '_'", path, e)
			}
		}
		if (t.Environment != "" || len(t.Stages) > 0) && len(t.Components) == 0 {
			b.errorf(c, "%s: a pipeline that records deployments needs components, or their soak would watch nothing", path)
		}
		m.Pipelines = append(m.Pipelines, release.PipelineTarget{Pipeline: t.Pipeline, Service: t.Service, Team: t.Team, Components: t.Components, Environment: t.Environment, Stages: t.Stages})
	}
	for i, c := range f.Alarms {
		path := fmt.Sprintf("aws_events.alarms[%d]", i)
		var t fileAlarmTarget
		b.d.decode(c, reflect.ValueOf(&t).Elem(), path)
		if !b.awsName(c, "alarm", t.Alarm, path, seen) {
			continue
		}
		if t.Component == "" {
			b.errorf(c, "%s: component is missing: an alarm drives a component's status", path)
			continue
		}
		b.refer(at(c, "component"), "component", t.Component, path)
		if t.Team != "" {
			b.refer(at(c, "team"), "team", t.Team, path)
		}
		switch t.Status {
		case "", status.Degraded, status.PartialOutage, status.MajorOutage:
		default:
			b.errorf(at(c, "status"), "%s: status %q is not one of degraded_performance, partial_outage, major_outage", path, t.Status)
		}
		m.Alarms = append(m.Alarms, release.AlarmTarget{Alarm: t.Alarm, Component: t.Component, Status: t.Status, Team: t.Team})
	}
}

// awsName checks the AWS resource name an entry maps; names are unique per
// kind ("project api", "alarm api" may both exist).
func (b *builder) awsName(n *yaml.Node, key, name, path string, seen map[string]*yaml.Node) bool {
	if name == "" {
		b.errorf(n, "%s: %s is missing", path, key)
		return false
	}
	if first, dup := seen[key+" "+name]; dup {
		b.errorf(at(n, key), "%s: duplicate %s %q (first at line %d)", path, key, name, first.Line)
		return false
	}
	seen[key+" "+name] = at(n, key)
	return true
}

// awsOwner checks an entry's service, team and components.
func (b *builder) awsOwner(n *yaml.Node, path, service, team string, comps []string) {
	if service == "" {
		b.errorf(n, "%s: service is missing", path)
	} else if !slugRE.MatchString(service) {
		b.errorf(at(n, "service"), "%s: service %q must be lower-case letters, digits, '-' or '_'", path, service)
	}
	if team != "" {
		b.refer(at(n, "team"), "team", team, path)
	}
	b.refList(n, "components", "component", comps, path)
}

func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
