package config_test

import (
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/safetynet-dev/safetynet/release"
	"github.com/safetynet-dev/safetynet/status"
)

func TestReleasesDefault(t *testing.T) {
	c := MustParse(t, "server:\n  listen: 127.0.0.1:8080\n", env(nil, nil))
	if !reflect.DeepEqual(c.Releases.Policy, release.DefaultPolicy()) || c.Releases.PublishIn != "production" {
		t.Errorf("Releases = %+v, want the default policy", c.Releases)
	}
}

const releasesSrc = `
components:
  - id: api
    name: API
    owner: platform
  - id: payments
    name: Payments
notifiers:
  - name: hook
    kind: webhook
    url: https://hooks.example.com/x
teams:
  - name: platform
    notifiers: [hook]
releases:
  soak:
    staging: 2h
    canary: 30m
  requires:
    production: [staging, canary]
  known_issues: none
aws_events:
  codebuild:
    - project: api-build
      service: api
      components: [api]
  codepipeline:
    - pipeline: api-pipeline
      service: api
      team: platform
      components: [api]
      environment: production
      stages:
        Staging: staging
  alarms:
    - alarm: payments-5xx
      component: payments
      status: partial_outage
`

func TestReleasesSections(t *testing.T) {
	c := MustParse(t, releasesSrc, env(nil, nil))
	p := c.Releases.Policy
	if p.Soak["staging"] != 2*time.Hour || p.Soak["canary"] != 30*time.Minute || len(p.Soak) != 2 ||
		strings.Join(p.Requires["production"], ",") != "staging,canary" || p.KnownIssues != release.NoKnownIssues {
		t.Errorf("policy = %+v", p)
	}
	m := c.Releases.AWS
	if len(m.Builds) != 1 || m.Builds[0].Project != "api-build" || m.Builds[0].Service != "api" ||
		len(m.Pipelines) != 1 || m.Pipelines[0].Environment != "production" || m.Pipelines[0].Stages["Staging"] != "staging" || m.Pipelines[0].Team != "platform" ||
		len(m.Alarms) != 1 || m.Alarms[0].Component != "payments" || m.Alarms[0].Status != status.PartialOutage {
		t.Errorf("aws mapping = %+v", m)
	}
	other := MustParse(t, strings.Replace(releasesSrc, "staging: 2h", "staging: 3h", 1), env(nil, nil))
	if other.Sum == c.Sum {
		t.Error("changing a soak time left Sum unchanged, so a reload would miss it")
	}
}

func TestReleasesErrors(t *testing.T) {
	for _, tc := range []struct {
		name, src string
		want      []string
	}{
		{"unknown rule", "releases:\n  known_issues: sometimes\n",
			[]string{`2:17: releases.known_issues: "sometimes" is not one of fix_outranks, none, any`}},
		{"required without soak", "releases:\n  requires:\n    production: [qa]\n",
			[]string{`3:17: releases.requires.production: "qa" has no soak time under releases.soak`}},
		{"soak too long", "releases:\n  soak:\n    staging: 2000h\n",
			[]string{`3:14: releases.soak.staging: between 1s and 720h0m0s, not 2000h0m0s`}},
		{"typo", "releases:\n  soaks:\n    staging: 1h\n", []string{`2:3: unknown key "soaks" in releases (did you mean "soak"?)`}},
		{"unknown component", "aws_events:\n  alarms:\n    - alarm: x\n      component: nope\n",
			[]string{`4:18: aws_events.alarms[0]: unknown component "nope" (no components are defined)`}},
		{"duplicate project", "aws_events:\n  codebuild:\n    - project: a\n      service: s\n    - project: a\n      service: s\n",
			[]string{`5:16: aws_events.codebuild[1]: duplicate project "a" (first at line 3)`}},
		{"no service", "aws_events:\n  codebuild:\n    - project: a\n", []string{`3:7: aws_events.codebuild[0]: service is missing`}},
		{"bad alarm status", "components:\n  - id: api\n    name: API\naws_events:\n  alarms:\n    - alarm: x\n      component: api\n      status: red\n",
			[]string{`8:15: aws_events.alarms[0]: status "red" is not one of degraded_performance, partial_outage, major_outage`}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := parseErrors(t, tc.src, env(nil, nil))
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("errors:\n got %q\nwant %q", got, tc.want)
			}
		})
	}
}
