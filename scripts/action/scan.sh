#!/usr/bin/env bash
# Runs the scan for the GitHub Action. It writes SARIF for code scanning and,
# unless annotations are off, runs again with --format github for
# annotations and the job summary. It records the first run's exit status as
# the output exit-code and always exits 0 itself when the scan ran: the
# action's last step fails the job from that status, after the SARIF has
# been uploaded. Nothing here is piped, so no status is lost.
#
# Environment (from the action's inputs, never interpolated into code):
#   INPUT_PATHS INPUT_FAIL_ON INPUT_BASELINE INPUT_CONFIG INPUT_RULES
#   INPUT_SARIF_FILE INPUT_ANNOTATIONS
#   SAFETYNET_BIN  the binary (default: where install.sh or build.sh put it)
# Outputs (GITHUB_OUTPUT): exit-code, sarif-file, sarif-exists.
set -euo pipefail

: "${GITHUB_OUTPUT:?GITHUB_OUTPUT is not set}"
exe=safetynet
if [ "${RUNNER_OS:-}" = Windows ]; then exe=safetynet.exe; fi
bin=${SAFETYNET_BIN:-${RUNNER_TEMP:?RUNNER_TEMP is not set}/safetynet-bin/$exe}
if [ ! -x "$bin" ]; then
  echo "::error title=safetynet::no safetynet binary at $bin (did the install or build step fail?)"
  exit 1
fi

sarif=${INPUT_SARIF_FILE:-safetynet.sarif}
# The path is echoed into GITHUB_OUTPUT as key=value: a newline would let
# an input set other outputs.
case "$sarif" in
  *$'\n'* | *$'\r'*)
    echo "::error title=safetynet::the sarif-file input must be one line"
    exit 1
    ;;
esac

opts=()
[ -n "${INPUT_FAIL_ON:-}" ] && opts+=(--fail-on "$INPUT_FAIL_ON")
[ -n "${INPUT_BASELINE:-}" ] && opts+=(--baseline "$INPUT_BASELINE")
[ -n "${INPUT_CONFIG:-}" ] && opts+=(--config "$INPUT_CONFIG")
[ -n "${INPUT_RULES:-}" ] && opts+=(--rules "$INPUT_RULES")

# Paths are split on spaces and newlines only. Globs stay unexpanded for
# safetynet's own ** matching, and "--" keeps a path that starts with "-"
# from being read as a flag. (The ${a[@]+...} form keeps bash 3.2 on macOS
# from calling an empty array unset.)
paths=()
set -f
for p in ${INPUT_PATHS:-}; do paths+=("$p"); done
set +f

sarifdir=$(dirname -- "$sarif")
mkdir -p -- "$sarifdir"
rm -f -- "$sarif"

set +e
"$bin" scan ${opts[@]+"${opts[@]}"} --format sarif --output "$sarif" -- ${paths[@]+"${paths[@]}"}
code=$?
set -e
echo "safetynet scan exited with status $code"

if [ "${INPUT_ANNOTATIONS:-true}" = "true" ] && [ "$code" -le 2 ]; then
  # Only for people reading the run: its status is the first run's.
  set +e
  "$bin" scan ${opts[@]+"${opts[@]}"} --format github -- ${paths[@]+"${paths[@]}"}
  set -e
fi

exists=false
[ -f "$sarif" ] && exists=true
{
  printf 'exit-code=%s\n' "$code"
  printf 'sarif-file=%s\n' "$sarif"
  printf 'sarif-exists=%s\n' "$exists"
} >>"$GITHUB_OUTPUT"
