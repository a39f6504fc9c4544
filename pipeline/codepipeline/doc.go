// Package codepipeline is safetynet's AWS CodePipeline invoke action: a
// Lambda handler that receives a CodePipeline job, downloads the job's input
// artifact with the temporary credentials the job carries, scans the
// CloudFormation templates inside it with the same engine as `safetynet
// scan`, and reports the job's result back to CodePipeline.
//
// The package owns the whole job: reading the action's UserParameters
// (params.go), opening the artifact zip safely (artifact.go), running the
// scan and writing a result a person can read in the console (summary.go),
// and talking to S3 and CodePipeline (handler.go). cmd/safetynet-lambda only
// starts it.
//
// The artifact is untrusted input: anyone who can push to the pipeline's
// source can shape it. It is read in memory under size, ratio and name
// limits, and symbolic links in it are never followed.
package codepipeline
