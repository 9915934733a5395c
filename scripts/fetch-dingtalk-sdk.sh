#!/usr/bin/env bash
# Fetches the pinned DingTalk SDK wheel from PyPI (no dependencies) and
# unpacks it, for `cargo xtask docs-check --dingtalk-sdk DIR`.
#
#   scripts/fetch-dingtalk-sdk.sh [DIR]
#
# DIR defaults to a new temporary directory; the unpacked wheel's path is
# printed on the last line (DIR itself: it holds alibabacloud_dingtalk/).
# Bump VERSION deliberately, then run the check and read what it reports.
set -euo pipefail

VERSION=2.2.65
dir=${1:-$(mktemp -d)}
mkdir -p "$dir"

pip=(python3 -m pip)
if ! "${pip[@]}" --version >/dev/null 2>&1; then
  pip=(pip3)
fi

download=$(mktemp -d)
trap 'rm -rf "$download"' EXIT
"${pip[@]}" download --quiet --no-deps --only-binary=:all: --dest "$download" "alibabacloud-dingtalk==$VERSION" >&2
wheel=$(find "$download" -name 'alibabacloud_dingtalk-*.whl' | head -n 1)
if [ -z "$wheel" ]; then
  echo "fetch-dingtalk-sdk: no wheel of alibabacloud-dingtalk $VERSION was downloaded" >&2
  exit 1
fi
# A wheel is a zip; Python unpacks it without needing unzip installed.
python3 -c 'import sys, zipfile; zipfile.ZipFile(sys.argv[1]).extractall(sys.argv[2])' "$wheel" "$dir"
test -f "$dir/alibabacloud_dingtalk/conference_1_0/models.py"
echo "$dir"
