#!/usr/bin/env bash
# Apply at event scale against a local AWS emulator (moto on loopback), with loopback
# Budgets and Service Quotas (LabRehearsal.AWSJSONEmulator) for what moto lacks:
#  1. one session of BIG participants (default 300): `labctl plan` vs bare `terraform plan`
#     of the same inputs; `labctl apply` (with its capacity preflight) vs bare `terraform
#     apply` of the same inputs against a second moto; the preflight on its own
#  2. SESSIONS sessions x PER participants (default 20 x 50) in the registry, each with a
#     state (m1 applied for real, its state copied to m2..mN as scripts/bench/provision.sh
#     does): `labctl status` from state (target < 1 s) vs `terraform state list` per session
# worker_count = 0 (one node per participant) keeps moto's share small; the default pod
# network pool (4,608 clusters of /21) holds all 1,300 participants.
# Prints "figure|labctl|peer|ratio|target" rows at the end.
#   scripts/bench/apply-scale.sh [BIG] [SESSIONS] [PER]
set -euo pipefail
cd "$(dirname "$0")/../.."
repo=$(pwd)
big=${1:-300}; sessions=${2:-20}; per=${3:-50}
labctl="${LABCTL_BIN:-$repo/.build/release/labctl}"
[ -x "$labctl" ] || swift build -c release --product labctl >/dev/null
work=$(mktemp -d); pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done; wait 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
start_moto() { # port log
  MOTO_AMIS_PATH="$repo/Tests/terraform-fixtures/moto-amis.json" moto_server -H 127.0.0.1 -p "$1" >"$2" 2>&1 &
  pids+=($!)
  until python3 -c "import socket; socket.create_connection(('127.0.0.1',$1),0.2)" 2>/dev/null; do sleep 0.2; done
}
port=$(free_port); start_moto "$port" "$work/moto.log"
peer_port=$(free_port); start_moto "$peer_port" "$work/moto-peer.log"
cat >"$work/quotas.json" <<'JSON'
{"ec2/L-1216C47A": {"name": "Running On-Demand Standard (A, C, D, H, I, M, R, T, Z) instances", "value": 5000, "default": 5},
 "vpc/L-E79EC296": {"name": "VPC security groups per Region", "value": 5000, "default": 2500},
 "vpc/L-0EA8095F": {"name": "Inbound or outbound rules per security group", "default": 60},
 "ebs/L-7A658B76": {"name": "Storage for General Purpose SSD (gp3) volumes, in TiB", "default": 50}}
JSON
# moto lacks the Budgets calls aws_budgets_budget makes after its create (ListTagsForResource):
# the provider retried them for minutes; and it does not know these quota codes. The loopback
# emulator the tests and the demo use answers both (LabRehearsal.AWSJSONEmulator runs this
# resource file of its target).
cp "$repo/Sources/LabRehearsal/Resources/aws-json-emulator.py" "$work/aws-json-emulator.py"
start_emulator() { # port log [quotas]   (one per moto: the peer creates a budget of the same name)
  local port=$1 log=$2; shift 2
  python3 "$work/aws-json-emulator.py" "$port" "$@" >"$log" 2>&1 &
  pids+=($!)
  until python3 -c "import socket; socket.create_connection(('127.0.0.1',$port),0.2)" 2>/dev/null; do sleep 0.2; done
}
aws_json_port=$(free_port); start_emulator "$aws_json_port" "$work/aws-json.log" "$work/quotas.json"
peer_budgets_port=$(free_port); start_emulator "$peer_budgets_port" "$work/aws-json-peer.log"

export AWS_ENDPOINT_URL_SERVICE_QUOTAS="http://127.0.0.1:$aws_json_port" AWS_ENDPOINT_URL_BUDGETS="http://127.0.0.1:$aws_json_port"
. "$repo/scripts/bench/emulated-lab.sh"
mk_session() { # name participants
  "$labctl" create-config "$1" --workers 0 --ssh-from 198.51.100.0/24 --max-participants 1000 --end 2099-06-01T17:00:00+02:00 >/dev/null
  echo "ami_id = \"$ami\"" >> "sessions/$1.tfvars"
  mkdir -p "participants/$1"
  for i in $(seq 1 "$2"); do ssh-keygen -q -t ed25519 -N '' -C '' -f "$work/keys-$1-$i"; mv "$work/keys-$1-$i.pub" "participants/$1/user$i.$1.pub"; done
  "$labctl" keys import "$1" >/dev/null
}
now() { date +%s.%N; }
"$labctl" network apply -y >/dev/null 2>&1
mk_session big "$big"
mk_session warm 1
"$labctl" plan warm >/dev/null 2>&1   # terraform init once, outside the timings
"$labctl" preflight warm >/dev/null 2>&1 || true

t0=$(now); "$labctl" plan big >"$work/plan.log" 2>&1; t1=$(now)
TF_WORKSPACE=big terraform -chdir=terraform/session plan -input=false -no-color \
  -var-file="$lab/sessions/big.tfvars" -var-file="$lab/.labctl/vars/big.tfvars.json" >/dev/null 2>&1; t2=$(now)
