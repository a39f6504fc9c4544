#!/usr/bin/env bash
# Builds safetynet release archives: one static binary per platform, stamped
# with the version, packed as safetynet_<version>_<os>_<arch>.tar.gz (.zip
# for Windows) with a checksums.txt of SHA-256 sums beside them. The GitHub
# Action (scripts/action/install.sh) downloads exactly these names, so change
# them together. The version in file names has no leading "v"; the stamped
# one (safetynet version) keeps it.
#
# Environment:
#   VERSION    default: git describe --tags --always --dirty
#   DIST       output directory (default: dist)
#   PLATFORMS  space-separated os/arch list (default: linux, darwin and
#              windows on amd64 and arm64)
set -euo pipefail
cd "$(dirname "$0")/.."

VERSION=${VERSION:-$(git describe --tags --always --dirty)}
DIST=${DIST:-dist}
PLATFORMS=${PLATFORMS:-linux/amd64 linux/arm64 darwin/amd64 darwin/arm64 windows/amd64 windows/arm64}

# The version becomes part of file names and of -ldflags (split on spaces).
if ! [[ $VERSION =~ ^[0-9A-Za-z][0-9A-Za-z._+-]*$ ]]; then
  echo "release: VERSION '$VERSION' may hold only letters, digits and . _ + -" >&2
  exit 3
fi
ver=${VERSION#v}

# Archives carry the commit time, not the build time, so that two builds
# of one commit give the same bytes.
SOURCE_DATE_EPOCH=${SOURCE_DATE_EPOCH:-$(git log -1 --format=%ct 2>/dev/null || echo 0)}
export SOURCE_DATE_EPOCH
gnutar=false
if tar --version 2>/dev/null | grep -q 'GNU tar'; then gnutar=true; fi

sha256() {
  if command -v sha256sum >/dev/null 2>&1; then sha256sum "$@"; else shasum -a 256 "$@"; fi
}

mkdir -p "$DIST"
DIST=$(cd "$DIST" && pwd)
stage=$(mktemp -d "${TMPDIR:-/tmp}/safetynet-release.XXXXXX")
trap 'rm -rf "$stage"' EXIT

archives=()
for platform in $PLATFORMS; do
  os=${platform%/*}
  arch=${platform#*/}
  exe=safetynet
  [ "$os" = windows ] && exe=safetynet.exe
  dir="$stage/${os}_${arch}"
  mkdir -p "$dir"
  echo "release: building $VERSION for $os/$arch"
  CGO_ENABLED=0 GOOS=$os GOARCH=$arch go build -trimpath \
    -ldflags "-s -w -X github.com/safetynet-dev/safetynet.Version=$VERSION" \
    -o "$dir/$exe" ./cmd/safetynet
  cp README.md "$dir/README.md"
  [ -f LICENSE ] && cp LICENSE "$dir/LICENSE"
  touch -d "@$SOURCE_DATE_EPOCH" "$dir"/* 2>/dev/null || true

  if [ "$os" = windows ]; then
    name="safetynet_${ver}_${os}_${arch}.zip"
    rm -f "$DIST/$name"
    rm -f "$DIST/$name.tmp"
    (cd "$dir" && zip -X -q "$DIST/$name.tmp" -- *)
    mv -f "$DIST/$name.tmp" "$DIST/$name"
  else
    name="safetynet_${ver}_${os}_${arch}.tar.gz"
    files=$(cd "$dir" && ls)
    if $gnutar; then
      tar -C "$dir" --sort=name --owner=0 --group=0 --numeric-owner \
        --mtime="@$SOURCE_DATE_EPOCH" -cf - $files | gzip -n -9 >"$DIST/$name.tmp"
    else
      tar -C "$dir" -cf - $files | gzip -n -9 >"$DIST/$name.tmp"
    fi
    mv -f "$DIST/$name.tmp" "$DIST/$name"
  fi
  archives+=("$name")
done

(cd "$DIST" && sha256 "${archives[@]}" >checksums.txt)
echo "release: wrote ${#archives[@]} archives and checksums.txt to $DIST"
(cd "$DIST" && cat checksums.txt)
