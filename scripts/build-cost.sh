#!/usr/bin/env bash
# What depending on one confapi vendor crate costs to build: the clean debug
# build of a fresh project that depends on it, against a fresh project that
# depends on the HTTP stack any client needs (reqwest with rustls, serde,
# serde_json, tokio): the floor. All use the workspace's Cargo.lock, so they
# build the same versions, and none builds incrementally, as a dependency
# from crates.io would not be (cargo does so only for path dependencies).
#
#   scripts/build-cost.sh [ROUNDS]     (default 3)
#
# Before any timed build: downloads (`cargo fetch`), and one untimed build of
# a project that depends on everything the others do, so cargo has unpacked
# every source into its registry and the files are in the page cache.
# Each round builds floor, openvox, floor, quanshi, floor, dingtalk, floor:
# a vendor's ratio is against the mean of the two floors around it. Reported
# per vendor: the median ratio over the rounds and its spread (min-max), for
# wall time and for CPU time (user + sys of cargo and everything it ran), and
# the critical path after reqwest from `cargo build --timings`: the seconds
# from the end of reqwest's compile to the end of the binary's link. The
# timing reports stay in the temp dir, unless BUILD_COST_TIMINGS names a
# directory (outside the repository) to copy the last round's into.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
rounds=${1:-3}
vendors=(openvox quanshi dingtalk)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# Each project builds in its own target dir.
unset CARGO_TARGET_DIR CARGO_BUILD_TARGET_DIR

floor_deps='reqwest = { version = "0.13", default-features = false, features = ["json", "query", "rustls"] }
serde = { version = "1", features = ["derive"] }
serde_json = "1"'
floor_main='    let _ = reqwest::Client::new().get("https://example.invalid").send().await;
    let _: Result<serde_json::Value, _> = serde_json::from_str("{}");'
vendor_dep() { echo "confapi-$1 = { path = \"$root/crates/$1\" }"; }
vendor_main() {
  case $1 in
    openvox) echo '    let _ = confapi_openvox::Client::builder("https://pbx.invalid", "u", "p").build();' ;;
    quanshi) echo '    let _ = confapi_quanshi::Client::builder().token("t").build();' ;;
    dingtalk) echo '    let _ = confapi_dingtalk::Client::builder().app_credentials("k", "s").build();' ;;
  esac
}

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

# As from crates.io: cargo compiles a path dependency incrementally, a
# registry one never; the same for the floor's own tiny crate.
[profile.dev]
incremental = false
TOML
  printf '#[tokio::main]\nasync fn main() {\n%s\n}\n' "$3" >"$work/$1/src/main.rs"
  cp "$root/Cargo.lock" "$work/$1/Cargo.lock"
  (cd "$work/$1" && cargo fetch -q)
}

project floor "$floor_deps" "$floor_main"
all_deps=$floor_deps all_main=$floor_main
for vendor in "${vendors[@]}"; do
  project "$vendor" "$(vendor_dep "$vendor")" "$(vendor_main "$vendor")"
  all_deps+=$'\n'$(vendor_dep "$vendor") all_main+=$'\n'$(vendor_main "$vendor")
done
project warmup "$all_deps" "$all_main"
echo "untimed warm-up build (unpacks every source)..." >&2
(cd "$work/warmup" && cargo build -q --offline && rm -rf target)

