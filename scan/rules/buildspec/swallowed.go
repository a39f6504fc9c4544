package buildspec

import (
	"strings"

	"github.com/safetynet-dev/safetynet/cfn"
	"github.com/safetynet-dev/safetynet/scan"
)

// SwallowedTestFailure reports test runs whose failure cannot fail the build.
var SwallowedTestFailure = &scan.Rule{
	ID:        "BUILDSPEC-001",
	Title:     "Buildspec runs tests whose failure does not fail the build",
	Severity:  scan.Failure,
	Resources: project,
	Doc: `A build is a safety net only if a failing test stops it. CodeBuild fails
a phase when a command exits non-zero, so anything that turns the test
run's exit status into success lets broken code through to the next stage
of the pipeline with a green build:

- ` + "`|| true`, `|| :`, `|| exit 0` or `|| echo ...`" + ` after the test command,
  or ` + "`; true` / `; exit 0`" + ` at the end of its line;
- piping the test run into another command (` + "`go test ./... | tee out.txt`" + `)
  without ` + "`set -o pipefail`" + `: the line's status is the last command's;
- ` + "`set +e`" + ` earlier in the same phase (and no ` + "`set -e`" + ` after it);
- ` + "`on-failure: CONTINUE`" + ` on a phase that runs tests.

A test run is recognised by its tool: go test, npm/yarn/pnpm test, jest,
vitest, mocha, pytest, tox, mvn test/verify, gradle test/check, make
test/check, dotnet test, cargo test, phpunit, rspec, rake test and others.
If a test suite is known to be flaky, quarantine the flaky tests rather than
the whole suite.

Bad:

~~~yaml
version: 0.2
phases:
  build:
    commands:
      - go test ./... || true
      - npm test 2>&1 | tee test.log
~~~

Good:

~~~yaml
version: 0.2
phases:
  build:
    commands:
      - go test ./...
      - set -o pipefail; npm test 2>&1 | tee test.log
~~~
`,
	Fix:            "Let the test command's exit status fail the phase: drop the || true, set -o pipefail before a pipe, remove set +e and on-failure: CONTINUE.",
	CheckBuildspec: checkSwallowed,
}

func init() { SwallowedTestFailure.Check = inline(checkSwallowed) }

func checkSwallowed(p *scan.BuildspecPass) {
	for _, ph := range p.Spec.Phases {
		lines := phaseLines(ph)
		var tests string
		var offAt, pipefail int // line of the last set +e, 0 when errexit is not off
		for _, l := range lines {
			e, pf := errexit(l.text)
			blanked := blankQuotes(l.text)
			stmts := statements(blanked)
			i, t := testStatement(stmts)
			tail := alwaysSucceeds.FindStringIndex(blanked)
			switch {
			case t == "":
			case tail != nil && testRun(l.text[:tail[0]]) != "":
				// Name the operator, not the command after it, which may
				// echo anything.
				what := strings.Join(strings.Fields(blanked[tail[0]:]), " ")
				if strings.Contains(what, "echo") {
					what = what[:strings.Index(what, "echo")+4] + " ..."
				}
				p.Reportf(l.at.At, endOf(l), l.cmd.Path, "%s fails, but %q turns its failure into success", t, what)
			case offAt > 0 && e <= 0:
				p.Reportf(l.at.At, endOf(l), l.cmd.Path, "%s runs after set +e (line %d), so its failure does not stop the phase", t, offAt)
			case pipefail <= 0 && pf <= 0 && stmts[i].sep == "|":
				next := strings.Fields(stmts[i+1].text)
				into := "another command"
				if len(next) > 0 {
					into = next[0]
				}
				p.Reportf(l.at.At, endOf(l), l.cmd.Path, "%s is piped into %s without set -o pipefail, so the line's exit status is %s's", t, into, into)
			}
			if t != "" && tests == "" {
				tests = t
			}
			switch {
			case e < 0:
				offAt = l.at.At.Line
			case e > 0:
				offAt = 0
			}
			if pf != 0 {
				pipefail = pf
			}
		}
		if tests != "" && ph.OnFailure != nil && strings.HasSuffix(strings.ToUpper(strings.TrimSpace(ph.OnFailure.Text)), "CONTINUE") {
			p.Reportf(ph.OnFailure.Start, ph.OnFailure.End, ph.OnFailure.Path, "phase %s runs %s with on-failure: %s, so failing tests do not fail the build", ph.Name, tests, ph.OnFailure.Text)
		}
	}
}

// endOf returns where a command line ends, when known: a single-line
// command's end.
func endOf(l shellLine) (end cfn.Pos) {
	if !l.cmd.Block {
		return l.cmd.End
	}
	return cfn.Pos{}
}
