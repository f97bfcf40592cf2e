#!/usr/bin/env bash
# Compatibility wrapper: the original script's verbs, forwarded to labctl.
#   ./scripts/manage-session.sh apply session-1 -y   →   labctl apply session-1 -y
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
labctl="${LABCTL_BIN:-}"
if [ -z "$labctl" ]; then
  for candidate in "$here/.build/release/labctl" "$here/.build/debug/labctl" "$(command -v labctl || true)"; do
    if [ -n "$candidate" ] && [ -x "$candidate" ]; then labctl="$candidate"; break; fi
  done
fi
if [ -z "$labctl" ]; then
  echo "manage-session.sh: labctl is not built yet; run: swift build -c release --product labctl" >&2
  exit 2
fi
verb="${1:-help}"
case "$verb" in
  list|create-config|workspaces|init|plan|apply|destroy|output|status|switch|unlock|cost|network|keys|verify|sheets)
    shift; exec "$labctl" "$verb" "$@" ;;
  help|-h|--help)
    echo "usage: $0 {list|create-config|workspaces|init|plan|apply|destroy|output|status|switch} [session...] [-y]"
    echo "Forwards to labctl; see 'labctl --help' for everything it does."
    exit 0 ;;
  *)
    echo "manage-session.sh: unknown command '$verb'; see '$0 help' or 'labctl --help'." >&2
    exit 2 ;;
esac
