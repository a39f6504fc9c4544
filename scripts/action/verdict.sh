#!/usr/bin/env bash
# The action's last step: fails the job by the scan's own exit status, after
# the SARIF upload has run, with one error annotation saying what the status
# means. Statuses (README "Exit status"): 0 clean, 1 findings at or above
# --fail-on, 2 some input unreadable, 3 usage or configuration error.
#
# Environment: SCAN_EXIT_CODE, INPUT_FAIL_ON, SARIF_FILE.
set -uo pipefail

esc() { local s=${1//'%'/%25}; s=${s//$'\r'/%0D}; printf '%s' "${s//$'\n'/%0A}"; }
code=${SCAN_EXIT_CODE:-}
level=$(esc "${INPUT_FAIL_ON:-}")
[ -n "$level" ] || level="failure (or the config's fail_on)"
sarif=$(esc "${SARIF_FILE:-}")

case "$code" in
  0)
    echo "safetynet: no findings at or above --fail-on $level"
    exit 0
    ;;
  1)
    echo "::error title=safetynet found problems::findings at or above --fail-on $level (exit 1); see the annotations, the code scanning alerts or $sarif"
    exit 1
    ;;
  2)
    echo "::error title=safetynet could not read every template::some input could not be read or parsed (exit 2); every other file was scanned and reported, fix the file named in the log"
    exit 2
    ;;
  3)
    echo "::error title=safetynet was misconfigured::usage or configuration error (exit 3): nothing was scanned; check the action's inputs and .safetynet.yml"
    exit 3
    ;;
  '')
    echo "::error title=safetynet::the scan step recorded no exit status; it did not run"
    exit 1
    ;;
  *)
    if [[ $code =~ ^[0-9]+$ ]] && [ "$code" -lt 256 ]; then
      echo "::error title=safetynet::safetynet stopped with unexpected status $code (killed or crashed)"
      exit "$code"
    fi
    echo "::error title=safetynet::unexpected exit-code '$(esc "$code")'"
    exit 1
    ;;
esac
