package codepipeline_test

import (
	"strings"
	"testing"

	"github.com/safetynet-dev/safetynet/pipeline/codepipeline"
	"github.com/safetynet-dev/safetynet/scan"
)

// A pipeline scans the way `safetynet scan` does in the same repository:
// the artifact's .safetynet.yml supplies paths, fail_on, suppression file
// and baseline, and UserParameters override it key by key.
func TestRepositoryConfig(t *testing.T) {
	network := mustRead(t, "testdata/network.yaml")
	base := []entry{
		{name: "infra/network.yaml", data: network},
		{name: "infra/test/fixture.yaml", data: network},
		{name: "legacy/old.yaml", data: network},
	}
	withConfig := func(config string, more ...entry) []byte {
		return mustZip(t, append(append([]entry{{name: ".safetynet.yml", data: config}}, base...), more...)...)
	}
	baseline := scan.NewBaseline([]scan.Finding{{
		Rule: "SG-010", File: "infra/network.yaml", Resource: "Open",
		Fingerprint: scan.Fingerprint("SG-010", "infra/network.yaml", "Open", "Resources.Open.Properties.SecurityGroupIngress[0].CidrIp"),
	}}).Marshal()

	for _, tc := range []struct {
		name, params string
		art          []byte
		success      bool
		want         []string // regexps on the message or summary
		absent       []string
	}{
		{name: "paths, exclude and fail_on from the config",
			art:  withConfig("paths: [infra/]\nexclude: [\"infra/test/**\"]\nfail_on: warning\n"),
			want: []string{`^safetynet: 5 findings at or above warning in 1 template from input artifact "SourceArtifact" with \.safetynet\.yml`, `infra/network\.yaml:7 SG-009`},
			// Only the configured paths are scanned, less the excluded.
			absent: []string{"legacy/", "infra/test/"}},
		{name: "UserParameters win", params: `{"fail_on": "none", "pattern": "legacy/*.yaml"}`,
			art: withConfig("paths: [infra/]\nfail_on: warning\n"), success: true,
			want: []string{`1 template from input artifact "SourceArtifact" with \.safetynet\.yml passed \(fail_on none\)`, `legacy/old\.yaml:10 SG-010`}},
		{name: "suppression file",
			art: withConfig("paths: [infra/network.yaml]\nsuppressions: .safetynet-suppressions.yml\n",
				entry{name: ".safetynet-suppressions.yml", data: "suppressions:\n  - rule: SG-010\n    file: infra/*.yaml\n    reason: bastion, reviewed in SEC-7\n  - rule: SG-004\n    reason: egress is open on purpose for this group\n"}),
			success: true, want: []string{`passed \(fail_on failure\): 3 warnings; 2 suppressed with a reason\.`}},
		{name: "baseline",
			art: withConfig("paths: [\"infra/*.yaml\"]\nbaseline: .safetynet-baseline.json\n",
				entry{name: ".safetynet-baseline.json", data: string(baseline)}),
			want:   []string{`1 finding at or above failure .*; 1 in the baseline\)`, `SG-004`},
			absent: []string{"SG-010"}},
		{name: "config turned off", params: `{"config": ""}`,
			art:  withConfig("paths: [nowhere/]\nfail_on: none\n"),
			want: []string{`in 3 templates from input artifact "SourceArtifact" \(`}},
		{name: "another config file", params: `{"config": "ci/safetynet.yml"}`,
			art:  withConfig("fail_on: none\n", entry{name: "ci/safetynet.yml", data: "paths: [legacy]\n"}),
			want: []string{`in 1 template from input artifact "SourceArtifact" with ci/safetynet\.yml`, `legacy/old\.yaml`}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f, h := setup(t, tc.art, codepipeline.Limits{})
			c := mustRun(t, f, h, mustEvent(t, tc.params))
			var text string
			if tc.success {
				if c.Target != targetSuccess {
					t.Fatalf("got %s %+v, want success", c.Target, c.FailureDetails)
				}
				text = c.ExecutionDetails.Summary
				for _, w := range tc.want {
					if !matches(w, text) {
						t.Errorf("summary does not match %q:\n%s", w, text)
					}
				}
			} else {
				text = mustFail(t, c, "JobFailed", tc.want...)
			}
			for _, a := range tc.absent {
				if strings.Contains(text, a) {
					t.Errorf("%q should not appear:\n%s", a, text)
				}
			}
		})
	}
}

func TestBadRepositoryConfig(t *testing.T) {
	network := mustRead(t, "testdata/network.yaml")
	for _, tc := range []struct{ name, params, config, want string }{
		{name: "unknown key", config: "paths: [infra/]\nfail-on: warning\n", want: `(?s)repository config: \.safetynet\.yml: .*line 2: field fail-on not found`},
		{name: "missing suppression file", config: "suppressions: supp.yml\n", want: `\.safetynet\.yml: suppressions: "supp\.yml" is not in input artifact "SourceArtifact"`},
		{name: "path not in the artifact", config: "paths: [infra/, stacks/]\n", want: `\.safetynet\.yml: paths: "stacks/" is not a file or folder in input artifact "SourceArtifact"`},
		{name: "bad rules", config: "rules: [all, -NOPE-1]\n", want: `\.safetynet\.yml: rules: rule selection "NOPE-1" matches no rule`},
		{name: "named config missing", params: `{"config": "ci/safetynet.yml"}`, config: "", want: `config: "ci/safetynet\.yml" is not in input artifact`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			art := mustZip(t, entry{name: ".safetynet.yml", data: tc.config}, entry{name: "infra/network.yaml", data: network})
			f, h := setup(t, art, codepipeline.Limits{})
			mustFail(t, mustRun(t, f, h, mustEvent(t, tc.params)), "ConfigurationError", tc.want)
		})
	}
}
