#!/usr/bin/env bash
# tf-userdata-check.sh — the nodes' user data as EC2 receives it, checked.
#
# Applies terraform/session for several shapes (0, 2 and 20 workers, a long
# participant list) against moto_server on a free loopback port, reads every
# instance's user data back with DescribeInstanceAttribute (boto3), and checks:
#   - under EC2's 16 KiB limit with a margin (LIMIT_BYTES below),
#   - `cloud-init schema --config-file` accepts it,
#   - `shellcheck` is clean on every script it writes,
# then runs a rendered worker bootstrap with stubbed commands against a
# loopback "master" that accepts TCP but never answers: it must give up
# within its stated bound, without trying kubeadm join (and the same deadline
# bounds its Ready wait: scripts/worker-wait-check.sh). On the masters: the
# metadata-blocking Calico policy selects pods only, and the Calico manifests
# are fetched with bounded retries (run against a loopback server that starts
# late, and one that answers 404).
#
# Traffic goes to 127.0.0.1 only: the IPs moto hands out are never dialled
# (the worker script's master address is rewritten to the loopback listener,
# and its instance-metadata calls hit a stub).
#
# Environment: LABCTL_TF_PLUGIN_DIR (found by scripts/tf-mirror.sh),
# TF_USERDATA_KEEP=1 keeps the temporary directory.
# Exit status: 0 all checks passed, 1 a check failed, 2 missing tool / setup error.
set -uo pipefail

REPO_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
. "$REPO_ROOT/scripts/tf-mirror.sh"
PLUGIN_DIR=${LABCTL_TF_PLUGIN_DIR:-}
AMI_FIXTURE="$REPO_ROOT/Tests/terraform-fixtures/moto-amis.json"
# EC2 takes 16384 bytes before base64; keep 3 KiB free for longer names,
# keys and future steps.
LIMIT_BYTES=13312
# The worker's wait in the bounded-wait check, and the slack allowed on top
# (one last poll of at most 15 s plus a 10 s pause).
WAIT_SECONDS=20
WAIT_SLACK=30

FAILED=0
PASSED=0
MOTO_PID=""
LISTENER_PID=""
WORK=""
pass() { PASSED=$((PASSED + 1)); printf 'PASS %s\n' "$1"; }
fail() { FAILED=$((FAILED + 1)); printf 'FAIL %s%s\n' "$1" "${2:+: $2}"; }
die() { printf 'tf-userdata-check: %s\n' "$*" >&2; exit 2; }

