#!/usr/bin/env bash
# Builds safetynet from the action's own checkout (github.action_path) when
# no release binary was installed: a branch or commit ref, or
# build-from-source: true. Go comes from actions/setup-go in the step before.
#
# Environment: ACTION_PATH, ACTION_REF, RUNNER_TEMP, RUNNER_OS.
# Outputs (GITHUB_OUTPUT): bin.
set -euo pipefail

: "${RUNNER_TEMP:?RUNNER_TEMP is not set}"
: "${ACTION_PATH:?ACTION_PATH is not set}"
bindir="$RUNNER_TEMP/safetynet-bin"
exe=safetynet
if [ "${RUNNER_OS:-}" = Windows ]; then exe=safetynet.exe; fi

# The source is the action's own, so its ref is the version.
version=${ACTION_REF:-}
ldflags=""
# The version goes into -ldflags, which splits on spaces: stamp only a
# plain ref name, and otherwise keep the binary's own "dev".
if [[ $version =~ ^[0-9A-Za-z][0-9A-Za-z._+/-]*$ ]]; then
  ldflags="-X github.com/safetynet-dev/safetynet.Version=$version"
fi

mkdir -p "$bindir"
(cd "$ACTION_PATH" && CGO_ENABLED=0 go build -trimpath -ldflags "$ldflags" -o "$bindir/$exe" ./cmd/safetynet)
"$bindir/$exe" version

echo "$bindir" >>"${GITHUB_PATH:-/dev/null}"
printf 'bin=%s\n' "$bindir/$exe" >>"${GITHUB_OUTPUT:?GITHUB_OUTPUT is not set}"
