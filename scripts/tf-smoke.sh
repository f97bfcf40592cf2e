#!/usr/bin/env bash
# tf-smoke.sh — what only Terraform itself can show about terraform/, against a
# local AWS emulator.
#
# Starts moto_server on a free loopback port, copies terraform/ to a temporary
# directory and runs the real Terraform + real hashicorp/aws provider against
# it, without labctl: the stacks' own guards and validations refuse bad input at
# plan time, a network and two sessions (one workspace each, TF_WORKSPACE; one
# with the optional inputs and emulator switches set) apply, what they create in
# EC2 and their outputs are checked with boto3, and a re-plan is stable. What EC2
# was asked for at launch (CPU credits, which moto does not keep) is read from
# moto's request recorder; a moved end retags the root volumes.
# Everything it starts is stopped and every temporary file removed on exit.
#
# Not here, because labctl's XCTest suites run it through labctl against moto:
# fmt/validate (scripts/tf-check.sh), parallel applies, state isolation and
# destroy (ProvisioningTests), the S3 backend (S3BackendTests), adding or
# removing participants without replacing others (ClassDayChangesTests).
#
# Traffic goes to 127.0.0.1 only: the instance IPs moto hands out are never
# contacted.
#
# Environment:
#   LABCTL_TF_PLUGIN_DIR  provider mirror for `terraform init -plugin-dir`
#                         (default: found by scripts/tf-mirror.sh)
#   TF_SMOKE_KEEP=1       keep the temporary directory for inspection
#
# Exit status: 0 all checks passed, 1 a check failed, 2 missing tool / setup error.
set -uo pipefail

REPO_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
. "$(dirname "$0")/tf-mirror.sh"
PLUGIN_DIR=${LABCTL_TF_PLUGIN_DIR:-}
AMI_FIXTURE="$REPO_ROOT/Tests/terraform-fixtures/moto-amis.json"
FIXTURE_AMI_ID="ami-0a1b2c3d4e5f60718" # the amd64 Ubuntu 24.04 entry of the fixture

PASSED=0
FAILED=0
MOTO_PID=""
BG_PIDS=()
WORK=""
TIMINGS=()

log() { printf '%s\n' "$*"; }
pass() {
  PASSED=$((PASSED + 1))
  printf 'PASS %s\n' "$1"
}
fail() {
  FAILED=$((FAILED + 1))
  printf 'FAIL %s%s\n' "$1" "${2:+: $2}"
}
die() {
  printf 'tf-smoke: %s\n' "$*" >&2
  exit 2
}

