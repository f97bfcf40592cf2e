#!/usr/bin/env bash
# Provisioning benchmarks against a local AWS emulator (moto on loopback):
#  1. three sessions applied in parallel by one labctl call vs one after another
#  2. labctl's overhead over bare terraform for one session (apply, same inputs)
#  3. `labctl status` for 20 sessions vs the original per-session approach
#     (terraform workspace list + workspace select + state list, per session)
# Prints "figure|labctl|peer|ratio|target" rows at the end.
set -euo pipefail
cd "$(dirname "$0")/../.."
repo=$(pwd)
labctl="${LABCTL_BIN:-$repo/.build/release/labctl}"
[ -x "$labctl" ] || swift build -c release --product labctl >/dev/null
work=$(mktemp -d); emulator_pid=""
cleanup() { [ -n "$emulator_pid" ] && kill "$emulator_pid" 2>/dev/null; wait 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT
# The documented emulator (moto and the Budgets stand-in: without it aws_budgets_budget hangs),
# with the test fixture's images; its environment, then the lab.
MOTO_AMIS_PATH="$repo/Tests/terraform-fixtures/moto-amis.json" "$labctl" demo --emulator-only --dir "$work/emulator" >"$work/emulator.env" 2>"$work/emulator.log" &
emulator_pid=$!
until grep -q AWS_SECRET_ACCESS_KEY "$work/emulator.env" 2>/dev/null; do
  kill -0 "$emulator_pid" 2>/dev/null || { cat "$work/emulator.log" >&2; exit 2; }; sleep 0.2
done
. "$work/emulator.env"
port=${AWS_ENDPOINT_URL##*:}
. "$repo/scripts/bench/emulated-lab.sh"
mk_session() { # name participants
  "$labctl" create-config "$1" --workers 1 --ssh-from 198.51.100.0/24 --max-participants 1000 --end 2099-06-01T17:00:00+02:00 >/dev/null
  echo "ami_id = \"$ami\"" >> "sessions/$1.tfvars"
  for i in $(seq 1 "$2"); do
    ssh-keygen -q -t ed25519 -N '' -f "$work/$1-$i" && "$labctl" keys add "$1" "user$i.$1" --file "$work/$1-$i.pub" >/dev/null
  done
}
now() { date +%s.%N; }
"$labctl" network apply -y >/dev/null 2>&1
for s in p1 p2 p3 q1 q2 q3 b1; do mk_session "$s" 2; done
"$labctl" plan b1 >/dev/null 2>&1   # init once, outside the timings

# --skip-preflight: these rows time the Terraform runs; scripts/bench/apply-scale.sh times the preflight.
t0=$(now); "$labctl" apply p1 p2 p3 -y --skip-preflight >/dev/null 2>&1; t1=$(now)
for s in q1 q2 q3; do "$labctl" apply "$s" -y --skip-preflight >/dev/null 2>&1; done; t2=$(now)

# labctl vs bare terraform for one session with the same inputs (var file rendered by labctl),
# interleaved rounds so load changes on the machine hit both alike; medians reported.
# Terraform's AWS provider polls every ~10 s, so single runs are quantised: take several.
rounds="${BENCH_ROUNDS:-3}"
: > "$work/overhead.txt"
for r in $(seq 1 "$rounds"); do
  a=$(now); "$labctl" apply b1 -y --skip-preflight >/dev/null 2>&1; b=$(now)
  "$labctl" destroy b1 -y >/dev/null 2>&1
  c=$(now)
  TF_WORKSPACE=b1 terraform -chdir=terraform/session apply -input=false -auto-approve -no-color \
    -var-file="$lab/sessions/b1.tfvars" -var-file="$lab/.labctl/vars/b1.tfvars.json" >/dev/null 2>&1
  TF_WORKSPACE=b1 terraform -chdir=terraform/session output -json >/dev/null 2>&1
  d=$(now)
  TF_WORKSPACE=b1 terraform -chdir=terraform/session destroy -input=false -auto-approve -no-color \
    -var-file="$lab/sessions/b1.tfvars" -var-file="$lab/.labctl/vars/b1.tfvars.json" >/dev/null 2>&1
  echo "$a $b $c $d" >> "$work/overhead.txt"
done
t3=0; t4=0; t5=0; t6=0

# 20 sessions with state: copy p1's real state into 20 workspaces.
for i in $(seq 1 20); do
  "$labctl" create-config "st$i" --ssh-from 198.51.100.0/24 >/dev/null
  mkdir -p "terraform/session/terraform.tfstate.d/st$i"
  cp terraform/session/terraform.tfstate.d/p1/terraform.tfstate "terraform/session/terraform.tfstate.d/st$i/"
done
sts=$(for i in $(seq 1 20); do printf 'st%s ' "$i"; done)
t7=$(now); "$labctl" status $sts >/dev/null; t8=$(now)
(cd terraform/session && for s in $sts; do
  terraform workspace list >/dev/null; terraform workspace select "$s" >/dev/null; terraform state list >/dev/null
done) 2>/dev/null
t9=$(now)

python3 - "$t0" "$t1" "$t2" "$t3" "$t4" "$t5" "$t6" "$t7" "$t8" "$t9" "$work/overhead.txt" <<'PY'
import statistics, sys
t = list(map(float, sys.argv[1:11]))
rows = [list(map(float, l.split())) for l in open(sys.argv[11]) if l.strip()]
par, seq = t[1]-t[0], t[2]-t[1]
ours = statistics.median(b - a for a, b, c, d in rows)
bare = statistics.median(d - c for a, b, c, d in rows)
print("overhead rounds (labctl, bare):", ", ".join(f"({b-a:.1f}, {d-c:.1f})" for a, b, c, d in rows))
st, orig = t[8]-t[7], t[9]-t[8]
print(f"3 sessions: parallel {par:.1f} s, sequential {seq:.1f} s ({par/seq:.2f}x)")
print(f"1 session, median of {len(rows)}: labctl apply+output {ours:.1f} s, bare terraform apply+output {bare:.1f} s ({ours/bare:.2f}x)")
print(f"status of 20 sessions: labctl {st:.3f} s, workspace list/select/state list {orig:.1f} s ({orig/st:.0f}x faster)")
print(f"apply 3 sessions (wall)|{par:.1f} s parallel|{seq:.1f} s sequential|{par/seq:.2f}x|<= 0.6x")
print(f"apply 1 session overhead|{ours:.1f} s|{bare:.1f} s bare terraform|{ours/bare:.2f}x|<= 1.05x")
print(f"status 20 sessions|{st:.3f} s|{orig:.1f} s|{orig/st:.0f}x faster|>= 20x")
PY
