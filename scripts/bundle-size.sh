#!/usr/bin/env bash
# Prints the gzip -9 size of each file of a release build (HTML, JS, WASM, CSS and
# the favicon: everything the page loads; not the precompressed .gz/.br copies) against
# the 550 kB budget, and fails when the bundle is over it (or there is no build to
# measure). The budget was 400 kB until the page gained its build-time markup, every
# client's partitioners and the "Your keys" / "Your records" views (README, "Bundle").
#
#   bash scripts/bundle-size.sh [DIST_DIR]     (default: dist)
set -euo pipefail

dist="${1:-dist}"
budget_bytes=$((550 * 1000)) # 550 kB

[ -f "$dist/index.html" ] || {
    echo "no $dist/index.html: run 'trunk build --release' first" >&2
    exit 1
}

total=0
while IFS= read -r -d '' file; do
    raw=$(wc -c <"$file")
    gz=$(gzip -9 -c "$file" | wc -c)
    total=$((total + gz))
    printf '  %-48s %9d B raw %9d B gzip\n' "${file#"$dist"/}" "$raw" "$gz"
done < <(find "$dist" -type f ! -name '*.gz' ! -name '*.br' -print0 | sort -z)

printf 'bundle (gzip): %d B = %.1f kB of a %d kB budget\n' \
    "$total" "$(awk -v t="$total" 'BEGIN { print t / 1000 }')" $((budget_bytes / 1000))
if [ "$total" -ge "$budget_bytes" ]; then
    echo "OVER BUDGET by $(((total - budget_bytes + 999) / 1000)) kB" >&2
    exit 1
fi