cleanup() {
  local pid
  for pid in "${BG_PIDS[@]}"; do
    kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null
  done
  if [ -n "$MOTO_PID" ]; then
    kill "$MOTO_PID" 2>/dev/null
    wait "$MOTO_PID" 2>/dev/null
  fi
  if [ -n "$WORK" ] && [ -d "$WORK" ]; then
    if [ "${TF_SMOKE_KEEP:-0}" = "1" ]; then
      log "kept $WORK"
    else
      rm -rf "$WORK"
    fi
  fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", b - a }'; }

# --- prerequisites --------------------------------------------------------------

for tool in terraform moto_server python3 ssh-keygen openssl curl; do
  command -v "$tool" >/dev/null 2>&1 || die "$tool is not installed"
done
python3 -c 'import boto3' 2>/dev/null || die "python3 module boto3 is missing (pip install boto3)"
[ -d "$PLUGIN_DIR" ] || die "provider mirror $PLUGIN_DIR not found (set LABCTL_TF_PLUGIN_DIR)"
[ -f "$AMI_FIXTURE" ] || die "AMI fixture $AMI_FIXTURE not found"

WORK=$(mktemp -d "${TMPDIR:-/tmp}/labctl-tf-smoke.XXXXXX") || die "mktemp failed"
mkdir -p "$WORK/keys" "$WORK/logs" "$WORK/vars"

# --- moto on a free loopback port ---------------------------------------------------

. "$REPO_ROOT/scripts/lib/moto.sh"
# moto records requests only between start-recording and stop-recording (around the
# session applies): the file holds user data with secrets and stays in $WORK.
export MOTO_RECORDER_FILEPATH="$WORK/moto-recording.jsonl"
start_moto
log "moto_server pid $MOTO_PID on 127.0.0.1:$PORT"

# Isolated, emulator-only environment: no real credentials, profiles, IMDS or
# Terraform checkpoint calls can leak in.
unset AWS_PROFILE AWS_SESSION_TOKEN AWS_SECURITY_TOKEN AWS_ROLE_ARN AWS_WEB_IDENTITY_TOKEN_FILE TF_WORKSPACE TF_DATA_DIR TF_PLUGIN_CACHE_DIR
export AWS_ENDPOINT_URL="http://127.0.0.1:$PORT"
export AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test
export AWS_REGION=eu-west-1 AWS_DEFAULT_REGION=eu-west-1
export AWS_CONFIG_FILE="$WORK/aws-config" AWS_SHARED_CREDENTIALS_FILE="$WORK/aws-credentials"
export AWS_EC2_METADATA_DISABLED=true
export CHECKPOINT_DISABLE=1 TF_IN_AUTOMATION=1 TF_INPUT=0
: >"$WORK/terraformrc"
export TF_CLI_CONFIG_FILE="$WORK/terraformrc"

# --- a private copy of terraform/ ---------------------------------------------------

copy_tree() { # copy_tree DEST
  cp -R "$REPO_ROOT/terraform" "$1"
  find "$1" \( -name .terraform -o -name terraform.tfstate.d \) -prune -exec rm -rf {} +
  find "$1" \( -name '*.tfstate' -o -name '*.tfstate.backup' -o -name '.terraform.lock.hcl' \
    -o -name '*_override.tf' -o -name '*.tfbackend' \) -exec rm -f {} +
}
copy_tree "$WORK/tf"
NET="$WORK/tf/network"
SES="$WORK/tf/session"

tf() { # tf DIR ARGS... (output to stdout/stderr)
  local dir=$1
  shift
  terraform -chdir="$dir" "$@"
}

# --- init (fmt and validate: scripts/tf-check.sh) ------------------------------------

for stack in network session; do
  if tf "$WORK/tf/$stack" init -no-color -input=false -plugin-dir="$PLUGIN_DIR" >"$WORK/logs/init-$stack.log" 2>&1; then
    pass "terraform init $stack (-plugin-dir)"
  else
    fail "terraform init $stack" "see below"
    tail -n 20 "$WORK/logs/init-$stack.log"
    die "cannot continue without an initialised $stack stack"
  fi
done

# --- session inputs: keys, CAs, tokens ------------------------------------------------

ssh-keygen -q -t ed25519 -N '' -C "labctl-operator" -f "$WORK/keys/operator" || die "ssh-keygen failed"
for person in alice bob.do carol; do
  ssh-keygen -q -t ed25519 -N '' -C "$person@training" -f "$WORK/keys/$person" || die "ssh-keygen failed"
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 30 \
    -subj "/CN=kubernetes" -keyout "$WORK/keys/$person-ca.key" -out "$WORK/keys/$person-ca.crt" 2>/dev/null ||
    die "openssl failed"
  openssl x509 -pubkey -noout -in "$WORK/keys/$person-ca.crt" | openssl pkey -pubin -outform der |
    openssl dgst -sha256 -r | cut -d' ' -f1 >"$WORK/keys/$person-ca.hash"
done

# make_vars SESSION WORKER_COUNT PARTICIPANT=POD_CIDR... [-- key=json ...]
make_vars() {
  python3 - "$WORK" "$@" <<'PY'
import json, secrets, string, sys
work, session, workers, *rest = sys.argv[1:]
extra = {}
if "--" in rest:
    i = rest.index("--")
    rest, extras = rest[:i], rest[i + 1:]
    for item in extras:
        k, v = item.split("=", 1)
        extra[k] = json.loads(v)
alphabet = string.ascii_lowercase + string.digits
def read(p):
    with open(p) as f:
        return f.read()
participants, secrets_ = {}, {}
for item in rest:
    pid, cidr = item.split("=", 1)
    participants[pid] = {"public_key": read(f"{work}/keys/{pid}.pub").strip(), "pod_cidr": cidr}
    secrets_[pid] = {
        "join_token": "".join(secrets.choice(alphabet) for _ in range(6)) + "." + "".join(secrets.choice(alphabet) for _ in range(16)),
        "ca_cert_pem": read(f"{work}/keys/{pid}-ca.crt"),
        "ca_key_pem": read(f"{work}/keys/{pid}-ca.key"),
        "ca_cert_hash": "sha256:" + read(f"{work}/keys/{pid}-ca.hash").strip(),
    }
doc = {
    "session_name": session,
    "worker_count": int(workers),
    "operator_public_key": read(f"{work}/keys/operator.pub").strip(),
    "participants": participants,
    "cluster_secrets": secrets_,
    "extra_tags": {"CostCenter": "training"},
}
doc.update(extra)
with open(f"{work}/vars/{session}.tfvars.json", "w") as f:
    json.dump(doc, f, indent=2)
PY
}

# alpha has an end (and with it the backstop schedules, backstop.tf); beta has none.
make_vars alpha 1 alice=10.244.0.0/16 bob.do=10.245.0.0/16 -- \
  'expires_at="2099-05-01T17:00:00Z"' 'shutdown_at="2099-05-01 19:00:00 UTC"'
make_vars beta 0 carol=10.246.0.0/16 -- \
  "ami_id=\"$FIXTURE_AMI_ID\"" 'allowed_ssh_cidrs=["198.51.100.0/24"]' \
  'allowed_api_cidrs=["198.51.100.0/24","2001:db8::/32"]' 'nodeport_cidrs=["203.0.113.0/24"]' \
  'calico_manifests_base_url="https://mirror.example.org:8443/calico"' \
  'skip_credentials_validation=true' 'skip_requesting_account_id=true' 'skip_metadata_api_check=true'
cp "$WORK/vars/alpha.tfvars.json" "$WORK/vars/mismatch.tfvars.json"
make_vars overlap 1 alice=10.0.128.0/17

# --- guards and validations (what kubeadm, containerd and the network accept) --------------

make_vars podmask 1 alice=10.244.0.0/25
make_vars k8snext 1 alice=10.244.0.0/16 -- 'kubernetes_version="1.36.0"'
make_vars k8sminor 1 alice=10.244.0.0/16 -- 'kubernetes_version="1.34"'
refused() { # refused NAME EXPECTED_TEXT COMMAND... — the command must fail, saying EXPECTED_TEXT
  local name=$1 want=$2
  shift 2
  if "$@" >"$WORK/logs/refused.log" 2>&1; then
    fail "$name" "accepted"
  elif tr -s ' \n│' ' ' <"$WORK/logs/refused.log" | grep -q "$want"; then
    pass "$name"
  else
    fail "$name" "unexpected error: $(grep -m1 -A4 Error "$WORK/logs/refused.log" | tr '\n' ' ')"
  fi
}
plan_session() { # plan_session WORKSPACE VARS — plan the session stack with vars/VARS.tfvars.json
  TF_WORKSPACE=$1 terraform -chdir="$SES" plan -no-color -lock=false -var-file="$WORK/vars/$2.tfvars.json"
}
refused "session before network is refused with 'run \`labctl network apply\` first'" "labctl network apply" plan_session alpha alpha
refused "session_name must equal the workspace (TF_WORKSPACE=other, session_name=alpha refused)" \
  "does not match the selected Terraform workspace" plan_session other mismatch
refused "pod CIDR longer than kubeadm's /24 node mask is refused" "between /8 and /24" plan_session podmask podmask
refused "kubernetes_version 1.36 (needs containerd 2) is refused" "containerd 1.7" plan_session k8snext k8snext
refused "kubernetes_version without a patch release is refused" "one patch version" plan_session k8sminor k8sminor
make_vars mirrorhttp 1 alice=10.244.0.0/16 -- 'calico_manifests_base_url="http://mirror.example.org/calico"'
make_vars mirrorslash 1 alice=10.244.0.0/16 -- 'calico_manifests_base_url="https://mirror.example.org/calico/"'
refused "a plain-http Calico mirror is refused (the manifests run as cluster-admin)" "must be an https:// URL" \
  plan_session mirrorhttp mirrorhttp
refused "a Calico mirror URL with a trailing slash is refused" "without a trailing slash" plan_session mirrorslash mirrorslash
refused "a VPC overlapping 10.96.0.0/12 is refused" "overlaps 10.96.0.0/12" \
  terraform -chdir="$NET" plan -no-color -lock=false -var=vpc_cidr=10.100.0.0/16

# --- network --------------------------------------------------------------------------

t0=$(now)
if tf "$NET" apply -auto-approve -no-color >"$WORK/logs/network-apply.log" 2>&1; then
  d=$(elapsed "$t0" "$(now)")
  TIMINGS+=("network apply (8 resources): ${d}s")
  pass "network apply (default workspace) in ${d}s"
else
  fail "network apply" "see below"
  tail -n 30 "$WORK/logs/network-apply.log"
  die "cannot continue without the network"
fi
tf "$NET" output -json >"$WORK/network-outputs.json" 2>"$WORK/logs/network-output.err"

refused "pod CIDR overlapping the VPC is refused at plan time (10.0.128.0/17 in 10.0.0.0/16)" "overlaps the network's VPC" \
  plan_session overlap overlap

# --- two sessions in parallel ----------------------------------------------------------

run_apply() { # run_apply SESSION  (background job body)
  local s=$1
  now >"$WORK/logs/apply-$s.start"
  TF_WORKSPACE=$s terraform -chdir="$SES" apply -auto-approve -no-color \
    -var-file="$WORK/vars/$s.tfvars.json" >"$WORK/logs/apply-$s.log" 2>&1
  echo $? >"$WORK/logs/apply-$s.rc"
  now >"$WORK/logs/apply-$s.end"
}

curl -sf -o /dev/null -X POST "http://127.0.0.1:$PORT/moto-api/recorder/start-recording" || die "moto's recorder did not start"
t0=$(now)
run_apply alpha &
BG_PIDS+=($!)
run_apply beta &
BG_PIDS+=($!)
wait "${BG_PIDS[@]}"
BG_PIDS=()
t1=$(now)
curl -sf -o /dev/null -X POST "http://127.0.0.1:$PORT/moto-api/recorder/stop-recording" || die "moto's recorder did not stop"
for s in alpha beta; do
  if [ "$(cat "$WORK/logs/apply-$s.rc")" = "0" ]; then
    d=$(elapsed "$(cat "$WORK/logs/apply-$s.start")" "$(cat "$WORK/logs/apply-$s.end")")
    TIMINGS+=("session $s apply, in parallel with the other: ${d}s")
    pass "session $s apply (TF_WORKSPACE=$s) in ${d}s"
  else
    fail "session $s apply" "see below"
    tail -n 30 "$WORK/logs/apply-$s.log"
  fi
done
TIMINGS+=("alpha + beta in parallel, wall clock: $(elapsed "$t0" "$t1")s")

for s in alpha beta; do
  TF_WORKSPACE=$s tf "$SES" output -json >"$WORK/outputs-$s.json" 2>"$WORK/logs/output-$s.err"
done
tf "$SES" state list >"$WORK/state-default.txt" 2>/dev/null || true

# --- checks against moto and the states -------------------------------------------------

cat >"$WORK/check.py" <<'PY'
"""Checks of the labctl Terraform stacks against moto (boto3, loopback only)."""
import base64, json, os, sys
from urllib.parse import parse_qs
import boto3

work = sys.argv[1]
phase = sys.argv[2]
ec2 = boto3.client("ec2", endpoint_url=os.environ["AWS_ENDPOINT_URL"])

def vars_of(session):
    with open(f"{work}/vars/{session}.tfvars.json") as f:
        return json.load(f)

def result(ok, name, detail=""):
    print(("PASS " if ok else "FAIL ") + name + ("" if ok or not detail else ": " + str(detail)))

def tags(obj):
    return {t["Key"]: t["Value"] for t in obj.get("Tags", []) or []}

def instances(session=None, live=True):
    out = []
    for r in ec2.describe_instances()["Reservations"]:
        for i in r["Instances"]:
            if live and i["State"]["Name"] in ("terminated", "shutting-down"):
                continue
            if session is None or tags(i).get("Session") == session:
                out.append(i)
    return out

REQUIRED = ["Project", "Session", "Participant", "Cluster", "Role", "ManagedBy"]

def launches(session):
    """The RunInstances requests moto recorded for `session` (its Session tag), as form fields."""
    out = []
    # moto's threads write a record and its newline separately: under parallel
    # applies two records can share a line, so the file is read as a stream of objects.
    with open(f"{work}/moto-recording.jsonl") as f:
        text = f.read()
    records, pos, decoder = [], 0, json.JSONDecoder()
    while True:
        while pos < len(text) and text[pos].isspace():
            pos += 1
        if pos >= len(text):
            break
        r, pos = decoder.raw_decode(text, pos)
        records.append(r)
    for r in records:
        body = r.get("body") or ""
        if r.get("body_encoded"):
            body = base64.b64decode(body).decode("utf-8", "replace")
        form = {k: v[0] for k, v in parse_qs(body).items()}
        if form.get("Action") != "RunInstances":
            continue
        tags = {form[k]: form[k[:-3] + "Value"] for k in form if k.startswith("TagSpecification.") and k.endswith(".Key")}
        if tags.get("Session") == session:
            out.append(form)
    return out

def check_tags(kind, objs, session, role):
    bad = []
    for o in objs:
        t = tags(o)
        missing = [k for k in REQUIRED if k not in t]
        oid = o.get("InstanceId") or o.get("GroupId") or o.get("KeyName") or o.get("VolumeId")
        if missing:
            bad.append(f"{oid} lacks {missing}")
            continue
        want_role = role(o) if callable(role) else role
        if (t["Session"] != session or t["ManagedBy"] != "labctl" or t["Project"] != "k8s-training"
                or t["Cluster"] != f"{session}-{t['Participant']}" or t["Role"] not in want_role
                or session not in t.get("Name", "") or t.get("CostCenter") != "training"):
            bad.append(f"{oid} has {t}")
    result(not bad and objs, f"{session}: {len(objs)} {kind} carry the 6 labctl tags (+Name, extra_tags)", bad or "none found")

def session_checks(session):
    v = vars_of(session)
    people = sorted(v["participants"])
    wc = v["worker_count"]
    insts = instances(session)
    result(len(insts) == len(people) * (1 + wc), f"{session}: {len(insts)} live instances = {len(people)} x (1 master + {wc} workers)",
           [tags(i).get("Name") for i in insts])
    check_tags("instances", insts, session, ("master", "worker"))
    vol_ids = [b["Ebs"]["VolumeId"] for i in insts for b in i.get("BlockDeviceMappings", [])]
    vols = ec2.describe_volumes(VolumeIds=vol_ids)["Volumes"] if vol_ids else []
    check_tags("root volumes", vols, session, ("master", "worker"))
    bad = [x["VolumeId"] for x in vols if not (x["VolumeType"] == "gp3" and x["Encrypted"] and x["Size"] == 30)]
    result(vols and not bad, f"{session}: root volumes are encrypted gp3 of 30 GiB", bad)
    want_end = v.get("expires_at") or "never"
    bad = [(x["VolumeId"], tags(x).get("ExpiresAt")) for x in vols if tags(x).get("ExpiresAt") != want_end] + \
          [(i["InstanceId"], tags(i).get("ExpiresAt")) for i in insts if tags(i).get("ExpiresAt") != want_end]
    result(vols and not bad, f"{session}: instances and root volumes carry ExpiresAt = {want_end}", bad)
    bad = [i["InstanceId"] for i in insts if i.get("MetadataOptions", {}).get("HttpTokens") != "required"]
    result(not bad, f"{session}: IMDSv2 required on every instance", bad)
    bad = [(i["InstanceId"], i.get("MetadataOptions", {}).get("HttpPutResponseHopLimit")) for i in insts
           if i.get("MetadataOptions", {}).get("HttpPutResponseHopLimit") != 1]
    result(not bad, f"{session}: metadata hop limit 1 on every instance (pods get no IMDS token)", bad)
    # moto answers "standard" to DescribeInstanceCreditSpecifications whatever it was
    # asked for, so the launch requests themselves are read: every node must be asked
    # to launch with unlimited credits, so that its bootstrap is not held at the baseline.
    want = v.get("cpu_credits", "unlimited")
    runs = launches(session)
    asked = sorted(r.get("CreditSpecification.CpuCredits", "(none)") for r in runs)
    result(len(runs) == len(insts) and asked == [want] * len(insts),
           f"{session}: {len(runs)} RunInstances asked for {want} CPU credits (bootstrap at full speed)", asked)
    bad = [i["InstanceId"] for i in insts if not i.get("PublicIpAddress")]
    result(not bad, f"{session}: every instance has a public IP", bad)
    want_ami = v.get("ami_id") or "ami-0a1b2c3d4e5f60718"
    bad = [i["InstanceId"] for i in insts if i["ImageId"] != want_ami]
    result(not bad, f"{session}: instances use {want_ami} ({'given ami_id' if v.get('ami_id') else 'Ubuntu 24.04 amd64 lookup'})", bad)

    sgs = [g for g in ec2.describe_security_groups()["SecurityGroups"] if tags(g).get("Session") == session]
    check_tags("security groups", sgs, session, ("security-group",))
    names = sorted(g["GroupName"] for g in sgs)
    # AWS names join session and id with "." (no session name holds one), so they stay unambiguous.
    result(names == sorted(f"{session}.{p}" for p in people), f"{session}: one security group per participant named <session>.<id>", names)
    rules = ec2.describe_security_group_rules()["SecurityGroupRules"]
    for g in sgs:
        gid = g["GroupId"]
        mine = [r for r in rules if r["GroupId"] == gid]
        ingress = [r for r in mine if not r["IsEgress"]]
        def sources(port):
            return sorted((r.get("CidrIpv4") or r.get("CidrIpv6")) for r in ingress
                          if r["IpProtocol"] == "tcp" and r["FromPort"] == port)
        exp_ssh = sorted(v.get("allowed_ssh_cidrs", []))
        exp_api = sorted(v.get("allowed_api_cidrs", []))
        exp_np = sorted(v.get("nodeport_cidrs", []))
        np_ok = all(r["ToPort"] == 32767 for r in ingress if r["IpProtocol"] == "tcp" and r["FromPort"] == 30000)
        self_ok = any(r["IpProtocol"] == "-1" and (r.get("ReferencedGroupInfo") or {}).get("GroupId") == gid for r in ingress)
        egress_ok = any(r["IsEgress"] and r["IpProtocol"] == "-1" and r.get("CidrIpv4") == "0.0.0.0/0" for r in mine)
        ok = sources(22) == exp_ssh and sources(6443) == exp_api and sources(30000) == exp_np and np_ok and self_ok and egress_ok
        result(ok, f"{session}: {g['GroupName']} rules: ssh {exp_ssh}, api {exp_api or 'none'}, nodeports {exp_np or 'none'}, intra-cluster, egress",
               {"ssh": sources(22), "api": sources(6443), "np": sources(30000), "self": self_ok, "egress": egress_ok})
    bad = [i["InstanceId"] for i in insts
           if [x["GroupId"] for n in i["NetworkInterfaces"] for x in n["Groups"]]
           != [g["GroupId"] for g in sgs if g["GroupName"] == f"{session}.{tags(i)['Participant']}"]]
    result(not bad, f"{session}: each instance is only in its own cluster's security group", bad)

    kps = [k for k in ec2.describe_key_pairs()["KeyPairs"] if tags(k).get("Session") == session]
    check_tags("key pairs", kps, session, ("key-pair",))
    # Without lab_id (a run without labctl) a key pair is named like its group; labctl's start with the lab id.
    result(sorted(k["KeyName"] for k in kps) == sorted(f"{session}.{p}" for p in people),
           f"{session}: one key pair per participant named <session>.<id>", [k["KeyName"] for k in kps])
    bad = [i["InstanceId"] for i in insts if i.get("KeyName") != f"{session}.{tags(i)['Participant']}"]
    result(not bad, f"{session}: instances launched with their participant's key pair", bad)

    # user data
    outputs = json.load(open(f"{work}/outputs-{session}.json"))
    clusters = outputs["clusters"]["value"]
    op_key = v["operator_public_key"]
    for p in people:
        pv = v["participants"][p]
        sec = v["cluster_secrets"][p]
        others = [v["participants"][o]["public_key"] for o in people if o != p]
        master = [i for i in insts if tags(i)["Participant"] == p and tags(i)["Role"] == "master"]
        workers = [i for i in insts if tags(i)["Participant"] == p and tags(i)["Role"] == "worker"]
        if len(master) != 1:
            result(False, f"{session}/{p}: exactly one master", len(master))
            continue
        def ud(i):
            raw = ec2.describe_instance_attribute(InstanceId=i["InstanceId"], Attribute="userData")["UserData"]["Value"]
            return base64.b64decode(raw).decode()
        mu = ud(master[0])
        problems = []
        for needle, what in [
            ("#cloud-config", "cloud-config header"),
            (f'POD_CIDR="{pv["pod_cidr"]}"', "pod CIDR"),
            ('--pod-network-cidr="$POD_CIDR"', "kubeadm --pod-network-cidr"),
            (f'JOIN_TOKEN="{sec["join_token"]}"', "join token"),
            ("cidr: $POD_CIDR", "Calico IPv4 pool = pod CIDR"),
            (json.dumps(op_key), "operator key"),
            (json.dumps(pv["public_key"]), "participant key"),
            (base64.b64encode(sec["ca_cert_pem"].encode()).decode(), "CA certificate"),
            (base64.b64encode(sec["ca_key_pem"].encode()).decode(), "CA key"),
            ("/etc/kubernetes/pki/ca.key", "CA key path"),
            ("pkgs.k8s.io/core:/stable:/v$K8S_MINOR", "pkgs.k8s.io repo"),
            ('K8S_MINOR="1.34"', "kubernetes minor (repository)"),
            ('K8S_VERSION="1.34.2"', "kubernetes_version pinned to one patch release"),
            ("labctl.deny-instance-metadata", "Calico policy denying pods the instance metadata"),
            ("selector: has(projectcalico.org/namespace)", "metadata policy selecting pods only"),
            ('CALICO_URL="' + v.get("calico_manifests_base_url", "https://raw.githubusercontent.com/projectcalico/calico")
             + '/$CALICO_VERSION/manifests"', "Calico manifests from calico_manifests_base_url"),
            (f"SINGLE_NODE={'true' if wc == 0 else 'false'}", "single-node switch (taint removal when worker_count = 0)"),
        ]:
            if needle not in mu:
                problems.append(what)
        if any(k in mu for k in others):
            problems.append("contains another participant's key")
        result(not problems, f"{session}/{p}: master user data has pod CIDR {pv['pod_cidr']}, token, CA, both keys, Calico pool", problems)
        master_ip = master[0]["PrivateIpAddress"]
        wproblems = []
        for w in workers:
            wu = ud(w)
            for needle, what in [
                (f'MASTER_ENDPOINT="{master_ip}:6443"', "master private IP"),
                (f'CA_CERT_HASH="sha256:{sec["ca_cert_hash"].removeprefix("sha256:")}"', "CA hash"),
                (f'JOIN_TOKEN="{sec["join_token"]}"', "join token"),
                ("kubeadm join", "kubeadm join"),
                (json.dumps(op_key), "operator key"),
                (json.dumps(pv["public_key"]), "participant key"),
            ]:
                if needle not in wu:
                    wproblems.append(f"{tags(w)['Name']}: {what}")
            if "ca.key" in wu:
                wproblems.append(f"{tags(w)['Name']}: carries the CA key")
        if workers:
            result(not wproblems, f"{session}/{p}: {len(workers)} worker(s) join {master_ip}:6443 with token + sha256 CA hash", wproblems)

        c = clusters.get(p)
        keys = {"master_public_ip", "master_private_ip", "worker_public_ips", "worker_private_ips",
                "pod_cidr", "master_instance_id", "worker_instance_ids"}
        shape = (c is not None and set(c) == keys and all(isinstance(c[k], str) for k in ("master_public_ip", "master_private_ip", "pod_cidr", "master_instance_id"))
                 and all(isinstance(c[k], list) and len(c[k]) == v["worker_count"] for k in ("worker_public_ips", "worker_private_ips", "worker_instance_ids")))
        ok = shape and c["master_instance_id"] == master[0]["InstanceId"] and c["master_private_ip"] == master_ip \
            and c["master_public_ip"] == master[0].get("PublicIpAddress") and c["pod_cidr"] == pv["pod_cidr"] \
            and sorted(c["worker_instance_ids"]) == sorted(w["InstanceId"] for w in workers)
        result(ok, f"{session}/{p}: output clusters[\"{p}\"] has the documented shape and matches EC2", c)
    info = outputs["session_info"]["value"]
    expect = {"session": session, "participant_count": len(people), "total_instances": len(people) * (1 + wc),
              "aws_cost_explorer_filter": f"Tag: Session = {session}"}
    result(info == expect and set(clusters) == set(people), f"{session}: output session_info = {expect}", info)
    sens = outputs["clusters"].get("sensitive") or outputs["session_info"].get("sensitive")
    result(not sens, f"{session}: outputs are not marked sensitive (readable by labctl output -json)", sens)

def network_checks():
    out = json.load(open(f"{work}/network-outputs.json"))
    vpc_id = out["vpc_id"]["value"]
    subnets = out["subnet_ids"]["value"]
    result(out["vpc_cidr"]["value"] == "10.0.0.0/16" and vpc_id.startswith("vpc-") and len(subnets) == 2,
           "network outputs vpc_id, subnet_ids (2), vpc_cidr", out)
    objs = ec2.describe_vpcs(VpcIds=[vpc_id])["Vpcs"] + ec2.describe_subnets(SubnetIds=subnets)["Subnets"] \
        + ec2.describe_internet_gateways(Filters=[{"Name": "attachment.vpc-id", "Values": [vpc_id]}])["InternetGateways"] \
        + [r for r in ec2.describe_route_tables(Filters=[{"Name": "vpc-id", "Values": [vpc_id]}])["RouteTables"] if tags(r)]
    bad = []
    for o in objs:
        t = tags(o)
        if not (t.get("Project") == "k8s-training" and t.get("ManagedBy") == "labctl" and t.get("Network") == "labctl"
                and t.get("Role") == "network" and t.get("Name", "").startswith("labctl")):
            bad.append(t)
    result(len(objs) == 5 and not bad, f"network: VPC, 2 subnets, IGW, route table tagged Project/ManagedBy/Network/Role/Name", bad or len(objs))
    rts = [r for r in ec2.describe_route_tables(Filters=[{"Name": "vpc-id", "Values": [vpc_id]}])["RouteTables"] if tags(r)]
    routes_ok = any(r.get("DestinationCidrBlock") == "0.0.0.0/0" and r.get("GatewayId", "").startswith("igw-") for rt in rts for r in rt["Routes"])
    assoc = {a.get("SubnetId") for rt in rts for a in rt.get("Associations", [])}
    result(routes_ok and set(subnets) <= assoc, "network: default route to the internet gateway, both subnets associated")
    sn = ec2.describe_subnets(SubnetIds=subnets)["Subnets"]
    result(sorted(s["AvailabilityZone"] for s in sn) == ["eu-west-1a", "eu-west-1b"] and all(s["MapPublicIpOnLaunch"] for s in sn),
           "network: public subnets in eu-west-1a and eu-west-1b")
    nat = ec2.describe_nat_gateways()["NatGateways"]
    result(not nat, "network: no NAT gateway", nat)

if phase == "network":
    network_checks()
elif phase == "session":
    session_checks(sys.argv[3])
PY

check() { # check ARGS... — run check.py, tally its PASS/FAIL lines
  local line
  while IFS= read -r line; do
    case "$line" in
      PASS\ *) pass "${line#PASS }" ;;
      FAIL\ *) fail "${line#FAIL }" ;;
      *) [ -n "$line" ] && log "  $line" ;;
    esac
  done < <(python3 "$WORK/check.py" "$WORK" "$@" 2>&1 || echo "FAIL check.py $* crashed")
}