"$labctl" preflight big >"$work/preflight.log" 2>&1; t3=$(now)
"$labctl" apply big -y >"$work/apply.log" 2>&1; t4=$(now)
grep -E "throttled|retrying" "$work/apply.log" || true

# Peer: bare terraform, same inputs, its own copy of the stacks against the second moto.
peer="$work/peer"; mkdir -p "$peer"; cp -R "$repo/terraform" "$peer/terraform"
find "$peer/terraform" \( -name .terraform -o -name terraform.tfstate.d \) -prune -exec rm -rf {} + ; find "$peer/terraform" -name '.terraform.lock.hcl' -delete
cp "$lab/sessions/big.tfvars" "$lab/.labctl/vars/big.tfvars.json" "$peer/"
(
  export AWS_ENDPOINT_URL="http://127.0.0.1:$peer_port" AWS_ENDPOINT_URL_BUDGETS="http://127.0.0.1:$peer_budgets_port"
  for stack in network session; do terraform -chdir="$peer/terraform/$stack" init -input=false -plugin-dir="$LABCTL_TF_PLUGIN_DIR" >/dev/null; done
  # The lab's id (in the session's var file): the session finds its network by the LabId tag.
  terraform -chdir="$peer/terraform/network" apply -input=false -auto-approve \
    -var="lab_id=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["lab_id"])' "$peer/big.tfvars.json")" >/dev/null
) 2>&1
t5=$(now)
AWS_ENDPOINT_URL="http://127.0.0.1:$peer_port" AWS_ENDPOINT_URL_BUDGETS="http://127.0.0.1:$peer_budgets_port" TF_WORKSPACE=big terraform -chdir="$peer/terraform/session" apply -input=false -auto-approve -no-color \
  -var-file="$peer/big.tfvars" -var-file="$peer/big.tfvars.json" >"$work/peer-apply.log" 2>&1
AWS_ENDPOINT_URL="http://127.0.0.1:$peer_port" AWS_ENDPOINT_URL_BUDGETS="http://127.0.0.1:$peer_budgets_port" TF_WORKSPACE=big terraform -chdir="$peer/terraform/session" output -json >/dev/null 2>&1
t6=$(now)

# SESSIONS x PER in the registry, each with a state.
for i in $(seq 1 "$sessions"); do mk_session "m$i" "$per"; done
"$labctl" apply m1 -y >"$work/apply-m1.log" 2>&1
for i in $(seq 2 "$sessions"); do
  mkdir -p "terraform/session/terraform.tfstate.d/m$i"
  cp terraform/session/terraform.tfstate.d/m1/terraform.tfstate "terraform/session/terraform.tfstate.d/m$i/"
done
registered=$(python3 -c "import sqlite3;print(sqlite3.connect('.labctl/lab.sqlite').execute('select count(*) from participant').fetchone()[0])")
ms=$(for i in $(seq 1 "$sessions"); do printf 'm%s ' "$i"; done)
"$labctl" status $ms >/dev/null   # warm the file cache once
t7=$(now); "$labctl" status $ms >"$work/status.txt"; t8=$(now)
"$labctl" status >/dev/null; t9=$(now)
(cd terraform/session && for s in $ms; do TF_WORKSPACE=$s terraform state list >/dev/null; done) 2>/dev/null
t10=$(now)
instances=$(grep -c '"aws_instance"' terraform/session/terraform.tfstate.d/big/terraform.tfstate || true)

python3 - "$big" "$sessions" "$per" "$registered" "$t0" "$t1" "$t2" "$t3" "$t4" "$t5" "$t6" "$t7" "$t8" "$t9" "$t10" <<'PY'
import sys
big, n, per, reg = map(int, sys.argv[1:5])
t = list(map(float, sys.argv[5:]))
plan, bare_plan, pre, apply, bare_apply = t[1]-t[0], t[2]-t[1], t[3]-t[2], t[4]-t[3], t[6]-t[5]
status, status_all, state_list = t[8]-t[7], t[9]-t[8], t[10]-t[9]
print(f"1 session x {big} (worker_count 0): labctl plan {plan:.1f} s, bare terraform plan {bare_plan:.1f} s; "
      f"labctl preflight {pre:.1f} s; labctl apply (preflight + apply + output) {apply:.1f} s, bare terraform apply + output {bare_apply:.1f} s")
print(f"{n} sessions x {per} ({reg} participants registered in all): labctl status {status:.3f} s ({status_all:.3f} s for all {n + 2} sessions), "
      f"terraform state list per session {state_list:.1f} s")
print(f"plan 1 session x {big}|{plan:.1f} s|{bare_plan:.1f} s bare terraform plan|{plan/bare_plan:.2f}x|-")
print(f"preflight 1 session x {big}|{pre:.1f} s|{bare_plan:.1f} s bare terraform plan|{pre/bare_plan:.2f}x|-")
print(f"apply 1 session x {big} (incl. preflight)|{apply:.1f} s|{bare_apply:.1f} s bare terraform apply|{apply/bare_apply:.2f}x|-")
print(f"status {n}x{per} from state|{status:.3f} s|{state_list:.1f} s state list per session|{state_list/status:.0f}x faster|< 1 s")
PY
