#!/usr/bin/env bash
# The README's main command: installs what is missing (idempotent), builds labctl,
# and rehearses a whole lab on this machine with `labctl demo` (arguments pass through).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
. scripts/tf-mirror.sh
echo "== building labctl (the first build takes several minutes)"
swift build --product labctl 2>&1 | { grep -E "error|Compiling labctl|Build complete" || true; } | tail -n 5
exec .build/debug/labctl demo "$@"
