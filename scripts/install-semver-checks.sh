#!/usr/bin/env bash
# Installs cargo-semver-checks (the independent judge of the API change
# report's verdicts) from crates.io, unless this version is already there.
# Prints the binary's path.
set -euo pipefail
version=0.51.0
root=${SEMVER_CHECKS_ROOT:-"$HOME/.cache/confapi/semver-checks-$version"}
bin="$root/bin/cargo-semver-checks"
if [ ! -x "$bin" ]; then
  echo "installing cargo-semver-checks $version into $root (a few minutes, once)" >&2
  cargo install --locked --quiet --version "$version" --root "$root" cargo-semver-checks >&2
fi
echo "$bin"