check network
check session alpha
check session beta

if [ ! -s "$WORK/state-default.txt" ]; then
  pass "default workspace of the session stack holds no resources"
else
  fail "default workspace of the session stack holds no resources" "$(tr '\n' ' ' <"$WORK/state-default.txt")"
fi

# A second plan must not replace or add anything (moto reports a harmless
# in-place diff on vpc_security_group_ids, see terraform/README.md).
TF_WORKSPACE=alpha tf "$SES" plan -no-color -var-file="$WORK/vars/alpha.tfvars.json" >"$WORK/logs/replan-alpha.log" 2>&1
if grep -qE 'No changes\.|Plan: 0 to add, [0-9]+ to change, 0 to destroy' "$WORK/logs/replan-alpha.log"; then
  pass "alpha: re-plan adds/replaces nothing ($(grep -m1 -oE 'No changes\.|Plan: .*' "$WORK/logs/replan-alpha.log"))"
else
  fail "alpha: re-plan adds/replaces nothing" "$(grep -m1 -E 'Plan:|Error' "$WORK/logs/replan-alpha.log")"
fi

# Credits are a launch setting (ignore_changes): moto reads every instance back as
# "standard", so without it every plan would try an in-place change that moto cannot
# make; with it, a changed cpu_credits touches no running node.
if grep -q 'cpu_credits' "$WORK/logs/replan-alpha.log"; then
  fail "alpha: re-plan leaves the CPU credits alone" "$(grep -m2 'cpu_credits' "$WORK/logs/replan-alpha.log" | tr -s ' ')"
