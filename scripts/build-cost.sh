#!/usr/bin/env bash
# What depending on one confapi vendor crate costs to build: the clean debug
# build of a fresh project that depends on it, against a fresh project that
# depends on the HTTP stack any client needs (reqwest with rustls, serde,
# serde_json, tokio). Both use the workspace's Cargo.lock, so they build the
# same versions; downloads happen before the clock starts.
#
#   scripts/build-cost.sh [ROUNDS]     (default 1; the floor is built before and after)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
rounds=${1:-1}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

project() { # name, dependency lines, main body
  mkdir -p "$work/$1/src"
  cat >"$work/$1/Cargo.toml" <<TOML
[package]
name = "$1"
version = "0.0.0"
edition = "2021"
publish = false

[dependencies]
tokio = { version = "1", features = ["macros", "rt-multi-thread"] }
$2

[workspace]
TOML
  printf '#[tokio::main]\nasync fn main() {\n%s\n}\n' "$3" >"$work/$1/src/main.rs"
  cp "$root/Cargo.lock" "$work/$1/Cargo.lock"
  (cd "$work/$1" && cargo fetch -q)
}

project floor '
reqwest = { version = "0.13", default-features = false, features = ["json", "query", "rustls"] }
serde = { version = "1", features = ["derive"] }
serde_json = "1"' '    let _ = reqwest::Client::new().get("https://example.invalid").send().await;
    let _: Result<serde_json::Value, _> = serde_json::from_str("{}");'
for vendor in openvox quanshi dingtalk; do
  case $vendor in
    openvox) main='    let _ = confapi_openvox::Client::builder("https://pbx.invalid", "u", "p").build();' ;;
    quanshi) main='    let _ = confapi_quanshi::Client::builder().token("t").build();' ;;
    dingtalk) main='    let _ = confapi_dingtalk::Client::builder().app_credentials("k", "s").build();' ;;
  esac
  project "$vendor" "confapi-$vendor = { path = \"$root/crates/$vendor\" }" "$main"
done

seconds() { # project -> seconds of a clean debug build
  local dir="$work/$1"
  rm -rf "$dir/target"
  local start end
  start=$(date +%s.%N)
  (cd "$dir" && cargo build -q --offline)
  end=$(date +%s.%N)
  awk -v a="$start" -v b="$end" 'BEGIN { printf "%.2f", b - a }'
}

for round in $(seq "$rounds"); do
  floor_before=$(seconds floor)
  declare -A took
  for vendor in openvox quanshi dingtalk; do took[$vendor]=$(seconds "$vendor"); done
  floor_after=$(seconds floor)
  floor=$(awk -v a="$floor_before" -v b="$floor_after" 'BEGIN { printf "%.2f", (a + b) / 2 }')
  printf 'round %s: floor (reqwest rustls + serde + tokio) %.1f s (%.1f before, %.1f after)\n' "$round" "$floor" "$floor_before" "$floor_after"
  for vendor in openvox quanshi dingtalk; do
    printf '  confapi-%-8s %6.1f s   ratio %.3f\n' "$vendor" "${took[$vendor]}" "$(awk -v a="${took[$vendor]}" -v b="$floor" 'BEGIN { printf "%.4f", a / b }')"
  done
done
