#!/usr/bin/env bash
# Leak check of the libssh2 wrapper (Sources/LabVerify/SSHConnection.swift and the
# files it needs) under valgrind --leak-check=full, on the success path and the
# failure paths: a refused key, a closed port, a listener that never speaks, a
# deadline in the middle of a command. Against one real loopback sshd master.
#
#   scripts/leak-check.sh [ROUNDS=3]
#
# Why a harness and not `labctl verify` itself: valgrind 3.19 cannot read the DWARF 5
# Swift emits, and crashes at exit in labctl's async main (dispatch's signal thread);
# the harness compiles the wrapper's own source files (with a stub for LabCore's
# fingerprint) into a plain synchronous program valgrind handles.
set -euo pipefail
ROUNDS=${1:-3}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
WORK=$(mktemp -d /tmp/labctl-leak-check.XXXXXX)
MASTERS_PID=
SILENT_PID=
cleanup() {
  [ -n "$SILENT_PID" ] && kill "$SILENT_PID" 2>/dev/null || true
  if [ -n "$MASTERS_PID" ]; then exec 7>&- 2>/dev/null || true; wait "$MASTERS_PID" 2>/dev/null || true; fi
  [ -n "${KEEP:-}" ] || rm -rf "$WORK"
}
trap cleanup EXIT INT TERM

command -v valgrind >/dev/null || DEBIAN_FRONTEND=noninteractive apt-get install -y -q valgrind >/dev/null
mkdir -p /run/sshd "$WORK/src" "$WORK/masters"
for f in LibSSH2 SSHError Deadline HostKey SSHIdentity SSHConnection; do
  sed '/^import LabCore$/d' "$ROOT/Sources/LabVerify/$f.swift" > "$WORK/src/$f.swift"
done
echo 'enum Fingerprint { static func sha256(_ blob: [UInt8]) -> String { "SHA256:(stub, \(blob.count) bytes)" } }' > "$WORK/src/FingerprintStub.swift"
swiftc -Onone -gnone -I "$ROOT/Sources/CLibSSH2" -o "$WORK/harness" "$WORK"/src/*.swift "$ROOT/scripts/leak-check/main.swift" 2>/dev/null
swiftc -O -o "$WORK/verify-masters" "$ROOT"/Sources/LabRehearsal/*.swift "$ROOT/scripts/bench/verify-masters/main.swift" 2>/dev/null

ssh-keygen -q -t ed25519 -N '' -f "$WORK/operator"
ssh-keygen -q -t ed25519 -N '' -f "$WORK/stranger"
ssh-keygen -q -t ed25519 -N '' -f "$WORK/participant"
echo "leak.ma $WORK/participant.pub" > "$WORK/ids.txt"
exec 7> >("$WORK/verify-masters" "$WORK/masters" "$WORK/operator.pub" "$WORK/ids.txt" > "$WORK/masters.out")
MASTERS_PID=$!
for _ in $(seq 1 200); do grep -q '^ready' "$WORK/masters.out" 2>/dev/null && break; sleep 0.1; done
USER_NAME=$(awk '{print $4}' "$WORK/masters.out")
PORT=$(awk '{print $2}' "$WORK/masters/ports.txt")
CLOSED_PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
SILENT_PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
python3 -c 'import socket,sys,time; s=socket.socket(); s.bind(("127.0.0.1",int(sys.argv[1]))); s.listen(64); time.sleep(900)' "$SILENT_PORT" &
SILENT_PID=$!
sleep 0.3

echo "valgrind --leak-check=full on the wrapper, $ROUNDS round(s) of every path:"
valgrind --leak-check=full --show-leak-kinds=all --errors-for-leak-kinds=definite --num-callers=30 --log-file="$WORK/valgrind.log" \
  "$WORK/harness" "$PORT" "$USER_NAME" "$WORK/operator" "$WORK/stranger" "$CLOSED_PORT" "$SILENT_PORT" "$ROUNDS" | sed 's/^/  /'
grep -E "== +(definitely lost|indirectly lost|possibly lost|still reachable): |ERROR SUMMARY" "$WORK/valgrind.log" | sed 's/^==[0-9]*== /  /'
definite=$(grep -o 'definitely lost: [0-9,]* bytes' "$WORK/valgrind.log" | grep -o '[0-9,]*' | tr -d , || echo 0)
indirect=$(grep -o 'indirectly lost: [0-9,]* bytes' "$WORK/valgrind.log" | grep -o '[0-9,]*' | tr -d , || echo 0)
libssh2_records=$(grep -c 'libssh2' "$WORK/valgrind.log" || true)
echo "LEAK wrapper rounds=$ROUNDS definitely_lost_bytes=${definite:-0} indirectly_lost_bytes=${indirect:-0} stack_lines_naming_libssh2=$libssh2_records"
[ "${definite:-0}" = 0 ]
