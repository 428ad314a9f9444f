#!/usr/bin/env bash
# Installs what is missing, then builds producer-sim in release mode and serves it on
# 127.0.0.1 (port 8080, or the next free one; PORT=... picks another start), rebuilding
# when a source file changes. Stop with Ctrl-C.
set -euo pipefail

# shellcheck source=scripts/env.sh
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
bash "$REPO_ROOT/scripts/setup.sh"
cd "$REPO_ROOT"

port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

port="${PORT:-8080}"
last=$((port + 100))
while port_in_use "$port"; do
    port=$((port + 1))
    [ "$port" -le "$last" ] || {
        echo "no free port between ${PORT:-8080} and $last" >&2
        exit 1
    }
done

url="http://127.0.0.1:$port/"
cat <<BANNER

  producer-sim will be served at

      $url

  (the first release build takes a few minutes; open the URL once Trunk
  reports "server listening". Ctrl-C stops it.)

BANNER
# Trunk's live-reload script talks to the server over a WebSocket, which the page's
# Content-Security-Policy (connect-src 'self') does not cover in every browser: the
# post-build hook (scripts/post-build.sh) adds this address to served builds only.
export PRODUCER_SIM_LIVE_RELOAD="ws://127.0.0.1:$port"
exec trunk serve --release --address 127.0.0.1 --port "$port"
