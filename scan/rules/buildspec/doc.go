// Package buildspec holds the rules about AWS CodeBuild buildspecs, the
// build-and-test safety net of a pipeline: tests whose failures are
// swallowed, secrets in plain-text variables, unpinned runtimes and images,
// privileged builds that build no image. Each rule reads buildspec files
// (buildspec.yml and the like) and the buildspecs written inline in the
// Source.BuildSpec of AWS::CodeBuild::Project resources, whose findings
// point into the template.
package buildspec
