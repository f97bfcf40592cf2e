#!/usr/bin/env bash
# Runs every benchmark of the issues and prints one table: figure, labctl, peer, ratio, target.
# Each script prints its rows as "figure|labctl|peer|ratio|target"; their full output is kept
# in $BENCH_LOGS (default /tmp/labctl-bench). Sizes are the issues' unless BENCH_QUICK=1.
#   scripts/bench/all.sh            # ~15 min on 2 cores (the ssh-keygen loop alone takes ~5)
#   BENCH_QUICK=1 scripts/bench/all.sh
set -uo pipefail
cd "$(dirname "$0")/../.."
logs=${BENCH_LOGS:-/tmp/labctl-bench}; mkdir -p "$logs"
if [ "${BENCH_QUICK:-0}" = 1 ]; then keys=2000; hosts=100; scale="60 4 10"; export BENCH_ROUNDS=1; else keys=10000; hosts=200; scale="300 20 50"; fi
scratch=${LABCTL_RELEASE_SCRATCH:-.build-release}
export LABCTL_RELEASE_SCRATCH="$scratch"
echo "== release build ($scratch)"
swift build -c release --scratch-path "$scratch" --product labctl >/dev/null || exit 2
export LABCTL_BIN="$(swift build -c release --scratch-path "$scratch" --show-bin-path)/labctl"
# The machine is shared (other builds on 2 cores): each figure is reported with the 1-minute
# load average when its script started, so a reader can tell a quiet run from a loaded one.
loadavg() { cut -d' ' -f1 /proc/loadavg; }
run() { # name command...
  local name=$1; shift
  echo "== $name: $* (load average $(loadavg))"
  echo "$name $(loadavg)" >>"$logs/load.txt"
  "$@" >"$logs/$name.log" 2>&1; local rc=$?
  [ $rc -eq 0 ] || echo "   $name exited $rc (see $logs/$name.log)"
  grep -E '^[^|]+\|[^|]+\|[^|]+\|[^|]+\|[^|]+$' "$logs/$name.log" >>"$logs/rows.txt"
}
: >"$logs/rows.txt"; : >"$logs/load.txt"
run keys-check scripts/bench/keys-check.sh "$keys"
run intake scripts/bench/intake.sh 10      # GET /join over HTTP and TLS, POST /api/v1/join closed loop (throughput) and open loop over TLS (500/s, p99)
run verify scripts/bench/verify.sh "$hosts"
run provision scripts/bench/provision.sh
# shellcheck disable=SC2086 # three sizes: BIG SESSIONS PER
run apply-scale scripts/bench/apply-scale.sh $scale
echo
python3 - "$logs/rows.txt" <<'PY'
import sys
rows = [l.rstrip("\n").split("|") for l in open(sys.argv[1]) if l.strip()]
header = ["FIGURE", "LABCTL", "PEER", "RATIO", "TARGET"]
widths = [max(len(r[i]) for r in rows + [header]) for i in range(5)]
for r in [header] + rows:
    print("  ".join(c.ljust(w) for c, w in zip(r, widths)).rstrip())
PY
echo "1-minute load average when each script started: $(tr '\n' ' ' <"$logs/load.txt")(now $(loadavg), $(nproc) cores)"