# Seconds from the end of reqwest's compile to the end of the project's binary,
# read from the UNIT_DATA of the timings report (one JSON field per line).
after_reqwest() { # project
  awk -v bin="$1" '
    /"name":/     { name = $2; gsub(/[",]/, "", name) }
    /"target":/   { target = $0 }
    /"start":/    { start = $2 + 0 }
    /"duration":/ {
      end = start + $2
      if (name == "reqwest" && end > reqwest) reqwest = end
      if (name == bin && target ~ /bin/) done = end
    }
    END { printf "%.1f", done - reqwest }
  ' "$work/$1/target/cargo-timings/cargo-timing.html"
}

# The units that finish after reqwest, with their own compile seconds.
path_after_reqwest() { # project
  awk '
    /"name":/     { name = $2; gsub(/[",]/, "", name) }
    /"target":/   { kind = ($0 ~ /build script/) ? " (build script)" : ($0 ~ /"bin"/ ? " (bin)" : "") }
    /"start":/    { start = $2 + 0 }
    /"duration":/ { n++; names[n] = name kind; ends[n] = start + $2; took[n] = $2 + 0
                    if (name == "reqwest" && start + $2 > reqwest) reqwest = start + $2 }
    END { for (i = 1; i <= n; i++) if (ends[i] > reqwest + 0.05) printf "%s %.1f s; ", names[i], took[i] }
  ' "$work/$1/target/cargo-timings/cargo-timing.html"
}

# One clean debug build: "wall cpu after_reqwest" in seconds.
build() { # project
  local dir="$work/$1" times
  rm -rf "$dir/target"
  times=$( (cd "$dir" && /usr/bin/time -f '%e %U %S' cargo build -q --offline --timings 2>&1 >/dev/null) | tail -n 1)
  read -r wall user sys <<<"$times"
  echo "$wall $(awk -v u="$user" -v s="$sys" 'BEGIN { printf "%.2f", u + s }') $(after_reqwest "$1")"
}

ratio() { awk -v a="$1" -v b="$2" -v c="$3" 'BEGIN { printf "%.3f", a / ((b + c) / 2) }'; }
# "median (min-max)" of the numbers given, in the printf format given.
summary() { # format, numbers...
  local format=$1
  shift
  printf '%s\n' "$@" | sort -g | awk -v f="$format" '{ v[NR] = $1 } END {
    m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
    printf f " (" f "-" f ")", m, v[1], v[NR] }'
}

declare -A wall_ratios cpu_ratios afters
floor_afters=()
for round in $(seq "$rounds"); do
  read -r fw fc fa <<<"$(build floor)"
  floor_afters+=("$fa")
  printf 'round %s\n  %-17s wall %6.1f s  cpu %6.1f s  after reqwest %4.1f s\n' "$round" floor "$fw" "$fc" "$fa"
  for vendor in "${vendors[@]}"; do
    read -r vw vc va <<<"$(build "$vendor")"
    read -r nw nc na <<<"$(build floor)"
    floor_afters+=("$na")
    wr=$(ratio "$vw" "$fw" "$nw") cr=$(ratio "$vc" "$fc" "$nc")
    wall_ratios[$vendor]+=" $wr" cpu_ratios[$vendor]+=" $cr" afters[$vendor]+=" $va"
    printf '  confapi-%-9s wall %6.1f s  cpu %6.1f s  after reqwest %4.1f s  ratio wall %s cpu %s\n' "$vendor" "$vw" "$vc" "$va" "$wr" "$cr"
    printf '  %-17s wall %6.1f s  cpu %6.1f s  after reqwest %4.1f s\n' floor "$nw" "$nc" "$na"
    fw=$nw fc=$nc
  done
done

echo
echo "median (min-max) over $rounds round(s); the ratio is against the mean of the adjacent floors"
# shellcheck disable=SC2086
printf '  %-17s after reqwest %s s\n' floor "$(summary %.1f "${floor_afters[@]}")"
for vendor in "${vendors[@]}"; do
  # shellcheck disable=SC2086
  printf '  confapi-%-9s wall %s  cpu %s  after reqwest %s s\n' "$vendor" \
    "$(summary %.3f ${wall_ratios[$vendor]})" "$(summary %.3f ${cpu_ratios[$vendor]})" "$(summary %.1f ${afters[$vendor]})"
done
echo
echo "units finishing after reqwest, last round (their own seconds):"
for p in floor "${vendors[@]}"; do
  printf '  %-9s %s\n' "$p" "$(path_after_reqwest "$p")"
  if [ -n "${BUILD_COST_TIMINGS:-}" ]; then
    mkdir -p "$BUILD_COST_TIMINGS"
    cp "$work/$p/target/cargo-timings/cargo-timing.html" "$BUILD_COST_TIMINGS/$p.html"
  fi
done
