# Release and developer builds. The logic lives in scripts/ so that it can
# be tested (internal/citest); this file only names the entry points.
VERSION ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
DIST ?= dist
LDFLAGS := -s -w -X github.com/safetynet-dev/safetynet.Version=$(VERSION)

.PHONY: build test lambda release clean

# A static binary at ./safetynet, stamped like a release.
build:
	CGO_ENABLED=0 go build -trimpath -ldflags "$(LDFLAGS)" -o safetynet ./cmd/safetynet

test:
	go test ./...

# The CodePipeline action's Lambda bundle (docs/codepipeline.md): provided.al2023
# on arm64 wants an executable named bootstrap at the root of the zip.
lambda:
	rm -f dist/lambda/safetynet-lambda.zip
	GOOS=linux GOARCH=arm64 CGO_ENABLED=0 go build -trimpath -tags lambda.norpc -o dist/lambda/bootstrap ./cmd/safetynet-lambda && cd dist/lambda && zip -X -q safetynet-lambda.zip bootstrap

# Archives for linux, darwin and windows on amd64 and arm64, plus checksums.txt.
release:
	VERSION="$(VERSION)" DIST="$(DIST)" scripts/release.sh

clean:
	rm -rf dist safetynet
