#!/usr/bin/env bash
# Installs what building, serving and testing producer-sim needs, and only what is
# missing: safe to run any number of times. Used by scripts/serve.sh and scripts/test.sh.
#
#   - the Rust toolchain of rust-toolchain.toml, with rustfmt, clippy and the
#     wasm32-unknown-unknown target
#   - trunk 0.21.14 (0.22 needs a newer rustc than the pinned one)
#   - wasm-bindgen-cli at exactly the wasm-bindgen version in Cargo.lock
#     (it also brings wasm-bindgen-test-runner)
#   - Chromium and ChromeDriver from Debian, for the browser tests
#   - the Node packages of tests/e2e (playwright-core, and binaryen for a wasm-opt
#     that works: Debian's does not)
#   - the other clients' own partitioners, as test oracles (tests/client_oracles.rs):
#     librdkafka1, Go with sarama's source (Debian), and kafkajs (npm, tests/oracles)
set -euo pipefail

# shellcheck source=scripts/env.sh
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$REPO_ROOT"

TRUNK_VERSION=0.21.14

say() { printf '[setup] %s\n' "$*"; }
die() {
    printf '[setup] error: %s\n' "$*" >&2
    exit 1
}

as_root() {
    if [ "$(id -u)" -eq 0 ]; then
        "$@"
    elif command -v sudo >/dev/null; then
        sudo "$@"
    else
        die "need root (or sudo) to run: $*"
    fi
}

APT_UPDATED=0
apt_install() {
    command -v apt-get >/dev/null || die "apt-get not found: install $* by hand"
    if [ "$APT_UPDATED" -eq 0 ]; then
        say "apt-get update"
        as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq
        APT_UPDATED=1
    fi
    say "apt-get install $*"
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@"
}

# --- Rust toolchain --------------------------------------------------------------
command -v rustup >/dev/null || die "rustup not found (this machine kind comes with it)"
channel="$(sed -n 's/^channel *= *"\(.*\)"/\1/p' rust-toolchain.toml)"
[ -n "$channel" ] || die "no channel in rust-toolchain.toml"
if ! rustup toolchain list | grep -q "^$channel"; then
    say "installing Rust $channel"
    rustup toolchain install "$channel" --profile minimal \
        --component rustfmt --component clippy --target wasm32-unknown-unknown
fi
installed_components="$(rustup component list --installed --toolchain "$channel")"
for component in rustfmt clippy; do
    if ! grep -q "^$component" <<<"$installed_components"; then
        say "adding $component to Rust $channel"
        rustup component add --toolchain "$channel" "$component"
    fi
done
if ! rustup target list --installed --toolchain "$channel" | grep -qx wasm32-unknown-unknown; then
    say "adding the wasm32-unknown-unknown target to Rust $channel"
    rustup target add --toolchain "$channel" wasm32-unknown-unknown
fi
say "rust: $(rustc --version)"

# --- trunk -----------------------------------------------------------------------
if [ "$(trunk --version 2>/dev/null)" != "trunk $TRUNK_VERSION" ]; then
    say "installing trunk $TRUNK_VERSION (a few minutes)"
    cargo install trunk --version "$TRUNK_VERSION" --locked
fi
say "$(trunk --version)"

# --- wasm-bindgen-cli ------------------------------------------------------------
bindgen_version="$(locked_version wasm-bindgen)"
[ -n "$bindgen_version" ] || die "wasm-bindgen not found in Cargo.lock"
if [ "$(wasm-bindgen --version 2>/dev/null)" != "wasm-bindgen $bindgen_version" ] ||
    ! command -v wasm-bindgen-test-runner >/dev/null; then
    say "installing wasm-bindgen-cli $bindgen_version (a few minutes)"
    # Not --locked: its lockfile names a crate version this registry does not serve.
    cargo install wasm-bindgen-cli --version "$bindgen_version" --force
fi
say "$(wasm-bindgen --version)"

# --- Chromium and ChromeDriver ---------------------------------------------------
missing=()
[ -x "$CHROMIUM" ] || missing+=(chromium)
[ -x "$CHROMEDRIVER" ] || missing+=(chromium-driver)
if [ "${#missing[@]}" -gt 0 ]; then
    apt_install "${missing[@]}"
fi
say "$("$CHROMEDRIVER" --version | cut -d' ' -f1-2), chromium $("$CHROMIUM" --version 2>/dev/null | grep -o '[0-9][0-9.]*' | head -1)"

# --- Node packages: playwright-core, binaryen's wasm-opt and terser ---------------
if ! command -v npm >/dev/null; then
    apt_install nodejs npm
fi
node_major="$(node -p 'process.versions.node.split(".")[0]')"
[ "$node_major" -ge 20 ] || die "Node.js 20 or newer is needed (found $(node --version))"
# npm ci starts from scratch each time; skip it when node_modules matches the lockfile.
if [ ! -f "$E2E_DIR/node_modules/.package-lock.json" ] ||
    [ "$E2E_DIR/package-lock.json" -nt "$E2E_DIR/node_modules/.package-lock.json" ]; then
    say "npm ci in tests/e2e"
    (cd "$E2E_DIR" && npm ci --no-audit --no-fund)
fi
wanted_binaryen="$(node -p "require('$E2E_DIR/package.json').devDependencies.binaryen.split('.')[0]")"
wasm_opt_version="$(wasm-opt --version 2>/dev/null || true)"
case "$wasm_opt_version" in
*"(version_$wanted_binaryen)"*) ;;
*) die "wasm-opt on PATH is '$wasm_opt_version' ($(command -v wasm-opt || echo none)), expected version_$wanted_binaryen from tests/e2e/node_modules" ;;
esac
grep -q "wasm_opt = \"version_$wanted_binaryen\"" Trunk.toml ||
    die "Trunk.toml [tools] wasm_opt must be \"version_$wanted_binaryen\" (the binaryen in tests/e2e/package.json)"
say "$wasm_opt_version; node $(node --version)"

# --- Other clients as test oracles (tests/client_oracles.rs) ----------------------
missing=()
command -v python3 >/dev/null || missing+=(python3)
for package in librdkafka1 golang-go golang-github-shopify-sarama-dev; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q 'ok installed' ||
        missing+=("$package")
done
if [ "${#missing[@]}" -gt 0 ]; then
    apt_install "${missing[@]}"
fi
ORACLES_DIR="$REPO_ROOT/tests/oracles"
if [ ! -f "$ORACLES_DIR/node_modules/.package-lock.json" ] ||
    [ "$ORACLES_DIR/package-lock.json" -nt "$ORACLES_DIR/node_modules/.package-lock.json" ]; then
    say "npm ci in tests/oracles"
    (cd "$ORACLES_DIR" && npm ci --no-audit --no-fund)
fi
say "oracles: librdkafka $(dpkg-query -W -f='${Version}' librdkafka1), $(go version | cut -d' ' -f3) with sarama $(dpkg-query -W -f='${Version}' golang-github-shopify-sarama-dev), kafkajs $(node -p "require('$ORACLES_DIR/node_modules/kafkajs/package.json').version")"
say "ready"
