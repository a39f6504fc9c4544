// Command safetynet-lambda is safetynet's AWS CodePipeline invoke action:
// a Lambda function on the provided.al2023 runtime that scans the
// CloudFormation templates in a pipeline's artifact and passes or fails the
// job. docs/codepipeline.md says how to build, deploy and use it.
//
//	GOOS=linux GOARCH=arm64 CGO_ENABLED=0 go build -tags lambda.norpc -o bootstrap ./cmd/safetynet-lambda
package main

import (
	"fmt"
	"log/slog"
	"os"

	"github.com/aws/aws-lambda-go/lambda"

	"github.com/safetynet-dev/safetynet/pipeline/codepipeline"
)

func main() {
	cfg, err := codepipeline.FromEnv(os.Getenv)
	if err != nil {
		fmt.Fprintln(os.Stderr, "safetynet-lambda:", err)
		os.Exit(1)
	}
	cfg.Logger = slog.New(slog.NewJSONHandler(os.Stdout, nil))
	lambda.Start(codepipeline.New(cfg).Handle)
}
