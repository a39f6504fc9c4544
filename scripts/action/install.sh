#!/usr/bin/env bash
# Installs the released safetynet binary for this runner from the GitHub
# release named by the action's ref (or the `version` input), after checking
# its SHA-256 against the release's checksums.txt. When there is no release
# to use (a branch or commit ref, an unreleased platform, an unreachable
# download) it says so and sets installed=false, so that the action builds
# its own source instead — unless the version was asked for by name, which
# then fails. A checksum that does not match is never a reason to fall
# back: it fails the step.
#
# Environment (set by action.yml from inputs, never interpolated into code):
#   SAFETYNET_VERSION   the `version` input; empty means the action's ref
#   ACTION_REF          github.action_ref
#   ACTION_REPOSITORY   github.action_repository (owner/name)
#   BUILD_FROM_SOURCE   "true" skips the download
#   SAFETYNET_DOWNLOAD_BASE  optional release base URL (mirrors, tests);
#                       the archive and checksums.txt are fetched below it
# Outputs (GITHUB_OUTPUT): installed, version, bin.
set -euo pipefail

out() { printf '%s=%s\n' "$1" "$2" >>"${GITHUB_OUTPUT:?GITHUB_OUTPUT is not set}"; }
# Workflow-command data must not carry a newline or a % escape of its own.
esc() { local s=${1//'%'/%25}; s=${s//$'\r'/%0D}; printf '%s' "${s//$'\n'/%0A}"; }
fallback() {
  if [ "${explicit:-false}" = true ]; then
    echo "::error title=safetynet::$(esc "$1")"
    exit 1
  fi
  echo "::notice title=safetynet::$(esc "$1"); building from source"
  out installed false
  exit 0
}

: "${RUNNER_TEMP:?RUNNER_TEMP is not set}"
bindir="$RUNNER_TEMP/safetynet-bin"

if [ "${BUILD_FROM_SOURCE:-false}" = "true" ]; then
  fallback "build-from-source is true"
fi

tagRE='^v[0-9]+\.[0-9]+\.[0-9]+([-+][0-9A-Za-z.+-]+)?$'
# A version asked for by name must be that release: building the action's
# own source instead would quietly run a different version.
explicit=false
if [ -n "${SAFETYNET_VERSION:-}" ]; then
  explicit=true
  if ! [[ $SAFETYNET_VERSION =~ $tagRE ]]; then
    echo "::error title=safetynet::version input '$(esc "$SAFETYNET_VERSION")' is not a release tag (vMAJOR.MINOR.PATCH)"
    exit 1
  fi
fi
version=${SAFETYNET_VERSION:-${ACTION_REF:-}}
# Only release tags have archives; branches and commit SHAs build from source.
if ! [[ $version =~ $tagRE ]]; then
  fallback "ref '${version}' is not a release tag (vMAJOR.MINOR.PATCH)"
fi

case "${RUNNER_OS:-}" in
  Linux) os=linux ;;
  macOS) os=darwin ;;
  Windows) os=windows ;;
  *) fallback "no release archive for runner OS '${RUNNER_OS:-}'" ;;
esac
case "${RUNNER_ARCH:-}" in
  X64) arch=amd64 ;;
  ARM64) arch=arm64 ;;
  *) fallback "no release archive for runner architecture '${RUNNER_ARCH:-}'" ;;
esac

exe=safetynet
ext=tar.gz
if [ "$os" = windows ]; then exe=safetynet.exe; ext=zip; fi
archive="safetynet_${version#v}_${os}_${arch}.${ext}"
repo=${ACTION_REPOSITORY:-safetynet-dev/safetynet}
base=${SAFETYNET_DOWNLOAD_BASE:-${GITHUB_SERVER_URL:-https://github.com}/$repo/releases/download/$version}

work=$(mktemp -d "$RUNNER_TEMP/safetynet-dl.XXXXXX")
trap 'rm -rf "$work"' EXIT

fetch() { curl --fail --silent --show-error --location --retry 3 --proto '=https,file' --output "$2" "$1"; }
if ! fetch "$base/checksums.txt" "$work/checksums.txt"; then
  fallback "no checksums.txt in release $version"
fi
if ! fetch "$base/$archive" "$work/$archive"; then
  fallback "no $archive in release $version"
fi

want=$(awk -v f="$archive" '$2 == f || $2 == "*" f { print $1; exit }' "$work/checksums.txt")
if [ -z "$want" ]; then
  echo "::error title=safetynet::checksums.txt of release $version has no entry for $archive"
  exit 1
fi
if command -v sha256sum >/dev/null 2>&1; then
  got=$(sha256sum "$work/$archive" | awk '{print $1}')
else
  got=$(shasum -a 256 "$work/$archive" | awk '{print $1}')
fi
if [ "$got" != "$want" ]; then
  echo "::error title=safetynet::SHA-256 of $archive is $got, checksums.txt says $want: refusing to run it"
  exit 1
fi

mkdir -p "$work/x" "$bindir"
if [ "$ext" = zip ]; then
  if command -v unzip >/dev/null 2>&1; then
    unzip -q -o "$work/$archive" "$exe" -d "$work/x"
  else
    # PowerShell wants Windows paths, not Git Bash's /d/a/... form.
    src=$(cygpath -w "$work/$archive") dst=$(cygpath -w "$work/x")
    powershell -NoProfile -Command "Expand-Archive -LiteralPath '$src' -DestinationPath '$dst'"
  fi
else
  tar -xzf "$work/$archive" -C "$work/x" "$exe"
fi
mv -f "$work/x/$exe" "$bindir/$exe"
chmod +x "$bindir/$exe"
"$bindir/$exe" version

echo "$bindir" >>"${GITHUB_PATH:-/dev/null}"
out installed true
out version "$version"
out bin "$bindir/$exe"
