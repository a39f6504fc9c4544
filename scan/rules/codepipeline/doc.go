// Package codepipeline holds the rules for CodePipeline pipelines and
// webhooks: secrets, webhook authentication and artifact encryption.
package codepipeline
