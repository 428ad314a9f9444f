#!/usr/bin/env bash
# Trunk's post-build hook (Trunk.toml), run on every build in $TRUNK_STAGING_DIR:
#  1. renders the page's markup into index.html with the app's own components
#     (src/bin/render-page.rs, built natively with feature `ssr`);
#  2. under scripts/serve.sh: lets the page's Content-Security-Policy reach Trunk's
#     live-reload WebSocket ($PRODUCER_SIM_LIVE_RELOAD), for that build only;
#  3. release builds only: minifies the JavaScript (scripts/minify-js.mjs) and writes
#     precompressed copies of the text and WebAssembly files (scripts/precompress.mjs).
set -euo pipefail

: "${TRUNK_STAGING_DIR:?run by Trunk as a post_build hook}"
cd "$(dirname "${BASH_SOURCE[0]}")/.."

# Trunk's own cargo settings are for the wasm build: the renderer is a native program.
unset CARGO_BUILD_TARGET
cargo run --quiet --no-default-features --features ssr --bin render-page -- \
    "$TRUNK_STAGING_DIR/index.html"

if [ -n "${PRODUCER_SIM_LIVE_RELOAD:-}" ]; then
    sed -i "s|connect-src 'self'|connect-src 'self' $PRODUCER_SIM_LIVE_RELOAD|" \
        "$TRUNK_STAGING_DIR/index.html"
fi

if [ "${TRUNK_PROFILE:-}" = release ]; then
    node scripts/minify-js.mjs
    node scripts/precompress.mjs "$TRUNK_STAGING_DIR"
fi
