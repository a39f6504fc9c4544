#!/usr/bin/env bash
# Times the CLI on the shared corpus and on generated large templates, as a
# user would run it: a built binary, files on disk, JSON to /dev/null.
# Usage: bash scripts/bench-cli.sh [corpus-dir]
set -euo pipefail
cd "$(dirname "$0")/.."
corpus=${1:-../shared/corpus/cfn}
bin=$(mktemp -d)/safetynet
go build -o "$bin" ./cmd/safetynet
timeit() { # prints wall seconds and max RSS of the command
  /usr/bin/time -f '%e s wall, %M KB max RSS' "$@" >/dev/null 2>"$bin.time" || true
  tail -1 "$bin.time"
}
if [ -d "$corpus" ]; then
  n=$(find "$corpus" -type f \( -name '*.yaml' -o -name '*.yml' -o -name '*.json' -o -name '*.template' \) | wc -l)
  "$bin" scan --format json "$corpus" >/dev/null 2>&1 || true # warm the page cache
  for i in 1 2 3; do echo "corpus ($n files): $(timeit "$bin" scan --format json "$corpus")"; done
else
  echo "corpus not found at $corpus: skipped"
fi
gen=$(mktemp -d)
go run ./scripts/gentemplate 5000 >"$gen/large.yaml"
echo "generated 5000-resource template ($(wc -c <"$gen/large.yaml") bytes): $(timeit "$bin" scan --format json "$gen/large.yaml")"
go run ./scripts/gentemplate 500 >"$gen/medium.yaml"
echo "generated 500-resource template: $(timeit "$bin" scan --format json "$gen/medium.yaml")"
cp examples/private-bucket.yaml "$gen/small.yaml"
echo "one small template: $(timeit "$bin" scan --format json "$gen/small.yaml")"
