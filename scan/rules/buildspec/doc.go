// Package buildspec holds the rules about AWS CodeBuild buildspecs, the
// build-and-test safety net of a pipeline: tests whose failures are
// swallowed, secrets in plain-text variables, unpinned runtimes and images,
// privileged builds that build no image. Each rule reads buildspec files
// (buildspec.yml and the like, or any YAML file with top-level version and
// phases) and the buildspecs written inline in the Source.BuildSpec of
// AWS::CodeBuild::Project resources, whose findings point into the
// template.
//
// A finding in a buildspec file is suppressed with a comment,
//
//	commands:
//	  - make test || true # safetynet:suppress BUILDSPEC-001 quarantined (CI-7)
//
// or through the suppression file by path; one in an inline buildspec with
// the project's safetynet or cfn_nag metadata, like any resource finding.
package buildspec
