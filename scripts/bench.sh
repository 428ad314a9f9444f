#!/usr/bin/env bash
# The engine benchmark: times the release CLI on the default scenario (3 brokers,
# 3 partitions, replication factor 3, 200-byte JSON values, 1 000 keys) and prints a
# table of wall time and peak memory. It reports; it does not fail on time.
#
#   bash scripts/bench.sh
#
# Environment: BENCH_RUNS (default 3) runs of each 1M-record case, the best one counts.
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

# bench LABEL RUNS ARGS... : the best wall time of RUNS runs, and the peak RSS of that run.
bench() {
    local label="$1" n="$2" best_s="" best_kb="" i s kb
    shift 2
    echo
    echo "--- $label: producer-sim $* (best of $n)"
    for ((i = 1; i <= n; i++)); do
        /usr/bin/time -f '%e %M' -o "$measurements.time" "$cli" "$@" >"$measurements.out"
        read -r s kb <"$measurements.time"
        if [ -z "$best_s" ] || awk -v a="$s" -v b="$best_s" 'BEGIN { exit !(a < b) }'; then
            best_s="$s"
            best_kb="$kb"
        fi
    done
    sed 's/^/    /' "$measurements.out"
    rm -f "$measurements.out"
    printf '%s\t%s\t%s\t%s\n' "$label" "$*" "$best_s" "$best_kb" >>"$measurements"
}

bench "lz4, 1M records" "$runs" simulate --records 1000000 --set compression.type=lz4
bench "none, 1M records" "$runs" simulate --records 1000000 --set compression.type=none
bench "none, 10M records" 1 simulate --records 10000000 --set compression.type=none

echo
echo "engine benchmark (release CLI, wall time; targets: lz4 1M < 1 s, none 1M < 0.5 s)"
printf '  %-20s %10s %14s\n' case "wall (s)" "max RSS (MiB)"
while IFS=$'\t' read -r label _ seconds kb; do
    printf '  %-20s %10.2f %14.1f\n' "$label" "$seconds" "$(awk -v k="$kb" 'BEGIN { print k / 1024 }')"
done <"$measurements"
rss_1m="$(awk -F'\t' '$1 == "none, 1M records" { print $4 }' "$measurements")"
rss_10m="$(awk -F'\t' '$1 == "none, 10M records" { print $4 }' "$measurements")"
printf '  memory growth 1M -> 10M records (none): %.2fx\n' \
    "$(awk -v a="$rss_1m" -v b="$rss_10m" 'BEGIN { print b / a }')"
