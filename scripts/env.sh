# Sourced by the other scripts (not run on its own): the environment the builds and
# tests need once scripts/setup.sh has installed everything.

# shellcheck disable=SC2034  # REPO_ROOT and E2E_DIR are used by the scripts that source this
REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
E2E_DIR="$REPO_ROOT/tests/e2e"

# cargo-installed tools (trunk, wasm-bindgen) and, first, the npm-installed wasm-opt:
# Debian's binaryen 108 produces modules that fail at start-up, so ours must win.
export PATH="$E2E_DIR/node_modules/.bin:${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"

# Trunk would otherwise ask crates.io for a newer version on every run.
export TRUNK_SKIP_VERSION_CHECK=true

# Browser tests: the system Chromium and its driver.
export CHROMIUM="${CHROMIUM:-/usr/bin/chromium}"
export CHROMEDRIVER="${CHROMEDRIVER:-/usr/bin/chromedriver}"
export CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner
# The runner's default (20 s) is tight on a busy 2-core machine.
export WASM_BINDGEN_TEST_TIMEOUT="${WASM_BINDGEN_TEST_TIMEOUT:-120}"

# The version of a crate as Cargo.lock pins it, e.g. `locked_version wasm-bindgen`.
locked_version() {
    awk -v name="$1" '
        $0 == "name = \"" name "\"" { found = 1; next }
        found && /^version = / { gsub(/"/, "", $3); print $3; exit }
    ' "$REPO_ROOT/Cargo.lock"
}
