// Package codebuild holds the rules for CodeBuild projects, report groups
// and source credentials: encryption, privileged mode, secrets in
// environment variables and source URLs, logging.
package codebuild
