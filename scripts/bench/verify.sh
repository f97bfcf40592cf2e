#!/usr/bin/env bash
# Benchmark: `labctl verify` over N loopback masters (one real sshd each, replaying a
# ready kubeadm node) against parallel-ssh and Ansible running the same remote
# commands at the same parallelism, and against the floor: N bare libssh2 sessions
# running the same two remote commands over two channels of one session, as labctl
# does (scripts/bench/verify-floor.c): the same remote work, the least client work.
#
#   scripts/bench/verify.sh [N=200]        (PARALLEL=32, SKIP_ANSIBLE=1 to skip Ansible)
#
# Figures per tool: wall time, and the client's CPU (user+sys of the process and the
# children it waited for, from /usr/bin/time), per verified host. Only 127.0.0.1 is dialled;
# every sshd started here is stopped on exit.
set -euo pipefail
N=${1:-200}
PARALLEL=${PARALLEL:-32}
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
WORK=$(mktemp -d /tmp/labctl-bench-verify.XXXXXX)
MASTERS_PID=
cleanup() {
  if [ -n "$MASTERS_PID" ]; then
    exec 7>&- 2>/dev/null || true        # closing the helper's stdin stops every sshd
    wait "$MASTERS_PID" 2>/dev/null || true
  fi
  rm -rf "$WORK"
}
trap cleanup EXIT INT TERM

need() { command -v "$1" >/dev/null 2>&1; }
install_if_missing() { # command package
  if ! need "$1" && [ ! -x "/usr/bin/$1" ]; then
    echo "installing $2 (for $1)" >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q "$2" >/dev/null
  fi
}
install_if_missing parallel-ssh pssh
install_if_missing ansible ansible
install_if_missing gcc gcc
[ -x /usr/bin/time ] || DEBIAN_FRONTEND=noninteractive apt-get install -y -q time >/dev/null
[ -e /usr/include/libssh2.h ] || DEBIAN_FRONTEND=noninteractive apt-get install -y -q libssh2-1-dev >/dev/null
[ -x /usr/sbin/sshd ] || DEBIAN_FRONTEND=noninteractive apt-get install -y -q openssh-server >/dev/null
mkdir -p /run/sshd

LABCTL=${LABCTL_BIN:-}
if [ -z "$LABCTL" ]; then
  if [ -x "$ROOT/.build/release/labctl" ]; then LABCTL=$ROOT/.build/release/labctl
  else (cd "$ROOT" && swift build --product labctl >/dev/null); LABCTL=$ROOT/.build/debug/labctl; fi
fi
echo "labctl: $LABCTL" >&2

# Tools: the floor (C, libssh2) and the master starter (LabRehearsal.LoopbackMaster).
gcc -O2 -o "$WORK/verify-floor" "$ROOT/scripts/bench/verify-floor.c" -lssh2 -lpthread
# LoopbackMaster starts sshd through LabCore's ChildProcess: one module of copies of both,
# without `import LabCore` (the rest of LabCore needs swift-crypto; the emulators are not used).
mkdir -p "$WORK/masters-src"
for f in "$ROOT"/Sources/LabRehearsal/*.swift "$ROOT"/Sources/LabCore/Process/*.swift; do
  case $f in */AWSJSONEmulator.swift|*/MotoServer.swift) continue ;; esac
  sed '/^import LabCore$/d' "$f" > "$WORK/masters-src/$(basename "$f")"
