#!/usr/bin/env bash
# Benchmark: labctl's join page (`GET /join/<code>`: database lookup, rendering, security
# headers) against a bare Hummingbird route serving a page of the same size
# (Benchmarks/IntakeBenchPeer), both release builds, same wrk load, same run.
#   scripts/bench/intake.sh [SECONDS=10]   (CONNECTIONS=64, THREADS=2)
# Prints "figure|labctl|peer|ratio|target" rows on its last lines for scripts/bench/all.sh.
set -euo pipefail
cd "$(dirname "$0")/../.."
secs=${1:-10}; conns=${CONNECTIONS:-64}; threads=${THREADS:-2}
scratch=${LABCTL_RELEASE_SCRATCH:-.build-release}
command -v wrk >/dev/null || scripts/setup.sh
swift build -c release --scratch-path "$scratch" --product labctl >/dev/null
swift build -c release --scratch-path "$scratch" --product intake-bench-peer >/dev/null
bin=$(swift build -c release --scratch-path "$scratch" --show-bin-path)
work=$(mktemp -d); pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
wait_port() { until python3 -c "import socket; socket.create_connection(('127.0.0.1',$1),0.2)" 2>/dev/null; do sleep 0.1; done; }

mkdir -p "$work/lab/sessions" "$work/lab/terraform"
export LABCTL_ROOT="$work/lab" LABCTL_ADMIN_TOKEN=bench-token-not-secret NO_COLOR=1
"$bin/labctl" create-config bench --ssh-from 198.51.100.0/24 >/dev/null
url=$("$bin/labctl" open bench --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["join_url"])')
code=${url##*/}
p1=$(free_port); "$bin/labctl" serve --port "$p1" >"$work/serve.log" 2>&1 & pids+=($!)
p2=$(free_port); "$bin/intake-bench-peer" "$p2" >"$work/peer.log" 2>&1 & pids+=($!)
wait_port "$p1"; wait_port "$p2"
rate() { wrk -t"$threads" -c"$conns" -d"${secs}s" "$1" | awk '/Requests\/sec/{print $2}'; }
rate "http://127.0.0.1:$p1/join/$code" >/dev/null   # warm-up, not counted
rate "http://127.0.0.1:$p2/join/x" >/dev/null
ours=$(rate "http://127.0.0.1:$p1/join/$code")
peer=$(rate "http://127.0.0.1:$p2/join/x")
python3 - "$ours" "$peer" "$conns" "$secs" <<'PY'
import sys
ours, peer, conns, secs = float(sys.argv[1]), float(sys.argv[2]), sys.argv[3], sys.argv[4]
print(f"GET /join: labctl {ours:,.0f} req/s, bare Hummingbird {peer:,.0f} req/s ({conns} connections, {secs} s each)")
print(f"GET /join throughput|{ours:,.0f} req/s|{peer:,.0f} req/s bare Hummingbird|{ours/peer:.2f}x|>= 0.5x")
PY