else
  pass "alpha: re-plan leaves the CPU credits alone (moto reads them back as standard)"
fi
TF_WORKSPACE=alpha tf "$SES" plan -no-color -var-file="$WORK/vars/alpha.tfvars.json" -var cpu_credits=standard \
  >"$WORK/logs/plan-credits.log" 2>&1
if grep -qE 'No changes\.|Plan: 0 to add' "$WORK/logs/plan-credits.log" && ! grep -qE 'cpu_credits|must be replaced' "$WORK/logs/plan-credits.log"; then
  pass "alpha: cpu_credits = standard changes no running node (nodes keep the mode they launched with)"
else
  fail "alpha: cpu_credits changes no running node" "$(grep -m2 -E 'cpu_credits|must be replaced|Plan:|Error' "$WORK/logs/plan-credits.log" | tr -s ' ')"
fi

# Giving beta (no end) an end adds its backstop and switches its nodes to stop on a
# shutdown from inside: in place, never a new node. Planned only: moto 5.2.1's
# ModifyInstanceAttribute ignores InstanceInitiatedShutdownBehavior (and empties the
# instance's security groups instead), so on the emulator only new nodes get "stop".
TF_WORKSPACE=beta tf "$SES" plan -no-color -var-file="$WORK/vars/beta.tfvars.json" \
  -var expires_at=2099-06-01T17:00:00Z -var 'shutdown_at=2099-06-01 19:00:00 UTC' >"$WORK/logs/plan-beta-end.log" 2>&1
