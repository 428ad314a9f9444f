#!/usr/bin/env bash
# Runs every check and test of producer-sim, installing what is missing first:
#
#   bash scripts/test.sh
#
# Each step runs even if an earlier one failed (except those that need its output),
# and a summary with the time of each step ends the run. Exits non-zero if any failed.
#
# Environment:
#   TEST_PROFILE=release  run the native tests in the release profile (default: dev)
#   SKIP_BENCH=1          leave out the engine benchmark
set -uo pipefail

# shellcheck source=scripts/env.sh
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$REPO_ROOT"

declare -a STEP_NAMES=() STEP_RESULTS=() STEP_SECONDS=()
declare -A RESULT_OF=()

now() { printf '%s' "${EPOCHREALTIME/,/.}"; }
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", b - a }'; }

# run_step NAME [--needs OTHER_STEP] -- COMMAND...
run_step() {
    local name="$1" needs=""
    shift
    if [ "${1:-}" = "--needs" ]; then
        needs="$2"
        shift 2
    fi
    [ "${1:-}" = "--" ] && shift

    printf '\n\033[1m==> %s\033[0m\n' "$name"
    local result seconds start
    if [ -n "$needs" ] && [ "${RESULT_OF[$needs]:-}" != PASS ]; then
        echo "skipped: needs '$needs', which did not pass"
        result=SKIP
        seconds=0.0
    else
        start="$(now)"
        if "$@"; then result=PASS; else result=FAIL; fi
        seconds="$(elapsed "$start" "$(now)")"
        echo "--- $name: $result in ${seconds} s"
    fi
    STEP_NAMES+=("$name")
    STEP_RESULTS+=("$result")
    STEP_SECONDS+=("$seconds")
    RESULT_OF[$name]=$result
}

summary() {
    local total_start="$1" passed=0 failed=0 skipped=0 i
    printf '\n\033[1m==> summary\033[0m\n'
    for i in "${!STEP_NAMES[@]}"; do
        printf '  %-4s  %-30s %8s s\n' "${STEP_RESULTS[$i]}" "${STEP_NAMES[$i]}" "${STEP_SECONDS[$i]}"
        case "${STEP_RESULTS[$i]}" in
        PASS) passed=$((passed + 1)) ;;
        FAIL) failed=$((failed + 1)) ;;
        *) skipped=$((skipped + 1)) ;;
        esac
    done
    printf '  total %s s\n' "$(elapsed "$total_start" "$(now)")"
    # Skipped steps count as failed: something they needed did not work.
    failed=$((failed + skipped))
    if [ "$failed" -eq 0 ]; then
        printf '\033[1;32mALL PASSED\033[0m\n'
    else
        printf '\033[1;31mFAILED\033[0m\n'
    fi
    # The plain closing line CI reads.
    echo "steps: $passed passed, $failed failed"
    [ "$failed" -eq 0 ]
}

# --- the steps -------------------------------------------------------------------------

# Browser tests are the integration tests named tests/web_*.rs; each is gated on
# wasm32 + the `web` feature, so natively they compile to nothing.
web_test_args() {
    local f
    for f in tests/web_*.rs; do
        [ -e "$f" ] && printf -- '--test\n%s\n' "$(basename "$f" .rs)"
    done
}
mapfile -t WEB_TESTS < <(web_test_args)

wasm_tests() {
    if [ "${#WEB_TESTS[@]}" -eq 0 ]; then
        echo "no tests/web_*.rs found"
        return 1
    fi
    cargo test --no-fail-fast --target wasm32-unknown-unknown "${WEB_TESTS[@]}"
}

native_tests() {
    if [ "${TEST_PROFILE:-dev}" = release ]; then
        cargo test --no-fail-fast --workspace --no-default-features --release
    else
        cargo test --no-fail-fast --workspace --no-default-features
    fi
}

e2e_tests() {
    (cd "$E2E_DIR" && DIST_DIR="$REPO_ROOT/dist" npm test --silent)
}

TOTAL_START="$(now)"

run_step setup -- bash scripts/setup.sh
if [ "${RESULT_OF[setup]}" != PASS ]; then
    echo "setup failed: nothing else can run"
    summary "$TOTAL_START"
    exit 1
fi

run_step "cargo fmt --check" -- cargo fmt --all -- --check
run_step "clippy (native, no web)" -- \
    cargo clippy --workspace --no-default-features --all-targets -- -D warnings
run_step "clippy (wasm32, web)" -- \
    cargo clippy --target wasm32-unknown-unknown --lib --bins "${WEB_TESTS[@]}" -- -D warnings
run_step "clippy (native, ssr)" -- \
    cargo clippy --no-default-features --features ssr --bin render-page -- -D warnings
run_step "native tests" -- native_tests
# The build-time renderer: the whole App rendered natively, and its edit of index.html.
run_step "page render (native, ssr)" -- \
    cargo test --no-fail-fast --no-default-features --features ssr --bin render-page
run_step "browser tests (wasm)" -- wasm_tests
# The UI's pure helpers (layout, chart axes, ...) have plain #[test]s: run them natively.
run_step "UI unit tests (native)" -- cargo test --no-fail-fast --lib ui::
run_step "trunk build --release" -- trunk build --release
run_step "bundle size" --needs "trunk build --release" -- bash scripts/bundle-size.sh dist
run_step "end-to-end tests" --needs "trunk build --release" -- e2e_tests
if [ -z "${SKIP_BENCH:-}" ]; then
    run_step "engine benchmark" -- bash scripts/bench.sh
fi

summary "$TOTAL_START"
