#!/usr/bin/env bash
# Benchmark: labctl's intake against a bare Hummingbird 2 peer (Benchmarks/IntakeBenchPeer:
# the same routes with fixed answers of the same size, no middleware, no database), both
# release builds, the same load, the same run. Two phases, each with fresh servers:
#
# 1. Plain HTTP. GET /join/<code> (code lookup, rendering, security headers) under wrk.
#    Then the POST throughput, closed loop: 1,000 distinct participants (valid ed25519 keys,
#    made here) posted to `POST /api/v1/join/<code>` of one session over 64 keep-alive
#    connections, each sending its next request when its answer is back
#    (scripts/bench/post-load.c, a compiled epoll client, so the client is not the limit);
#    a warm-up round, then BENCH_ROUNDS measured rounds (median reported), each into a new session.
# 2. HTTPS (labctl serve --tls-cert/--tls-key, the peer through HummingbirdTLS; a test CA and
#    a P-256 certificate for 127.0.0.1 made here with openssl). GET /join under wrk, and the
#    POST latency, open loop: joins at a constant OPEN_RATE (500/s) for OPEN_SECONDS (30 s)
#    over 64 keep-alive TLS connections, each request due at its time whatever the answers
#    do, its latency counted from when it was due (a slow answer cannot hide the requests
#    that queue behind it: no coordinated omission). 15,000 participants fill 15 sessions
#    of 1,000 in turn (max_participants is at most 1,000); a 2 s warm-up into its own session first.
#
# Every session's rows are counted in SQLite afterwards (lost = acknowledged but not stored,
# duplicated = stored more than once or stored without an acknowledgement). The lab's pod
# network pool is widened (LABCTL_POD_CIDR_POOL) to hold the run's 20,000 participants.
#   scripts/bench/intake.sh [SECONDS=10]   (CONNECTIONS=64, THREADS=2, BENCH_ROUNDS=3, GET_SLICES=5,
#                                           OPEN_RATE=500, OPEN_SECONDS=30)
# Prints "figure|labctl|peer|ratio|target" rows on its last lines for scripts/bench/all.sh.
set -euo pipefail
cd "$(dirname "$0")/../.."
secs=${1:-10}; conns=${CONNECTIONS:-64}; threads=${THREADS:-2}
open_rate=${OPEN_RATE:-500}; open_secs=${OPEN_SECONDS:-30}
scratch=${LABCTL_RELEASE_SCRATCH:-.build-release}
if ! command -v wrk >/dev/null || [ ! -f /usr/include/openssl/ssl.h ]; then scripts/setup.sh; fi
swift build -c release --scratch-path "$scratch" --product labctl >/dev/null
swift build -c release --scratch-path "$scratch" --product intake-bench-peer >/dev/null
bin=$(swift build -c release --scratch-path "$scratch" --show-bin-path)
work=$(mktemp -d); pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
wait_port() { until python3 -c "import socket; socket.create_connection(('127.0.0.1',$1),0.2)" 2>/dev/null; do sleep 0.1; done; }
stop() { for p in "$@"; do kill "$p"; wait "$p" 2>/dev/null || true; done; }
median() { sort -g "$1" | awk '{v[NR]=$1} END {print (NR % 2) ? v[(NR+1)/2] : (v[NR/2] + v[NR/2+1]) / 2}'; }
session_code() { "$bin/labctl" open "$1" --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["join_url"].rsplit("/",1)[1])'; }
# (create-config's note that the session has no end yet is not news here; its errors are shown.)
new_session() {
  "$bin/labctl" create-config "$1" --ssh-from 198.51.100.0/24 --max-participants 1000 >/dev/null 2>"$work/create-config.err" </dev/null \
    || { cat "$work/create-config.err" >&2; return 1; }
  session_code "$1" </dev/null
}

mkdir -p "$work/lab/sessions" "$work/lab/terraform"
export LABCTL_ROOT="$work/lab" LABCTL_ADMIN_TOKEN=bench-token-not-secret NO_COLOR=1
# 4,608 clusters by default; this run registers about 20,000 participants.
export LABCTL_POD_CIDR_POOL=10.128.0.0/9,11.0.0.0/8,12.0.0.0/7
code=$(new_session bench)
cc -O2 -o "$work/post-load" scripts/bench/post-load.c -lssl -lcrypto

# A test CA and a server certificate for 127.0.0.1, as a trainer's would be (P-256, full chain).
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$work/ca.key" -out "$work/ca.pem" \
  -days 2 -subj "/CN=labctl bench CA" 2>/dev/null
openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$work/server.key" -out "$work/server.csr" \
  -subj /CN=127.0.0.1 2>/dev/null
echo "subjectAltName=IP:127.0.0.1" >"$work/server.ext"
openssl x509 -req -in "$work/server.csr" -CA "$work/ca.pem" -CAkey "$work/ca.key" -set_serial 1 -days 1 \
  -extfile "$work/server.ext" -out "$work/server.pem" 2>/dev/null
chmod 600 "$work/server.key"