done
swiftc -O -o "$WORK/verify-masters" "$WORK"/masters-src/*.swift "$ROOT/scripts/bench/verify-masters/main.swift" > "$WORK/masters-build.log" 2>&1 \
  || { echo "could not build the loopback masters helper:" >&2; tail -20 "$WORK/masters-build.log" >&2; exit 2; }

# A lab with N participants (the default pod-network pool holds 4,608); the operator
# key is passed with --identity.
LAB=$WORK/lab
mkdir -p "$LAB/sessions" "$LAB/terraform" "$LAB/participants/bench" "$WORK/masters"
cd "$LAB"
"$LABCTL" create-config bench --workers 1 --ssh-from 198.51.100.0/24 --max-participants 1000 >/dev/null
ssh-keygen -q -t ed25519 -N '' -C bench-operator -f "$WORK/operator"
for i in $(seq -w 1 "$N"); do
  ssh-keygen -q -t ed25519 -N '' -C "u$i" -f "$WORK/p$i" && cp "$WORK/p$i.pub" "$LAB/participants/bench/u$i.bench.pub"
done
"$LABCTL" keys import bench >/dev/null
"$LABCTL" keys list bench --json | python3 -c '
import json, sys
for p in json.load(sys.stdin):
    print(p["discrete_id"], sys.argv[1] + "/participants/bench/" + p["name"] + ".pub")' "$LAB" > "$WORK/ids.txt"

echo "starting $N loopback sshd masters…" >&2
exec 7> >("$WORK/verify-masters" "$WORK/masters" "$WORK/operator.pub" "$WORK/ids.txt" > "$WORK/masters.out")
MASTERS_PID=$!
for _ in $(seq 1 600); do grep -q '^ready' "$WORK/masters.out" 2>/dev/null && break; sleep 0.2; done
grep -q '^ready' "$WORK/masters.out" || { echo "masters did not start" >&2; exit 1; }
USER_NAME=$(awk '{print $4}' "$WORK/masters.out")
PORTS=$(awk '{print $2}' "$WORK/masters/ports.txt")
awk '{print "127.0.0.1:" $2}' "$WORK/masters/ports.txt" > "$WORK/pssh-hosts"
{
  echo "[masters]"
  awk '{print "m" NR " ansible_host=127.0.0.1 ansible_port=" $2}' "$WORK/masters/ports.txt"
  echo "[masters:vars]"
  echo "ansible_user=$USER_NAME"
  echo "ansible_ssh_private_key_file=$WORK/operator"
  echo "ansible_ssh_common_args='-o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null -o LogLevel=ERROR'"
  echo "ansible_python_interpreter=/usr/bin/python3"
} > "$WORK/ansible-hosts"

# The remote commands labctl runs (Sources/LabVerify/RemoteProbe.swift), as one shell line.
sec() { printf "%s </dev/null; rc=\$?; printf '\\\\n@@labctl-section %s %%d\\\\n' \$rc; printf '\\\\n@@labctl-section %s\\\\n' >&2;" "$2" "$1" "$1"; }
# RemoteProbe.hostCommand and .clusterCommand (two channels for labctl and the floor).
HOST_CMD="$(sec authorized-keys 'cat ~/.ssh/authorized_keys') $(sec cloud-init 'cloud-init status --format json')"
# The jsonpath templates are RemoteProbe.nodesJSONPath / .podsJSONPath (only the fields the check reads).
NODES_JP='{range .items[*]}{.metadata.name}{"\t"}{.status.conditions[?(@.type=="Ready")].status}{"\t"}{.status.conditions[?(@.type=="Ready")].reason}{"\n"}{end}'
PODS_JP='{range .items[*]}{.metadata.namespace}{"\t"}{.metadata.labels.component}{"\t"}{.metadata.labels.k8s-app}{"\t"}{.status.conditions[?(@.type=="Ready")].status}{"\n"}{end}'
CLUSTER_CMD="if [ \"\${EUID:-\$(id -u)}\" = 0 ]; then S=; else S='sudo -n'; fi; K='kubectl --kubeconfig /etc/kubernetes/admin.conf --request-timeout=10s'; \
$(sec nodes "\$S \$K get nodes -o jsonpath='$NODES_JP'") if [ \$rc = 0 ]; then $(sec pods "\$S \$K get pods --all-namespaces -o jsonpath='$PODS_JP'") fi"
REMOTE="$HOST_CMD $CLUSTER_CMD"

measure() { # name command...   -> "wall cpu" into $WORK/<name>.time
  local name=$1; shift
  /usr/bin/time -f "%e %U %S" -o "$WORK/$name.time" "$@" > "$WORK/$name.out" 2> "$WORK/$name.err" || echo "$name exited $?" >> "$WORK/$name.status"
  read -r wall user sys < <(tail -1 "$WORK/$name.time")
  echo "$name $wall $(python3 -c "print(round($user + $sys, 3))")" >> "$WORK/results"
  echo "  $name: wall ${wall}s, cpu $(python3 -c "print(round($user + $sys, 2))")s" >&2
}

: > "$WORK/results"
echo "warm-up: labctl verify pins the $N host keys" >&2
"$LABCTL" verify bench --inventory "$WORK/masters/inventory.json" --user "$USER_NAME" --identity "$WORK/operator" \
  --expect-workers 1 --parallel "$PARALLEL" --json > "$WORK/warmup.json" || { echo "labctl verify not all ready (warm-up):" >&2; tail -5 "$WORK/warmup.json" >&2; exit 1; }

echo "measuring ($N hosts, parallelism $PARALLEL):" >&2
# shellcheck disable=SC2086
measure floor "$WORK/verify-floor" "$WORK/operator" "$USER_NAME" "$PARALLEL" "$HOST_CMD" "$CLUSTER_CMD" $PORTS
measure labctl "$LABCTL" verify bench --inventory "$WORK/masters/inventory.json" --user "$USER_NAME" --identity "$WORK/operator" \
  --expect-workers 1 --parallel "$PARALLEL" --json
measure pssh parallel-ssh -h "$WORK/pssh-hosts" -p "$PARALLEL" -l "$USER_NAME" -t 120 -o "$WORK/pssh-out" \
  -x "-i $WORK/operator -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null -o BatchMode=yes -o LogLevel=ERROR" "$REMOTE"
if [ "${SKIP_ANSIBLE:-0}" != 1 ]; then
  export ANSIBLE_HOST_KEY_CHECKING=False ANSIBLE_LOCALHOST_WARNING=False ANSIBLE_INVENTORY_UNPARSED_WARNING=False ANSIBLE_DEPRECATION_WARNINGS=False
  export ANSIBLE_LOCAL_TEMP=$WORK/ansible-local ANSIBLE_REMOTE_TEMP=/tmp/.ansible-bench
  measure ansible ansible all -i "$WORK/ansible-hosts" -m shell -a "$REMOTE" -f "$PARALLEL"
  ANSIBLE_PIPELINING=True measure ansible-pipelined ansible all -i "$WORK/ansible-hosts" -m shell -a "$REMOTE" -f "$PARALLEL"
fi

# Correctness of every run: all N hosts answered.
ok_labctl=$(python3 -c 'import json,sys; print(sum(1 for r in json.load(open(sys.argv[1])) if r["ready"]))' "$WORK/labctl.out")
ok_floor=$(awk '/^ok/{print $2}' "$WORK/floor.out")
ok_pssh=$(grep -c '\[SUCCESS\]' "$WORK/pssh.out" || true)
ok_ansible=$( [ -f "$WORK/ansible.out" ] && grep -c '| CHANGED' "$WORK/ansible.out" || echo -)
ok_ansible_p=$( [ -f "$WORK/ansible-pipelined.out" ] && grep -c '| CHANGED' "$WORK/ansible-pipelined.out" || echo -)

python3 - "$WORK/results" "$N" "$ok_labctl" "$ok_floor" "$ok_pssh" "$ok_ansible" "$ok_ansible_p" <<'PY'
import sys
path, n = sys.argv[1], int(sys.argv[2])
ok = dict(zip(["labctl", "floor", "pssh", "ansible", "ansible-pipelined"], sys.argv[3:]))
rows = {}
for line in open(path):
    name, wall, cpu = line.split()
    rows[name] = (float(wall), float(cpu))
lab_cpu = rows["labctl"][1] / n * 1000
floor_wall = rows["floor"][0]
print(f"\nlabctl verify benchmark: {n} loopback masters, parallelism as given, client CPU = user+sys incl. children (/usr/bin/time)")
print(f"{'tool':<18} {'hosts ok':>8} {'wall s':>8} {'wall/floor':>10} {'CPU s':>8} {'CPU ms/host':>12} {'CPU vs labctl':>14}")
for name in ["labctl", "floor", "pssh", "ansible", "ansible-pipelined"]:
    if name not in rows: continue
    wall, cpu = rows[name]
    per = cpu / n * 1000
    print(f"{name:<18} {ok[name]:>8} {wall:>8.2f} {wall / floor_wall:>10.2f} {cpu:>8.2f} {per:>12.2f} {per / lab_cpu:>13.1f}x")
fig = {"hosts": n, "labctl_wall_s": rows["labctl"][0], "labctl_cpu_ms_per_host": round(lab_cpu, 2),
       "floor_wall_s": floor_wall, "floor_cpu_ms_per_host": round(rows["floor"][1] / n * 1000, 2),
       "wall_vs_floor": round(rows["labctl"][0] / floor_wall, 3)}
for name, key in [("pssh", "pssh"), ("ansible", "ansible"), ("ansible-pipelined", "ansible_pipelined")]:
    if name in rows:
        fig[f"{key}_wall_s"] = rows[name][0]
        fig[f"{key}_cpu_ms_per_host"] = round(rows[name][1] / n * 1000, 2)
        fig[f"{key}_cpu_ratio"] = round(rows[name][1] / rows["labctl"][1], 1)
print("BENCH verify " + " ".join(f"{k}={v}" for k, v in fig.items()))
# Rows for scripts/bench/all.sh: figure|labctl|peer|ratio|target
print(f"verify {n} masters: CPU/host vs pssh|{lab_cpu:.2f} ms|{fig.get('pssh_cpu_ms_per_host', '-')} ms pssh|{fig.get('pssh_cpu_ratio', '-')}x lower|>= 20x")
if "ansible" in rows:
    print(f"verify {n} masters: CPU/host vs Ansible|{lab_cpu:.2f} ms|{fig['ansible_cpu_ms_per_host']} ms ansible -f 32|{fig['ansible_cpu_ratio']}x lower|>= 100x")
floor_cpu = rows["floor"][1] / n * 1000
print(f"verify {n} masters: client CPU/host vs libssh2 floor (same commands, same channels)|{lab_cpu:.2f} ms|{floor_cpu:.2f} ms floor|{lab_cpu / floor_cpu:.2f}x|<= 1.5x")
print(f"verify {n} masters: wall vs libssh2 floor (same commands, same channels)|{rows['labctl'][0]:.2f} s|{floor_wall:.2f} s floor|{fig['wall_vs_floor']:.2f}x|<= 1.2x")
PY
