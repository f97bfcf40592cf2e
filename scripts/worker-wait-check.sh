#!/usr/bin/env bash
# worker-wait-check.sh RENDERED_WORKER_BOOTSTRAP WAIT_SECONDS SLACK_SECONDS
#
# Runs a rendered worker bootstrap (labctl-bootstrap from a worker's user data)
# with stubbed commands and LABCTL_JOIN_WAIT_SECONDS=WAIT_SECONDS, three times:
#   silent-master: a loopback "master" that accepts TCP and never answers. Passes
#     when it fails (non-zero) no sooner than WAIT_SECONDS and no later than
#     WAIT + SLACK, never ran `kubeadm join`, said why, and wrote no bootstrap.done.
#   never-ready: the master answers and the join works, the node never turns
#     Ready: the Ready wait ends at the same deadline, within [WAIT, WAIT + SLACK],
#     says why, no bootstrap.done.
#   ready-late: the node turns Ready half-way to the deadline (long after the
#     first check): the bootstrap keeps asking, succeeds, writes bootstrap.done.
# Also checks that every network or cluster call of the wait-and-join is
# wrapped in `timeout`.
#
# Nothing outside a temporary directory is touched: the script's absolute
# paths are rewritten into it, and the check fails if one is left over.
# Traffic: 127.0.0.1 only (instance metadata is a stub, the master address is
# rewritten to the listener).
set -uo pipefail
[ $# -eq 3 ] || { echo "usage: $0 RENDERED_WORKER_BOOTSTRAP WAIT_SECONDS SLACK_SECONDS" >&2; exit 2; }
source_script=$1 wait_s=$2 slack_s=$3
failed=0
ok() { printf '  ok   %s\n' "$1"; }
bad() { printf '  FAIL %s\n' "$1"; failed=1; }

tmp=$(mktemp -d "${TMPDIR:-/tmp}/labctl-wait.XXXXXX") || exit 2
listener=""
trap '[ -n "$listener" ] && kill "$listener" 2>/dev/null; rm -rf "$tmp"' EXIT
mkdir -p "$tmp/bin"

# Static: the wait and the join are bounded call by call.
unbounded=$(grep -nE '^\s*(until\s+)?(curl .*livez|kubeadm (join|reset)|kubectl )' "$source_script" | grep -v 'timeout [0-9]')
if [ -z "$unbounded" ] && grep -q 'timeout [0-9]* kubeadm join' "$source_script"; then
  ok "every livez poll, kubeadm and kubectl call of the join runs under timeout"
else
  bad "calls without timeout: ${unbounded:-kubeadm join not found}"
fi

# A master that accepts connections and never says a word.
python3 -c '
import socket, sys, time
s = socket.socket(); s.bind(("127.0.0.1", 0)); s.listen(64)
print(s.getsockname()[1], flush=True)
time.sleep(3600)
' >"$tmp/port" &
listener=$!
for _ in $(seq 1 50); do [ -s "$tmp/port" ] && break; sleep 0.1; done
port=$(cat "$tmp/port")
[ -n "$port" ] || { bad "the loopback listener did not start"; exit 1; }

# Stubs: instance metadata, kubeadm/kubectl (record their calls), installer.
real_curl=$(command -v curl)
cat >"$tmp/bin/curl" <<EOF
#!/bin/bash
case "\$*" in
  *169.254.169.254*api/token*) echo stub-token ;;
  *169.254.169.254*) echo 10.0.0.9 ;;
  *https://127.0.0.1:*livez*) [ "\${STUB_LIVEZ:-}" = ok ] && exit 0; exec "$real_curl" "\$@" ;;
  *) echo "stub curl: refusing a non-loopback URL: \$*" >&2; exit 7 ;;
esac
EOF
# kubeadm and kubectl record their calls in STUB_CALLS; kubectl's Ready wait
# fails until STUB_READY_AT (epoch seconds), when that is set. STUB_LIVEZ=ok
# (above): the master's API answers.
cat >"$tmp/bin/kubectl" <<'EOF'
#!/bin/bash
echo "kubectl $*" >>"$STUB_CALLS"
case "$*" in
  *wait*condition=Ready*)
    if [ -n "${STUB_READY_AT:-}" ] && [ "$(date +%s)" -lt "$STUB_READY_AT" ]; then
      sleep 1
      echo "error: timed out waiting for the condition" >&2
      exit 1
    fi
    ;;
esac
exit 0
EOF
cat >"$tmp/bin/kubeadm" <<'EOF'
#!/bin/bash
echo "kubeadm $*" >>"$STUB_CALLS"
[ "$1" = version ] && echo v1.34.2
exit 0
EOF
printf '#!/bin/bash\nexit 0\n' >"$tmp/bin/labctl-install-kubernetes"
chmod +x "$tmp/bin/"*

