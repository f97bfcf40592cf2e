#!/usr/bin/env bash
# worker-wait-check.sh RENDERED_WORKER_BOOTSTRAP WAIT_SECONDS SLACK_SECONDS
#
# Runs a rendered worker bootstrap (labctl-bootstrap from a worker's user data)
# with stubbed commands against a loopback "master" that accepts TCP and never
# answers, with LABCTL_JOIN_WAIT_SECONDS=WAIT_SECONDS. Passes when it fails
# (non-zero) no sooner than WAIT_SECONDS and no later than WAIT + SLACK, never
# ran `kubeadm join`, said why, and wrote no bootstrap.done. Also checks that
# every network or cluster call of the wait-and-join is wrapped in `timeout`.
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
mkdir -p "$tmp/bin" "$tmp/etc/default" "$tmp/etc/kubernetes" "$tmp/var/lib"

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
  *https://127.0.0.1:*) exec "$real_curl" "\$@" ;;
  *) echo "stub curl: refusing a non-loopback URL: \$*" >&2; exit 7 ;;
esac
EOF
for tool in kubeadm kubectl; do
  # shellcheck disable=SC2016 # $* and $1 belong to the stub, not to this script
  printf '#!/bin/bash\necho "%s $*" >>"%s/calls"\n[ "$1" = version ] && echo v1.34.2\nexit 0\n' "$tool" "$tmp" >"$tmp/bin/$tool"
done
printf '#!/bin/bash\nexit 0\n' >"$tmp/bin/labctl-install-kubernetes"
chmod +x "$tmp/bin/"*

sed -E \
  -e "s#^MASTER_ENDPOINT=.*#MASTER_ENDPOINT=\"127.0.0.1:$port\"#" \
  -e "s#/usr/local/sbin/labctl-install-kubernetes#$tmp/bin/labctl-install-kubernetes#g" \
  -e "s#/etc/#$tmp/etc/#g" \
  -e "s#/var/lib/labctl#$tmp/var/lib/labctl#g" \
  "$source_script" >"$tmp/bootstrap"
leftover=$(grep -vE '^\s*#' "$tmp/bootstrap" | grep -nE '(^|[^A-Za-z0-9_.])/(etc|var|usr|opt|root|home)/')
if [ -n "$leftover" ]; then
  bad "absolute paths left after rewriting (the check would touch the system): $leftover"
  exit 1
fi
grep -q "MASTER_ENDPOINT=\"127.0.0.1:$port\"" "$tmp/bootstrap" || { bad "MASTER_ENDPOINT not found to rewrite"; exit 1; }

start=$(date +%s.%N)
PATH="$tmp/bin:$PATH" LABCTL_JOIN_WAIT_SECONDS=$wait_s \
  timeout $((wait_s + slack_s + 60)) bash "$tmp/bootstrap" >"$tmp/out" 2>&1
status=$?
took=$(python3 -c "import sys; print(f'{float(sys.argv[2]) - float(sys.argv[1]):.1f}')" "$start" "$(date +%s.%N)")
sed 's/^/    | /' "$tmp/out" | tail -n 4

if [ "$status" -ne 0 ] && [ "$status" -ne 124 ]; then ok "the bootstrap failed (exit $status), so cloud-init ends in error"; else bad "exit status $status (0 = claimed success, 124 = killed by the outer timeout)"; fi
if python3 -c "import sys; t, w, s = map(float, sys.argv[1:]); sys.exit(0 if w <= t <= w + s else 1)" "$took" "$wait_s" "$slack_s"; then
  ok "gave up after ${took}s (bound: ${wait_s}s wait + ${slack_s}s slack)"
else
  bad "gave up after ${took}s, outside [${wait_s}, $((wait_s + slack_s))]s"
fi
if grep -q 'kubeadm join' "$tmp/calls" 2>/dev/null; then bad "kubeadm join ran although the master never answered"; else ok "no kubeadm join against a silent master"; fi
if grep -q "did not answer within $wait_s s" "$tmp/out"; then ok "the log says why"; else bad "no 'did not answer within $wait_s s' message"; fi
if [ -e "$tmp/var/lib/labctl/bootstrap.done" ]; then bad "bootstrap.done written"; else ok "no bootstrap.done"; fi
exit "$failed"
