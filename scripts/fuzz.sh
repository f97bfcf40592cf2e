#!/usr/bin/env bash
# Builds the libFuzzer target for LabCore's parsers and runs it for a bounded time.
# Usage: scripts/fuzz.sh [seconds]   (default 60)
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-60}"
out=.build-fuzz
mkdir -p "$out/corpus"
core=Sources/LabCore
swiftc -O -sanitize=fuzzer,address -parse-as-library -module-name LabCoreFuzz \
  "$core"/Keys/{KeyRefusal,StrictBase64,SSHWireReader,SSHPublicKey,KeyTypes,RFC4716,PublicKeyParser}.swift \
  "$core"/Config/{TFValue,TFVarsReader}.swift \
  Fuzz/KeyParserFuzz.swift -o "$out/key-parser-fuzz"
# Seed corpus: real keys in every accepted form, plus near misses.
if [ ! -s "$out/corpus/ed25519.pub" ]; then
  tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
  ssh-keygen -q -t ed25519 -N '' -C 'seed key' -f "$tmp/k"
  cp "$tmp/k.pub" "$out/corpus/ed25519.pub"
  ssh-keygen -e -f "$tmp/k.pub" > "$out/corpus/rfc4716.pub"
  printf 'command="x" %s' "$(cat "$tmp/k.pub")" > "$out/corpus/options.pub"
  printf 'session_name = "s"\nworker_count = 2\ntags = { a = ["x", 1] }\n' > "$out/corpus/s.tfvars"
fi
"$out/key-parser-fuzz" -max_total_time="$seconds" -timeout=5 -max_len=4096 -print_final_stats=1 "$out/corpus" 2>&1 | tail -n 12
