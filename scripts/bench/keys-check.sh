#!/usr/bin/env bash
# Benchmark: `labctl keys check` over N key files vs the original approach
# (one `ssh-keygen -l -f` per file in a shell loop). Verdicts must be identical.
# Usage: scripts/bench/keys-check.sh [N]   (default 10000). Prints one table row as
# "figure|labctl|peer|ratio|target" on the last line for scripts/bench/all.sh.
set -euo pipefail
cd "$(dirname "$0")/../.."
n="${1:-10000}"
labctl="${LABCTL_BIN:-.build/release/labctl}"
[ -x "$labctl" ] || swift build -c release --product labctl >/dev/null
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
python3 scripts/bench/make-key-corpus.py "$work/keys" "$n"

now() { date +%s.%N; }
t0=$(now)
"$labctl" keys check --json "$work/keys" > "$work/labctl.json" || true
t1=$(now)
# ssh-keygen -l also fingerprints a private key file; labctl refuses those on purpose
# (documented), so the peer applies the same refusal with a grep, as the original scripts did.
for f in "$work"/keys/*.pub; do
  if ! grep -q 'PRIVATE KEY' "$f" && out=$(ssh-keygen -l -f "$f" 2>/dev/null) && [[ "$out" == *"(ED25519)" ]]; then echo "$f ok"; else echo "$f bad"; fi
done > "$work/peer.txt"
t2=$(now)

python3 - "$work/labctl.json" "$work/peer.txt" <<'PY'
import json, sys
ours = {o["source"]: "ok" if o["valid"] else "bad" for o in json.load(open(sys.argv[1]))}
theirs = dict(line.split(" ", 1) for line in open(sys.argv[2]).read().split("\n") if line)
diff = [s for s in theirs if ours.get(s) != theirs[s]]
bad = sum(1 for v in theirs.values() if v == "bad")
print(f"files: {len(theirs)}, refused by both: {bad}, verdicts differing: {len(diff)}")
sys.exit(1 if diff or len(ours) != len(theirs) else 0)
PY
python3 - "$t0" "$t1" "$t2" "$n" <<'PY'
import sys
t0, t1, t2, n = map(float, sys.argv[1:])
ours, peer = t1 - t0, t2 - t1
print(f"labctl keys check: {ours:.3f} s ({n/ours:,.0f} keys/s); ssh-keygen loop: {peer:.3f} s ({n/peer:,.0f} keys/s)")
print(f"keys check {int(n)} files|{ours:.2f} s|{peer:.2f} s|{peer/ours:.0f}x faster|>= 50x")
PY