if grep -qE 'Plan: 4 to add, [0-9]+ to change, 0 to destroy' "$WORK/logs/plan-beta-end.log" &&
  grep -qE 'instance_initiated_shutdown_behavior += "terminate" -> "stop"' "$WORK/logs/plan-beta-end.log" &&
  ! grep -q 'must be replaced' "$WORK/logs/plan-beta-end.log"; then
  pass "beta: an end adds the backstop (role, policy, group, schedule) and switches the node to stop, in place"
else
  fail "beta: an end adds the backstop in place" "$(grep -m3 -E 'Plan:|must be replaced|shutdown_behavior|Error' "$WORK/logs/plan-beta-end.log" | tr -s ' ')"
fi

# A moved end (labctl extend) retags the root volumes too: the provider's default
# tags reach a volume only at launch, so they are named in root_block_device. It
# moves the backstop schedules in place.
python3 - "$WORK/vars/alpha.tfvars.json" <<'PY'
import json, sys
doc = json.load(open(sys.argv[1]))
doc["expires_at"] = "2099-06-01T17:00:00Z"
doc["shutdown_at"] = "2099-06-01 19:00:00 UTC"
json.dump(doc, open(sys.argv[1], "w"), indent=2)
PY
if TF_WORKSPACE=alpha tf "$SES" apply -auto-approve -no-color -var-file="$WORK/vars/alpha.tfvars.json" \
  >"$WORK/logs/apply-moved-end.log" 2>&1; then
  if grep -q 'must be replaced' "$WORK/logs/apply-moved-end.log"; then
    fail "alpha: a moved end replaces nothing" "$(grep -m2 'must be replaced' "$WORK/logs/apply-moved-end.log")"
  else
    pass "alpha: a moved end and the backstop replace no instance"
  fi
  check session alpha
  while IFS= read -r line; do
    case "$line" in
      PASS\ *) pass "${line#PASS }" ;;
      FAIL\ *) fail "${line#FAIL }" ;;
    esac
  done < <(python3 - 2>&1 <<'PY'
import json, os, boto3
url = os.environ["AWS_ENDPOINT_URL"]
ec2 = boto3.client("ec2", endpoint_url=url)
sch = boto3.client("scheduler", endpoint_url=url)
def tags(x): return {t["Key"]: t["Value"] for t in x.get("Tags", [])}
insts = [i for r in ec2.describe_instances()["Reservations"] for i in r["Instances"]
         if tags(i).get("Session") == "alpha" and i["State"]["Name"] not in ("terminated", "shutting-down")]
want = {}
for i in insts:
    want.setdefault(tags(i)["Participant"], set()).add(i["InstanceId"])
got = {}
for s in sch.list_schedules(GroupName="labctl-k8s-training-alpha")["Schedules"]:
    d = sch.get_schedule(GroupName="labctl-k8s-training-alpha", Name=s["Name"])
    got[d["Name"]] = (d["ScheduleExpression"], d["Target"]["Arn"], set(json.loads(d["Target"]["Input"])["InstanceIds"]))
ok = sorted(got) == sorted(want) and all(
    g == ("at(2099-06-01T19:00:00)", "arn:aws:scheduler:::aws-sdk:ec2:terminateInstances", want[p]) for p, g in got.items())
print(("PASS" if ok else "FAIL") + f" alpha: one backstop schedule per cluster terminating its instances at end + grace ({len(got)})" + ("" if ok else f": {got} vs {want}"))
bad = [(i["InstanceId"], b) for i in insts
       for b in [ec2.describe_instance_attribute(InstanceId=i["InstanceId"], Attribute="instanceInitiatedShutdownBehavior")["InstanceInitiatedShutdownBehavior"]["Value"]]
       if b != "stop"]
print(("PASS" if not bad else "FAIL") + " alpha: with the backstop, a shutdown from inside stops a node" + ("" if not bad else f": {bad}"))
PY
)
else
  fail "alpha: apply with a moved end" "$(grep -m3 -A3 Error "$WORK/logs/apply-moved-end.log" | tr '\n' ' ')"
fi

# --- summary ------------------------------------------------------------------------------------

log ""
for t in "${TIMINGS[@]}"; do
  log "TIMING $t"
done
if [ "$FAILED" -gt 0 ]; then
  log "logs: $WORK/logs (set TF_SMOKE_KEEP=1 to keep them)"
fi
log "tf-smoke: $PASSED passed, $FAILED failed"
[ "$FAILED" -eq 0 ]