# GET /join/<code> on both servers under wrk: alternating slices (GET_SLICES of SECONDS/GET_SLICES
# each), so that a load change on a shared machine hits both sides alike; each side's figure is the
# median of its slices. Prints "labctl peer".
rate() { wrk -t"$threads" -c"$conns" -d"$2" "$1" | awk '/Requests\/sec/{print $2}'; }
get_pair() { # scheme labctl-port peer-port name
  rate "$1://127.0.0.1:$2/join/$code" 2s >/dev/null   # warm-up, not counted
  rate "$1://127.0.0.1:$3/join/x" 2s >/dev/null
  local slices=${GET_SLICES:-5} slice
  slice=$(python3 -c "print(max(1, round($secs / $slices)))")s
  : >"$work/get-ours-$4"; : >"$work/get-peer-$4"
  for _ in $(seq 1 "$slices"); do
    rate "$1://127.0.0.1:$2/join/$code" "$slice" >>"$work/get-ours-$4"
    rate "$1://127.0.0.1:$3/join/x" "$slice" >>"$work/get-peer-$4"
  done
  echo "GET $1 slices ($slice each), labctl: $(tr '\n' ' ' <"$work/get-ours-$4"); peer: $(tr '\n' ' ' <"$work/get-peer-$4")" >&2
  echo "$(median "$work/get-ours-$4") $(median "$work/get-peer-$4")"
}

# Participants with valid keys: closed-loop rounds (round 0 is the warm-up), the open loop's warm-up
# and its run. Open-loop lines are `path<TAB>body`: 1,000 per session, the sessions in turn.
participants=1000; rounds=${BENCH_ROUNDS:-3}; open_n=$((open_rate * open_secs)); warm_n=$((open_rate * 2))
python3 - "$work" "$participants" "$rounds" "$open_n" "$warm_n" <<'PY'
import json, sys
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ed25519
work, n, rounds, open_n, warm_n = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
def body(name):
    key = ed25519.Ed25519PrivateKey.generate().public_key().public_bytes(
        serialization.Encoding.OpenSSH, serialization.PublicFormat.OpenSSH).decode()
    return json.dumps({"first_name": name, "last_name": "bench", "public_key": f"{key} {name}@laptop"})
for r in range(rounds + 1):
    with open(f"{work}/post-{r}.jsonl", "w") as f:
        f.writelines(body(f"r{r}p{i}") + "\n" for i in range(n))
for name, count in (("open-warm", warm_n), ("open", open_n)):
    with open(f"{work}/{name}.jsonl", "w") as f:
        f.writelines(f"{i // 1000}\t{body(f'{name}{i}')}\n" for i in range(count))
PY

# --- phase 1: plain HTTP ---
p1=$(free_port); "$bin/labctl" serve --port "$p1" >"$work/serve.log" 2>&1 & serve_pid=$!; pids+=("$serve_pid")
p2=$(free_port); "$bin/intake-bench-peer" "$p2" >"$work/peer.log" 2>&1 & peer_pid=$!; pids+=("$peer_pid")
wait_port "$p1"; wait_port "$p2"
read -r ours peer < <(get_pair http "$p1" "$p2" plain)
: >"$work/post-results"
for r in $(seq 0 "$rounds"); do
  session=bench-post-$r
  pcode=$(new_session "$session")
  "$work/post-load" "$p1" "/api/v1/join/$pcode" "$work/post-$r.jsonl" "$conns" >"$work/post-labctl-$r.json"
  "$work/post-load" "$p2" "/api/v1/join/x" "$work/post-$r.jsonl" "$conns" >"$work/post-peer-$r.json"
  [ "$r" = 0 ] || echo "$r $session" >>"$work/post-results"
done
stop "$serve_pid" "$peer_pid"

# --- phase 2: HTTPS ---
p3=$(free_port)
"$bin/labctl" serve --port "$p3" --tls-cert "$work/server.pem" --tls-key "$work/server.key" >"$work/serve-tls.log" 2>&1 &
pids+=("$!")
p4=$(free_port); "$bin/intake-bench-peer" "$p4" "$work/server.pem" "$work/server.key" >"$work/peer-tls.log" 2>&1 & pids+=("$!")
wait_port "$p3"; wait_port "$p4"
read -r ours_tls peer_tls < <(get_pair https "$p3" "$p4" tls)
: >"$work/open-sessions"
for name in open-warm open; do
  # Each corpus line's session number becomes that session's join path (labctl) or the bare route (peer).
  cut -f1 "$work/$name.jsonl" | sort -un | while read -r s; do
    scode=$(new_session "$name-$s"); echo "$name $name-$s" >>"$work/open-sessions"
    awk -F'\t' -v s="$s" -v p="/api/v1/join/$scode" 'BEGIN{OFS="\t"} $1==s {$1=p} {print}' "$work/$name.jsonl" >"$work/$name.tmp"
    mv "$work/$name.tmp" "$work/$name.jsonl"
  done
  cut -f2- "$work/$name.jsonl" >"$work/$name-peer.jsonl"
  "$work/post-load" --tls "$work/ca.pem" --rate "$open_rate" "$p3" /unused "$work/$name.jsonl" "$conns" >"$work/$name-labctl.json"
  "$work/post-load" --tls "$work/ca.pem" --rate "$open_rate" "$p4" /api/v1/join/x "$work/$name-peer.jsonl" "$conns" >"$work/$name-peer.json"