cleanup() {
  for pid in "$LISTENER_PID" "$MOTO_PID"; do
    [ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null
  done
  if [ -n "$WORK" ] && [ -d "$WORK" ]; then
    if [ "${TF_USERDATA_KEEP:-0}" = 1 ]; then echo "kept $WORK"; else rm -rf "$WORK"; fi
  fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

for tool in terraform moto_server python3 ssh-keygen openssl curl cloud-init shellcheck timeout; do
  command -v "$tool" >/dev/null 2>&1 || die "$tool is not installed (scripts/setup.sh installs it)"
done
python3 -c 'import boto3, yaml' 2>/dev/null || die "python3 modules boto3 and yaml are needed (pip install boto3 pyyaml)"
[ -d "$PLUGIN_DIR" ] || die "provider mirror $PLUGIN_DIR not found (set LABCTL_TF_PLUGIN_DIR)"

WORK=$(mktemp -d "${TMPDIR:-/tmp}/labctl-userdata.XXXXXX") || die "mktemp failed"
mkdir -p "$WORK/keys" "$WORK/logs" "$WORK/vars" "$WORK/userdata"

. "$REPO_ROOT/scripts/lib/moto.sh"
start_moto

unset AWS_PROFILE AWS_SESSION_TOKEN AWS_SECURITY_TOKEN AWS_ROLE_ARN AWS_WEB_IDENTITY_TOKEN_FILE TF_WORKSPACE TF_DATA_DIR TF_PLUGIN_CACHE_DIR
export AWS_ENDPOINT_URL="http://127.0.0.1:$PORT"
export AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test AWS_REGION=eu-west-1 AWS_DEFAULT_REGION=eu-west-1
export AWS_CONFIG_FILE="$WORK/aws-config" AWS_SHARED_CREDENTIALS_FILE="$WORK/aws-credentials"
export AWS_EC2_METADATA_DISABLED=true CHECKPOINT_DISABLE=1 TF_IN_AUTOMATION=1 TF_INPUT=0
: >"$WORK/terraformrc"
export TF_CLI_CONFIG_FILE="$WORK/terraformrc"

cp -R "$REPO_ROOT/terraform" "$WORK/tf"
find "$WORK/tf" \( -name .terraform -o -name terraform.tfstate.d \) -prune -exec rm -rf {} +
find "$WORK/tf" \( -name '*.tfstate' -o -name '*.tfstate.backup' -o -name '.terraform.lock.hcl' \
  -o -name '*_override.tf' -o -name '*.tfbackend' \) -exec rm -f {} +
for stack in network session; do
  terraform -chdir="$WORK/tf/$stack" init -no-color -input=false -plugin-dir="$PLUGIN_DIR" >"$WORK/logs/init-$stack.log" 2>&1 ||
    die "terraform init $stack failed: $(tail -n 5 "$WORK/logs/init-$stack.log")"
done
terraform -chdir="$WORK/tf/network" apply -auto-approve -no-color >"$WORK/logs/network.log" 2>&1 ||
  die "network apply failed: $(tail -n 5 "$WORK/logs/network.log")"

# --- the configurations ---------------------------------------------------------------

ssh-keygen -q -t ed25519 -N '' -C "labctl-operator@a-rather-long-session-name-for-sizing" -f "$WORK/keys/operator" || die "ssh-keygen failed"
# make_vars SESSION WORKERS PARTICIPANTS PREFIX: pod CIDRs are /PREFIX; ids are as long as allowed (48) when
# PARTICIPANTS > 1, keys carry long comments, CAs are P-256 like labctl's own
# (LabProvision's ClusterCA), with a long subject.
make_vars() {
  python3 - "$WORK" "$@" <<'PY' || die "make_vars $1 failed"
import json, secrets, string, subprocess, sys
work, session, workers, count, prefix = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
alphabet = string.ascii_lowercase + string.digits
def read(p):
    with open(p) as f:
        return f.read()
participants, secrets_ = {}, {}
for n in range(count):
    pid = f"p{n}" if count == 1 else (f"participant-number-{n:02d}." + "x" * 48)[:48]
    key = f"{work}/keys/{session}-{n}"
    subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", f"{pid}@a-long-laptop-name.example.org", "-f", key], check=True)
    subprocess.run(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-days", "30",
                    "-subj", f"/O=labctl/CN={session}-{pid}",
                    "-keyout", key + "-ca.key", "-out", key + "-ca.crt"], check=True, capture_output=True)
    pub = subprocess.run(f"openssl x509 -pubkey -noout -in {key}-ca.crt | openssl pkey -pubin -outform der | openssl dgst -sha256 -r",
                         shell=True, check=True, capture_output=True, text=True).stdout.split()[0]
    participants[pid] = {"public_key": read(key + ".pub").strip(), "pod_cidr": f"10.{112 + n}.0.0/{prefix}"}
    secrets_[pid] = {
        "join_token": "".join(secrets.choice(alphabet) for _ in range(6)) + "." + "".join(secrets.choice(alphabet) for _ in range(16)),
        "ca_cert_pem": read(key + "-ca.crt"), "ca_key_pem": read(key + "-ca.key"), "ca_cert_hash": "sha256:" + pub,
    }
doc = {"session_name": session, "worker_count": workers, "allowed_ssh_cidrs": ["198.51.100.0/24"],
       "operator_public_key": read(f"{work}/keys/operator.pub").strip(),
       "participants": participants, "cluster_secrets": secrets_}
with open(f"{work}/vars/{session}.tfvars.json", "w") as f:
    json.dump(doc, f, indent=2)
PY
}
# session  workers  participants  pod CIDR prefix (/16: clusters from before
# LABCTL_POD_CIDR_PREFIX; /21: its default, a 21-node cluster in the smallest network)
CONFIGS=("zero 0 1 16" "two 2 1 16" "twenty 20 1 21" "crowd 1 12 21")
for c in "${CONFIGS[@]}"; do
  # shellcheck disable=SC2086 # four words on purpose
  make_vars $c
done

apply_pids=()
for c in "${CONFIGS[@]}"; do
  s=${c%% *}
  # Planned first: the plan shows what the configuration asks of EC2 (moto
  # reports hop limit 1 and standard credits whatever it was asked for).
  (export TF_WORKSPACE=$s
   terraform -chdir="$WORK/tf/session" plan -no-color -var-file="$WORK/vars/$s.tfvars.json" -out="$WORK/$s.plan" >"$WORK/logs/apply-$s.log" 2>&1 &&
     terraform -chdir="$WORK/tf/session" show -json "$WORK/$s.plan" >"$WORK/$s.plan.json" 2>>"$WORK/logs/apply-$s.log" &&
     terraform -chdir="$WORK/tf/session" apply -auto-approve -no-color -parallelism=25 "$WORK/$s.plan" >>"$WORK/logs/apply-$s.log" 2>&1
   echo $? >"$WORK/logs/apply-$s.rc") &
  apply_pids+=($!)
done
wait "${apply_pids[@]}"
for c in "${CONFIGS[@]}"; do
  s=${c%% *}
  if [ "$(cat "$WORK/logs/apply-$s.rc")" = 0 ]; then pass "$s: terraform apply ($c)"; else
    fail "$s: terraform apply" "$(grep -m3 -A3 Error "$WORK/logs/apply-$s.log" | tr '\n' ' ')"
  fi
done

# --- read the user data back from EC2 ---------------------------------------------------

python3 - "$WORK" >"$WORK/logs/fetch.log" 2>&1 <<'PY' || die "reading user data back failed: $(tail -n 5 "$WORK/logs/fetch.log")"
import base64, gzip, os, sys, boto3, yaml
work = sys.argv[1]
ec2 = boto3.client("ec2", endpoint_url=os.environ["AWS_ENDPOINT_URL"])
for page in ec2.get_paginator("describe_instances").paginate():
    for r in page["Reservations"]:
        for i in r["Instances"]:
            if i["State"]["Name"] != "running":
                continue
            name = {t["Key"]: t["Value"] for t in i.get("Tags", [])}["Name"]
            raw = ec2.describe_instance_attribute(InstanceId=i["InstanceId"], Attribute="userData")["UserData"]["Value"]
            data = base64.b64decode(raw)
            d = f"{work}/userdata/{name}"
            os.makedirs(d)
            open(f"{d}/user-data.yaml", "wb").write(data)
            for n, f in enumerate(yaml.safe_load(data).get("write_files", [])):
                # Plain, or gzip+base64 (the dead-man switch's script, to save user data bytes).
                content = gzip.decompress(base64.b64decode(f["content"])).decode() if f.get("encoding") == "gz+b64" else f["content"]
                if f.get("encoding") in (None, "gz+b64") and content.startswith("#!"):
                    open(f"{d}/script-{n}-{os.path.basename(f['path'])}", "w").write(content)
PY

# --- instance metadata and CPU credits, on every instance --------------------------------

expected_instances=0
for c in "${CONFIGS[@]}"; do
  read -r _ w n _ <<<"$c"
  expected_instances=$((expected_instances + n * (1 + w)))
done
if python3 - "$WORK" "$expected_instances" "${CONFIGS[@]%% *}" <<'PY'; then
import json, os, sys, boto3
ec2 = boto3.client("ec2", endpoint_url=os.environ["AWS_ENDPOINT_URL"])
ids, bad, planned = [], [], 0
expected = int(sys.argv[2])
for session in sys.argv[3:]:
    plan = json.load(open(f"{sys.argv[1]}/{session}.plan.json"))
    for rc in plan["resource_changes"]:
        if rc["type"] != "aws_instance":
            continue
        planned += 1
        after = rc["change"]["after"]
        m, c = after["metadata_options"][0], after["credit_specification"][0]
        if (m["http_tokens"], m["http_put_response_hop_limit"], c["cpu_credits"]) != ("required", 1, "unlimited"):
            bad.append((rc["address"], m, c))
for page in ec2.get_paginator("describe_instances").paginate():
    for r in page["Reservations"]:
        for i in r["Instances"]:
            if i["State"]["Name"] != "running":
                continue
            ids.append(i["InstanceId"])
            m = i.get("MetadataOptions", {})
            if m.get("HttpTokens") != "required" or m.get("HttpPutResponseHopLimit") != 1 or m.get("HttpEndpoint") != "enabled":
                bad.append((i["InstanceId"], m))
# Credits: from the plan only; moto answers "standard" for every instance
# (tf-smoke.sh checks what RunInstances was asked for).
print(f"  {planned} planned and {len(ids)} running instances checked" + (f"; wrong: {bad[:5]}" if bad else ""))
print(f"  expected {expected} instances")
sys.exit(1 if bad or len(ids) != expected or planned != expected else 0)
PY
  pass "every instance: IMDSv2 required, hop limit 1 (plan and EC2), launched with unlimited CPU credits (plan)"
else
  fail "every instance: IMDSv2 required, hop limit 1, unlimited CPU credits at launch" "see above"
fi

# --- size, cloud-init schema, shellcheck, per configuration ------------------------------

for c in "${CONFIGS[@]}"; do
  s=${c%% *}
  for role in master worker; do
    dirs=("$WORK/userdata/$s."*"-$role"*)
    [ -d "${dirs[0]}" ] || { [ "$role" = worker ] && [ "$s" = zero ] && continue; fail "$s $role: user data read back" "no $role instance"; continue; }
    largest=0; largest_name=""; schema_bad=(); shell_bad=(); scripts=0
    for d in "${dirs[@]}"; do
      size=$(wc -c <"$d/user-data.yaml")
      if [ "$size" -gt "$largest" ]; then largest=$size; largest_name=$(basename "$d"); fi
      cloud-init schema --config-file "$d/user-data.yaml" >"$d/schema.log" 2>&1 || schema_bad+=("$(basename "$d"): $(tail -n 2 "$d/schema.log" | tr '\n' ' ')")
      for script in "$d"/script-*; do
        scripts=$((scripts + 1))
        shellcheck -s bash "$script" >"$script.shellcheck" 2>&1 || shell_bad+=("$(basename "$d")/$(basename "$script"): $(head -n 4 "$script.shellcheck" | tr '\n' ' ')")
      done
    done
    n=${#dirs[@]}
    if [ "$largest" -gt 0 ] && [ "$largest" -le "$LIMIT_BYTES" ]; then
      pass "$s $role: user data ≤ $LIMIT_BYTES bytes (largest of $n: $largest bytes, $largest_name; EC2 allows 16384)"
    else
      fail "$s $role: user data ≤ $LIMIT_BYTES bytes" "largest of $n is $largest bytes ($largest_name)"
    fi
    if [ ${#schema_bad[@]} -eq 0 ]; then pass "$s $role: cloud-init schema valid ($n instance(s))"; else fail "$s $role: cloud-init schema" "${schema_bad[*]}"; fi
    if [ "$scripts" -ge $((2 * n)) ] && [ ${#shell_bad[@]} -eq 0 ]; then
      pass "$s $role: shellcheck clean ($scripts embedded scripts)"
    else
      fail "$s $role: shellcheck ($scripts scripts, expected $((2 * n)))" "${shell_bad[*]:-}"
    fi
  done
done

# --- node CIDR mask: every node of a small pod network gets a range ------------------------
# kubeadm's controller manager gives each node a /24; a /21 has 8 of them, so a
# 21-node cluster needs /26 node ranges (--node-cidr-mask-size) or it logs
# CIDRNotAvailable. /16 clusters keep kubeadm's default and unchanged user data.

for c in "${CONFIGS[@]}"; do
  read -r s w _ prefix <<<"$c"
  bad=()
  for d in "$WORK/userdata/$s."*"-master"; do
    script=$(grep -l 'kubeadm init' "$d"/script-* 2>/dev/null | head -n 1)
    [ -n "$script" ] || { bad+=("$(basename "$d"): no bootstrap script"); continue; }
    if [ "$prefix" -gt 19 ]; then
      mask=$(grep -o 'node-cidr-mask-size=[0-9]*' "$script" | head -n 1 | cut -d= -f2)
      grep -q -- '--patches /etc/kubernetes/labctl-patches' "$script" || bad+=("$(basename "$d"): kubeadm init without --patches")
      if [ -z "$mask" ] || [ $((1 << (mask - prefix))) -lt $((1 + w)) ]; then
        bad+=("$(basename "$d"): node mask '${mask:-none}' leaves no range for each of $((1 + w)) nodes in a /$prefix")
      fi
    elif grep -q 'labctl-patches' "$script"; then
      bad+=("$(basename "$d"): a /$prefix pod network got a node-mask patch (its user data must not change)")
    fi
  done
  if [ ${#bad[@]} -eq 0 ]; then pass "$s: node CIDR ranges fit $((1 + w)) node(s) in a /$prefix pod network"; else fail "$s: node CIDR mask" "${bad[*]}"; fi
done

# --- the worker's wait for its master is bounded -------------------------------------------

worker_dir=$(find "$WORK/userdata" -maxdepth 1 -name 'two.p0-worker-1' | head -n 1)
script=$(ls "$worker_dir"/script-*-labctl-bootstrap 2>/dev/null | head -n 1)
if [ ! -f "$script" ]; then
  fail "bounded worker wait" "no rendered worker bootstrap in $worker_dir"
else
  if "$REPO_ROOT/scripts/worker-wait-check.sh" "$script" "$WAIT_SECONDS" "$WAIT_SLACK"; then
    pass "bounded worker wait (see above)"
  else
    fail "bounded worker wait" "see above"
  fi
fi

# --- Calico on the masters: the metadata policy and the manifest fetch ----------------------

# The policy that keeps pods from the instance metadata must select workload
# endpoints only: all() would also match host endpoints and cut the node off.
bad=()
checked=0
for d in "$WORK/userdata/"*-master; do
  script=$(grep -l 'kubeadm init' "$d"/script-* 2>/dev/null | head -n 1)
  [ -n "$script" ] || { bad+=("$(basename "$d"): no bootstrap script"); continue; }
  checked=$((checked + 1))
  verdict=$(python3 - "$script" <<'PY'
import re, sys, yaml
text = open(sys.argv[1]).read()
m = re.search(r"<<'POLICY'\n(.*?)\nPOLICY\n", text, re.S)
if not m:
    sys.exit("no POLICY heredoc")
gnp = [d for d in yaml.safe_load_all(m.group(1)) if d and d.get("kind") == "GlobalNetworkPolicy"]
if len(gnp) != 1:
    sys.exit(f"{len(gnp)} GlobalNetworkPolicies")
spec = gnp[0]["spec"]
deny = [r for r in spec.get("egress", []) if r.get("action") == "Deny" and "169.254.169.254/32" in r.get("destination", {}).get("nets", [])]
if spec.get("selector") != "has(projectcalico.org/namespace)" or not deny or spec.get("types") != ["Egress"]:
    sys.exit(f"selector {spec.get('selector')!r}, types {spec.get('types')}, deny rule {bool(deny)}")
PY
  ) || bad+=("$(basename "$d"): $verdict")
done
if [ "$checked" -gt 0 ] && [ ${#bad[@]} -eq 0 ]; then
  pass "metadata policy on $checked masters: selector has(projectcalico.org/namespace) (pods only, no host endpoints), egress to 169.254.169.254/32 denied"
else
  fail "metadata policy selects workload endpoints only" "${bad[*]:-no master checked}"
fi

# The manifests come from calico_manifests_base_url (default: the projectcalico
# repository) through fetch_manifest, which retries refused connections.
master_dir="$WORK/userdata/two.p0-master"
script=$(grep -l 'kubeadm init' "$master_dir"/script-* 2>/dev/null | head -n 1)
# shellcheck disable=SC2016 # $CALICO_VERSION and $CALICO_URL are the script's own, matched literally
if [ -z "$script" ] || ! grep -q '^CALICO_URL="https://raw.githubusercontent.com/projectcalico/calico/$CALICO_VERSION/manifests"$' "$script" ||
  grep -qE 'kubectl .*-f "?\$CALICO_URL' "$script"; then
  fail "Calico manifests: default base URL, fetched before kubectl applies them" "${script:-no master bootstrap}: $(grep -n 'CALICO_URL' "$script" 2>/dev/null | tr '\n' ' ')"
else
  pass "Calico manifests: from the default base URL (projectcalico/calico on GitHub), downloaded by fetch_manifest, applied from the file"
fi
grep '^fetch_manifest() {' "$script" >"$WORK/fetch-manifest.sh"
if ! grep -q -- '--retry-connrefused' "$WORK/fetch-manifest.sh" || ! grep -q -- '--retry-max-time' "$WORK/fetch-manifest.sh"; then
  fail "fetch_manifest retries refused connections, bounded" "$(tr '\n' ' ' <"$WORK/fetch-manifest.sh")"
else
  mkdir -p "$WORK/mirror/v3.31.4/manifests"
  printf 'kind: List\n# labctl mirror test\n' >"$WORK/mirror/v3.31.4/manifests/tigera-operator.yaml"
  mport=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')
  # Nothing listens for the first 3 s (connection refused), then the mirror answers.
  (sleep 3 && exec python3 -m http.server --bind 127.0.0.1 --directory "$WORK/mirror" "$mport") >"$WORK/logs/mirror.log" 2>&1 &
  LISTENER_PID=$!
  fetch() { # fetch MANIFEST: runs the rendered fetch_manifest against the loopback mirror; sets rc, took
    local t0
    t0=$(date +%s.%N)
    # shellcheck disable=SC2016 # $1..$3 belong to the inner shell
    CALICO_URL="http://127.0.0.1:$mport/v3.31.4/manifests" timeout 400 bash -c '. "$1"; fetch_manifest "$2" "$3"' _ \
      "$WORK/fetch-manifest.sh" "$1" "$WORK/fetched-$1" >>"$WORK/logs/fetch-manifest.log" 2>&1
    rc=$?
    took=$(python3 -c "import sys; print(f'{float(sys.argv[2]) - float(sys.argv[1]):.1f}')" "$t0" "$(date +%s.%N)")
  }
  fetch tigera-operator.yaml
  if [ "$rc" = 0 ] && cmp -s "$WORK/fetched-tigera-operator.yaml" "$WORK/mirror/v3.31.4/manifests/tigera-operator.yaml" &&
    python3 -c 'import sys; sys.exit(0 if float(sys.argv[1]) >= 2.5 else 1)' "$took"; then
    pass "fetch_manifest: a mirror that refuses connections for 3 s is retried and read (${took}s)"
  else
    fail "fetch_manifest retries a refused connection" "exit $rc after ${took}s: $(tail -n 2 "$WORK/logs/fetch-manifest.log" | tr '\n' ' ')"
  fi
  fetch operator-crds.yaml
  if [ "$rc" != 0 ] && python3 -c 'import sys; sys.exit(0 if float(sys.argv[1]) < 10 else 1)' "$took"; then
    pass "fetch_manifest: a 404 (wrong version or mirror) fails at once (exit $rc after ${took}s), no retries for 5 minutes"
  else
    fail "fetch_manifest fails fast on 404" "exit $rc after ${took}s"
  fi
  kill "$LISTENER_PID" 2>/dev/null && wait "$LISTENER_PID" 2>/dev/null
  LISTENER_PID=""
fi

printf '%d passed, %d failed\n' "$PASSED" "$FAILED"
[ "$FAILED" -eq 0 ]
