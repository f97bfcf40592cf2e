#!/usr/bin/env bash
# Benchmark: labctl's join page (`GET /join/<code>`: code lookup, rendering, security
# headers) against a bare Hummingbird route serving a page of the same size
# (Benchmarks/IntakeBenchPeer), both release builds, same wrk load, same run.
# Then the submissions: 1,000 distinct participants (valid ed25519 keys, made here)
# posted to `POST /api/v1/join/<code>` of one session over 64 keep-alive connections
# (scripts/bench/post-load.c, a compiled epoll client, so the client is not the limit), against the peer's bare POST route with the same bodies;
# a warm-up round, then BENCH_ROUNDS measured rounds (median reported), each into a new
# session, whose rows are counted in SQLite afterwards (lost = acknowledged but not stored,
# duplicated = stored more than once or stored without an acknowledgement).
#   scripts/bench/intake.sh [SECONDS=10]   (CONNECTIONS=64, THREADS=2, BENCH_ROUNDS=3, GET_SLICES=5)
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
"$bin/labctl" create-config bench --ssh-from 198.51.100.0/24 --max-participants 1000 >/dev/null
url=$("$bin/labctl" open bench --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["join_url"])')
code=${url##*/}
p1=$(free_port); "$bin/labctl" serve --port "$p1" >"$work/serve.log" 2>&1 & pids+=($!)
p2=$(free_port); "$bin/intake-bench-peer" "$p2" >"$work/peer.log" 2>&1 & pids+=($!)
wait_port "$p1"; wait_port "$p2"
cc -O2 -o "$work/post-load" scripts/bench/post-load.c
rate() { wrk -t"$threads" -c"$conns" -d"$2" "$1" | awk '/Requests\/sec/{print $2}'; }
rate "http://127.0.0.1:$p1/join/$code" 2s >/dev/null   # warm-up, not counted
rate "http://127.0.0.1:$p2/join/x" 2s >/dev/null
# Alternating slices (GET_SLICES of SECONDS/GET_SLICES each), so that a load change on a shared
# machine hits both sides alike; each side's figure is the median of its slices.
slices=${GET_SLICES:-5}; slice=$(python3 -c "print(max(1, round($secs / $slices)))")s
: >"$work/get-ours"; : >"$work/get-peer"
for _ in $(seq 1 "$slices"); do
  rate "http://127.0.0.1:$p1/join/$code" "$slice" >>"$work/get-ours"
  rate "http://127.0.0.1:$p2/join/x" "$slice" >>"$work/get-peer"
done
median() { sort -g "$1" | awk '{v[NR]=$1} END {print (NR % 2) ? v[(NR+1)/2] : (v[NR/2] + v[NR/2+1]) / 2}'; }
ours=$(median "$work/get-ours"); peer=$(median "$work/get-peer")
echo "GET slices ($slice each), labctl: $(tr '\n' ' ' <"$work/get-ours"); peer: $(tr '\n' ' ' <"$work/get-peer")"

# --- POST: 1,000 distinct participants into one session, per round ---
participants=1000; rounds=${BENCH_ROUNDS:-3}
python3 - "$work" "$participants" "$rounds" <<'PY'
import json, sys
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ed25519
work, n, rounds = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
for r in range(rounds + 1):  # round 0 is the warm-up
    with open(f"{work}/post-{r}.jsonl", "w") as f:
        for i in range(n):
            key = ed25519.Ed25519PrivateKey.generate().public_key().public_bytes(
                serialization.Encoding.OpenSSH, serialization.PublicFormat.OpenSSH).decode()
            f.write(json.dumps({"first_name": f"r{r}p{i}", "last_name": "bench", "public_key": key + f" r{r}p{i}@laptop"}) + "\n")
PY
: >"$work/post-results"
for r in $(seq 0 "$rounds"); do
  session=bench-post-$r
  "$bin/labctl" create-config "$session" --ssh-from 198.51.100.0/24 --max-participants 1000 >/dev/null
  pcode=$("$bin/labctl" open "$session" --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["join_url"].rsplit("/",1)[1])')
  "$work/post-load" "$p1" "/api/v1/join/$pcode" "$work/post-$r.jsonl" "$conns" >"$work/post-labctl-$r.json"
  "$work/post-load" "$p2" "/api/v1/join/x" "$work/post-$r.jsonl" "$conns" >"$work/post-peer-$r.json"
  [ "$r" = 0 ] || echo "$r $session" >>"$work/post-results"
done

python3 - "$ours" "$peer" "$conns" "$secs" "$work" "$LABCTL_ROOT/.labctl/lab.sqlite" "$participants" <<'PY'
import json, sqlite3, statistics, sys
ours, peer, conns, secs, work, db, n = float(sys.argv[1]), float(sys.argv[2]), sys.argv[3], sys.argv[4], sys.argv[5], sys.argv[6], int(sys.argv[7])
print(f"GET /join: labctl {ours:,.0f} req/s, bare Hummingbird {peer:,.0f} req/s ({conns} connections, {secs} s each)")
rows = []
con = sqlite3.connect(db)
for line in open(f"{work}/post-results"):
    r, session = line.split()
    lab = json.load(open(f"{work}/post-labctl-{r}.json"))
    bare = json.load(open(f"{work}/post-peer-{r}.json"))
    stored = [name for (name,) in con.execute("SELECT name FROM participant WHERE session = ?", (session,))]
    acked = [a for a in lab["accepted"] if a]
    lost = len(set(acked) - set(stored))
    duplicated = (len(stored) - len(set(stored))) + len(set(stored) - set(acked)) + (len(acked) - len(set(acked)))
    rows.append((lab, bare, len(stored), lost, duplicated))
    print(f"POST round {r} ({session}): labctl {lab['accepted_per_s']:,.0f} accepted/s p50 {lab['p50_ms']:.1f} ms p99 {lab['p99_ms']:.1f} ms "
          f"(after the first {conns}: {lab['p99_after_first_wave_ms']:.1f} ms) "
          f"statuses {lab['statuses']}; bare {bare['accepted_per_s']:,.0f}/s p99 {bare['p99_ms']:.1f} ms; "
          f"SQLite: {len(stored)} rows, {lost} lost, {duplicated} duplicated")
med = sorted(rows, key=lambda x: x[0]["accepted_per_s"])[len(rows) // 2]
lab, bare = med[0], med[1]
worst_p99 = max(x[0]["p99_ms"] for x in rows)
stored_all, lost_all, dup_all = sum(x[2] for x in rows), sum(x[3] for x in rows), sum(x[4] for x in rows)
print(f"GET /join throughput|{ours:,.0f} req/s|{peer:,.0f} req/s bare Hummingbird|{ours/peer:.2f}x|>= 0.5x")
print(f"POST /api/v1/join: {n} participants, {conns} conns (median of {len(rows)})|{lab['accepted_per_s']:,.0f} accepted/s|{bare['accepted_per_s']:,.0f}/s bare route|{lab['accepted_per_s']/bare['accepted_per_s']:.2f}x|>= 2,000/s")
print(f"POST /api/v1/join: p99 latency (median round; worst {worst_p99:.1f} ms)|{lab['p99_ms']:.1f} ms|{bare['p99_ms']:.1f} ms bare route|{lab['p99_ms']/max(bare['p99_ms'], 0.001):.2f}x|<= 25 ms")
print(f"POST /api/v1/join: p99 without each round's first {conns} requests, which leave at once (median round; for reading the row above)|{lab['p99_after_first_wave_ms']:.1f} ms|{bare['p99_after_first_wave_ms']:.1f} ms bare route|{lab['p99_after_first_wave_ms']/max(bare['p99_after_first_wave_ms'], 0.001):.2f}x|<= 25 ms")
print(f"POST /api/v1/join: rows in SQLite after {len(rows)} x {n}|{stored_all} stored, {lost_all} lost, {dup_all} duplicated|{len(rows) * n} sent|-|0 lost, 0 duplicated")
PY