done

python3 - "$work" "$LABCTL_ROOT/.labctl/lab.sqlite" "$participants" "$conns" "$secs" "$ours" "$peer" "$ours_tls" "$peer_tls" "$open_rate" "$open_secs" <<'PY'
import json, sqlite3, sys
work, db, n, conns, secs = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4], sys.argv[5]
ours, peer, ours_tls, peer_tls = (float(v) for v in sys.argv[6:10])
open_rate, open_secs = int(sys.argv[10]), int(sys.argv[11])
con = sqlite3.connect(db)
stored_total = lost_total = dup_total = sent_total = 0
def check(sessions, acked_names):
    """Rows of these sessions against the names acknowledged with 201."""
    global stored_total, lost_total, dup_total, sent_total
    stored = [name for s in sessions for (name,) in con.execute("SELECT name FROM participant WHERE session = ?", (s,))]
    acked = [a for a in acked_names if a]
    lost = len(set(acked) - set(stored))
    duplicated = (len(stored) - len(set(stored))) + len(set(stored) - set(acked)) + (len(acked) - len(set(acked)))
    stored_total += len(stored); lost_total += lost; dup_total += duplicated
    return len(stored), lost, duplicated

print(f"GET /join over HTTP: labctl {ours:,.0f} req/s, bare Hummingbird {peer:,.0f} req/s ({conns} connections, {secs} s each)")
print(f"GET /join over TLS: labctl {ours_tls:,.0f} req/s, bare Hummingbird TLS {peer_tls:,.0f} req/s")
rows = []
for line in open(f"{work}/post-results"):
    r, session = line.split()
    lab = json.load(open(f"{work}/post-labctl-{r}.json"))
    bare = json.load(open(f"{work}/post-peer-{r}.json"))
    stored, lost, duplicated = check([session], lab["accepted"])
    sent_total += n
    rows.append((lab, bare))
    print(f"POST closed loop round {r} ({session}): labctl {lab['accepted_per_s']:,.0f} accepted/s p50 {lab['p50_ms']:.1f} ms "
          f"p99 {lab['p99_ms']:.1f} ms statuses {lab['statuses']}; bare {bare['accepted_per_s']:,.0f}/s; "
          f"SQLite: {stored} rows, {lost} lost, {duplicated} duplicated")
lab, bare = sorted(rows, key=lambda x: x[0]["accepted_per_s"])[len(rows) // 2]

sessions = [line.split() for line in open(f"{work}/open-sessions")]
runs = {}
for name in ("open-warm", "open"):
    o = json.load(open(f"{work}/{name}-labctl.json"))
    b = json.load(open(f"{work}/{name}-peer.json"))
    stored, lost, duplicated = check([s for run, s in sessions if run == name], o["accepted"])
    sent_total += o["requests"]
    runs[name] = (o, b)
    for side, d in (("labctl", o), ("bare", b)):
        print(f"POST open loop {name} {side}: {d['requests']} requests at {d['rate_per_s']:.0f}/s over TLS in {d['wall_s']:.1f} s: "
              f"p50 {d['p50_ms']:.1f} ms p90 {d['p90_ms']:.1f} ms p99 {d['p99_ms']:.1f} ms max {d['max_ms']:.1f} ms; "
              f"client send lag p99 {d['send_lag_p99_ms']:.2f} ms max {d['send_lag_max_ms']:.2f} ms; statuses {d['statuses']}")
    print(f"  SQLite ({name}): {stored} rows, {lost} lost, {duplicated} duplicated")
o, b = runs["open"]
ok = o["statuses"].get("201", 0)

print(f"GET /join throughput|{ours:,.0f} req/s|{peer:,.0f} req/s bare Hummingbird|{ours/peer:.2f}x|>= 0.5x")
print(f"GET /join throughput over TLS|{ours_tls:,.0f} req/s|{peer_tls:,.0f} req/s bare Hummingbird TLS|{ours_tls/peer_tls:.2f}x|>= 0.5x")
print(f"POST /api/v1/join: {n} participants, {conns} conns, closed loop (median of {len(rows)})|{lab['accepted_per_s']:,.0f} accepted/s|{bare['accepted_per_s']:,.0f}/s bare route|{lab['accepted_per_s']/bare['accepted_per_s']:.2f}x|>= 2,000/s")
print(f"POST /api/v1/join open loop over TLS: {open_rate}/s for {open_secs} s, p99 from the scheduled send ({ok} of {o['requests']} accepted)|{o['p99_ms']:.1f} ms|{b['p99_ms']:.1f} ms bare route|{o['p99_ms']/max(b['p99_ms'], 0.001):.2f}x|<= 25 ms")
print(f"POST /api/v1/join: rows in SQLite after every round|{stored_total} stored, {lost_total} lost, {dup_total} duplicated|{sent_total} sent|-|0 lost, 0 duplicated")
PY
