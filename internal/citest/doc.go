// Package citest tests safetynet's CI integrations from the outside, the
// way a pipeline uses them: the GitHub Action (action.yml and
// scripts/action), the CodeBuild example (examples/buildspec.yml), the
// pre-commit hook, the Dockerfile, the Makefile and scripts/release.sh.
// It holds no code of its own; the tests drive bash, make, tar and zip and
// skip when one of them is missing.
package citest