sed -E \
  -e "s#^MASTER_ENDPOINT=.*#MASTER_ENDPOINT=\"127.0.0.1:$port\"#" \
  -e "s#/usr/local/sbin/labctl-install-kubernetes#$tmp/bin/labctl-install-kubernetes#g" \
  -e "s#/etc/#\$STUB_ROOT/etc/#g" \
  -e "s#/var/lib/labctl#\$STUB_ROOT/var/lib/labctl#g" \
  "$source_script" >"$tmp/bootstrap"
leftover=$(grep -vE '^\s*#' "$tmp/bootstrap" | grep -nE '(^|[^A-Za-z0-9_.])/(etc|var|usr|opt|root|home)/')
if [ -n "$leftover" ]; then
  bad "absolute paths left after rewriting (the check would touch the system): $leftover"
  exit 1
fi
grep -q "MASTER_ENDPOINT=\"127.0.0.1:$port\"" "$tmp/bootstrap" || { bad "MASTER_ENDPOINT not found to rewrite"; exit 1; }

# Each scenario gets its own root for the script's files: $tmp/<scenario>/{etc,var/lib}.
# run_scenario NAME [VAR=VALUE...] sets status, took, out, calls and root.
run_scenario() {
  local name=$1 start
  shift
  root="$tmp/$name" out="$tmp/$name/out" calls="$tmp/$name/calls"
  mkdir -p "$root/etc/default" "$root/etc/kubernetes" "$root/var/lib"
  start=$(date +%s.%N)
  env PATH="$tmp/bin:$PATH" LABCTL_JOIN_WAIT_SECONDS="$wait_s" STUB_ROOT="$root" STUB_CALLS="$calls" "$@" \
    timeout $((wait_s + slack_s + 60)) bash "$tmp/bootstrap" >"$out" 2>&1
  status=$?
  took=$(python3 -c "import sys; print(f'{float(sys.argv[2]) - float(sys.argv[1]):.1f}')" "$start" "$(date +%s.%N)")
  printf '  %s:\n' "$name"
  sed 's/^/    | /' "$out" | tail -n 3
}
# gave_up SCENARIO MESSAGE: failed (cloud-init error) within [wait, wait + slack], said why, no bootstrap.done.
gave_up() {
  if [ "$status" -ne 0 ] && [ "$status" -ne 124 ]; then ok "$1: the bootstrap failed (exit $status), so cloud-init ends in error"; else bad "$1: exit status $status (0 = claimed success, 124 = killed by the outer timeout)"; fi
  if python3 -c "import sys; t, w, s = map(float, sys.argv[1:]); sys.exit(0 if w <= t <= w + s else 1)" "$took" "$wait_s" "$slack_s"; then
    ok "$1: gave up after ${took}s (bound: ${wait_s}s wait + ${slack_s}s slack)"
  else
    bad "$1: gave up after ${took}s, outside [${wait_s}, $((wait_s + slack_s))]s"
  fi
  if grep -q "$2" "$out"; then ok "$1: the log says why ('$2')"; else bad "$1: no '$2' message"; fi
  if [ -e "$root/var/lib/labctl/bootstrap.done" ]; then bad "$1: bootstrap.done written"; else ok "$1: no bootstrap.done"; fi
}

run_scenario silent-master
gave_up silent-master "did not answer within $wait_s s"
if grep -q 'kubeadm join' "$calls" 2>/dev/null; then bad "silent-master: kubeadm join ran although the master never answered"; else ok "silent-master: no kubeadm join against a silent master"; fi

run_scenario never-ready STUB_LIVEZ=ok STUB_READY_AT=$(($(date +%s) + 100000))
gave_up never-ready "did not turn Ready within $wait_s s"
joins=$(grep -c 'kubeadm join' "$calls" 2>/dev/null)
if [ "$joins" = 1 ]; then ok "never-ready: joined once, then waited for Ready until the deadline"; else bad "never-ready: expected one kubeadm join, saw ${joins:-0}"; fi

half=$((wait_s / 2))
run_scenario ready-late STUB_LIVEZ=ok STUB_READY_AT=$(($(date +%s) + half))
if [ "$status" -eq 0 ] && [ -e "$root/var/lib/labctl/bootstrap.done" ]; then
  ok "ready-late: Ready ${half}s after the start: the bootstrap kept asking and succeeded after ${took}s, bootstrap.done written"
else
  bad "ready-late: a node Ready ${half}s after the start must pass (exit $status after ${took}s, bootstrap.done $([ -e "$root/var/lib/labctl/bootstrap.done" ] && echo written || echo missing))"
fi
waits=$(grep -c 'wait.*condition=Ready' "$calls" 2>/dev/null)
if [ "${waits:-0}" -ge 2 ]; then ok "ready-late: asked $waits times until Ready"; else bad "ready-late: asked ${waits:-0} time(s); a late node needs more than one check"; fi
exit "$failed"
