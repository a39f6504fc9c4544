// Package report turns a scan result into the formats people and pipelines
// read: a human text report, a stable JSON contract, SARIF 2.1.0 for code
// scanning, JUnit XML for CodeBuild test reports, and GitHub Actions
// workflow commands.
//
// Formatters never decide anything about the scan: what was found, what is
// suppressed and what fails the build are settled before Write is called.
// Each format lives in its own file and is golden-tested; adding one means
// a new file and one line in the table in report.go.
package report
