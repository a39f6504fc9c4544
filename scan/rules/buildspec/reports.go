package buildspec

import (
	"github.com/safetynet-dev/safetynet/scan"
)

// TestsWithoutReports reports buildspecs that run tests but publish no
// test report.
var TestsWithoutReports = &scan.Rule{
	ID:        "BUILDSPEC-002",
	Title:     "Buildspec runs tests but publishes no test report",
	Severity:  scan.Info,
	Resources: project,
	Doc: `A buildspec's reports section hands test results (JUnit XML, Cucumber,
TestNG, NUnit, Visual Studio TRX) or coverage to a CodeBuild report group.
Without it the only record of which tests failed, and since when, is a
build log that expires with its retention, and nobody sees a test that
starts being skipped or a suite that silently stops running. A report
group keeps pass rates, durations and trends per test case.

Bad:

~~~yaml
version: 0.2
phases:
  build:
    commands:
      - go test ./...
~~~

Good:

~~~yaml
version: 0.2
phases:
  build:
    commands:
      - gotestsum --junitfile report.xml -- ./...
      - go test ./...
reports:
  unit-tests:
    files: [report.xml]
    file-format: JUNITXML
~~~
`,
	Fix:            "Have the test run write JUnit XML (or another supported format) and add a reports section naming it.",
	CheckBuildspec: checkReports,
}

func init() { TestsWithoutReports.Check = inline(checkReports) }

func checkReports(p *scan.BuildspecPass) {
	if !p.Spec.ReportsKey.IsZero() {
		return
	}
	t, l := firstTest(p.Spec)
	if l == nil {
		return
	}
	p.Reportf(l.at.At, endOf(*l), l.cmd.Path, "%s runs, but the buildspec has no reports section, so test results are kept only in the build log", t)
}
