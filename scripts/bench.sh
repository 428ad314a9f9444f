#!/usr/bin/env bash
# The engine benchmark: times the release CLI on the default scenario (3 brokers,
# 3 partitions, replication factor 3, 200-byte JSON values, 1 000 keys) and prints a
# table of wall time and peak memory. It reports; it does not fail on time.
#
#   bash scripts/bench.sh
#
# Environment: BENCH_RUNS (default 3) runs of each 1M-record case; the best counts, and
# the median is printed beside it (on a machine shared with other work, the best is the
# closest to the engine's own cost).
set -euo pipefail

# shellcheck source=scripts/env.sh
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$REPO_ROOT"

runs="${BENCH_RUNS:-3}"
[ -x /usr/bin/time ] || {
    echo "/usr/bin/time is missing (Debian package 'time')" >&2
    exit 1
}

echo "building the CLI (release)"
cargo build --release --no-default-features --bin producer-sim
target_dir="$(cargo metadata --format-version 1 --no-deps |
    node -e 'let s = ""; process.stdin.on("data", d => s += d).on("end", () => console.log(JSON.parse(s).target_directory))')"
cli="$target_dir/release/producer-sim"
[ -x "$cli" ] || {
    echo "CLI not found at $cli" >&2
    exit 1
}

measurements="$(mktemp)"
trap 'rm -f "$measurements" "$measurements.time"' EXIT

# bench LABEL RUNS ARGS... : the best and the median wall time of RUNS runs, the least CPU
# time (user + system: what other work on the machine inflates least), and the peak RSS
# of the best run.
bench() {
    local label="$1" n="$2" best_s="" best_kb="" best_cpu="" i s kb user sys cpu all=""
    shift 2
    echo
    echo "--- $label: producer-sim $* (best of $n)"
    for ((i = 1; i <= n; i++)); do
        /usr/bin/time -f '%e %M %U %S' -o "$measurements.time" "$cli" "$@" >"$measurements.out"
        read -r s kb user sys <"$measurements.time"
        cpu="$(awk -v u="$user" -v s="$sys" 'BEGIN { print u + s }')"
        if [ -z "$best_cpu" ] || awk -v a="$cpu" -v b="$best_cpu" 'BEGIN { exit !(a < b) }'; then
            best_cpu="$cpu"
        fi
        all="$all $s"
        if [ -z "$best_s" ] || awk -v a="$s" -v b="$best_s" 'BEGIN { exit !(a < b) }'; then
            best_s="$s"
            best_kb="$kb"
        fi
    done
    local median
    median="$(echo "$all" | tr ' ' '\n' | sed '/^$/d' | sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }')"
    sed 's/^/    /' "$measurements.out"
    rm -f "$measurements.out"
    printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$label" "$*" "$best_s" "$best_kb" "$median" "$best_cpu" >>"$measurements"
}

bench "lz4, 1M records" "$runs" simulate --records 1000000 --set compression.type=lz4
bench "none, 1M records" "$runs" simulate --records 1000000 --set compression.type=none
bench "none, 10M records" 1 simulate --records 10000000 --set compression.type=none
crash=(--fault crash:broker=1@500ms --fault restart:broker=1@12s)
bench "lz4, 1M, crash" "$runs" simulate --records 1000000 --set compression.type=lz4 "${crash[@]}"
bench "none, 1M, crash" "$runs" simulate --records 1000000 --set compression.type=none "${crash[@]}"

# Soak: per-frame engine work and memory after an hour of simulated time at 2,000/s.
echo
echo "--- soak: an hour of simulated time (cargo run --release --example soak)"
cargo run --quiet --release --no-default-features --example soak | sed 's/^/    /'

# The same 1M-record runs inside headless Chromium, built as the page is (profile web).
echo
echo "--- the engine in the browser (wasm32, profile web, headless Chromium)"
browser="$(mktemp)"
if cargo test --profile web --target wasm32-unknown-unknown --test web_bench -- --include-ignored --nocapture \
    >"$browser" 2>&1; then
    grep '^BENCH' "$browser" | sed 's/^/    /'
else
    echo "    the browser benchmark did not run (its last lines, without the backtrace):"
    grep -v '^ *[0-9]*: \|^ *at ' "$browser" | tail -20 | sed 's/^/    /'
fi

echo
echo "engine benchmark (release CLI, wall time; targets: lz4 1M < 0.5 s, none 1M < 0.5 s)"
printf '  %-20s %10s %12s %14s %14s\n' case "best (s)" "median (s)" "least CPU (s)" "max RSS (MiB)"
while IFS=$'\t' read -r label _ seconds kb median cpu; do
    printf '  %-20s %10.2f %12.2f %14.2f %14.1f\n' "$label" "$seconds" "$median" "$cpu" \
        "$(awk -v k="$kb" 'BEGIN { print k / 1024 }')"
done <"$measurements"
rss_1m="$(awk -F'\t' '$1 == "none, 1M records" { print $4 }' "$measurements")"
rss_10m="$(awk -F'\t' '$1 == "none, 10M records" { print $4 }' "$measurements")"
printf '  memory growth 1M -> 10M records (none): %.2fx\n' \
    "$(awk -v a="$rss_1m" -v b="$rss_10m" 'BEGIN { print b / a }')"
for codec in lz4 none; do
    plain="$(awk -F'\t' -v l="$codec, 1M records" '$1 == l { print $3 }' "$measurements")"
    faulty="$(awk -F'\t' -v l="$codec, 1M, crash" '$1 == l { print $3 }' "$measurements")"
    printf '  %s 1M with a broker crash and restart vs without: %.2fx (target < 2x)\n' \
        "$codec" "$(awk -v a="$plain" -v b="$faulty" 'BEGIN { print b / a }')"
done
# Only the engine runs compare with the CLI (the write path's per-frame lines are printed above).
grep '^BENCH wasm compression.type=' "$browser" | while read -r _ _ codec _ _ _ ms _; do
    codec="${codec#compression.type=}"
    codec="${codec%:}"
    native="$(awk -F'\t' -v l="$codec, 1M records" '$1 == l { print $3 }' "$measurements")"
    printf '  %s 1M in the browser vs native: %.2fx (target <= 2x)\n' \
        "$codec" "$(awk -v a="$native" -v b="$ms" 'BEGIN { print b / 1000 / a }')"
done
rm -f "$browser"
