#!/usr/bin/env bash
# Rehearses a new machine: clones the committed HEAD into a temporary folder, removes
# what this machine has that a new one would not, then runs the README's two commands
# from that clone exactly as written, and reports each one's exit code and wall time.
#   scripts/fresh-check.sh            # both commands
#   scripts/fresh-check.sh --demo     # only scripts/demo.sh (quicker)
#   scripts/fresh-check.sh --keep     # keep the clone and logs afterwards
# Exit 0 only when every command run exited 0. Logs: <work>/demo.log, <work>/test.log.
# Uncommitted changes are not in the clone: commit first.
set -uo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
keep=0 commands=("scripts/demo.sh" "scripts/test.sh")
for arg in "$@"; do
  case "$arg" in
    --keep) keep=1 ;;
    --demo) commands=("scripts/demo.sh") ;;
    -h|--help) sed -n '2,9p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "fresh-check: unknown argument $arg (see --help)" >&2; exit 2 ;;
  esac
done

work=$(mktemp -d "${TMPDIR:-/tmp}/labctl-fresh-check.XXXXXX")
cleanup() {
  # Whatever the commands left running from the clone (a failed demo's sshd or moto).
  pkill -f "$work/" 2>/dev/null
  if [ "$keep" -eq 1 ]; then echo "fresh-check: kept $work"; else rm -rf "$work"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# The commit checked, named again in the summary (HEAD may move while the check runs).
checked=$(git -C "$repo" rev-parse --short HEAD)
echo "fresh-check: cloning $checked ($(git -C "$repo" log -1 --format=%s | cut -c1-60)) into $work/labctl"
[ -n "$(git -C "$repo" status --porcelain --untracked-files=no)" ] && echo "fresh-check: note: uncommitted changes in $repo are not checked"
git clone --quiet --no-hardlinks "$repo" "$work/labctl" || { echo "fresh-check: git clone failed" >&2; exit 2; }

# State a new machine does not have. A clone has no .build/.labctl/Terraform state of
# its own; /run/sshd is created by hand or by an earlier round, never by Debian's
# package without systemd. Temporary files (labs, test folders) go to a TMPDIR of this run.
if [ -d /run/sshd ]; then
  if pgrep -x sshd >/dev/null; then
    echo "fresh-check: an sshd is running and may use /run/sshd; left in place (stop it for a stricter check)"
  else
    rm -rf /run/sshd && echo "fresh-check: removed /run/sshd"
  fi
fi
mkdir -p "$work/tmp"

# The clone's own environment: nothing of this shell's labctl settings leaks in.
unset_labctl=()
for v in $(env | sed -n 's/^\(LABCTL_[A-Z_]*\)=.*/\1/p'); do unset_labctl+=(-u "$v"); done

declare -A code seconds
for cmd in "${commands[@]}"; do
  name=$(basename "$cmd" .sh)
  echo "fresh-check: running $cmd (log: $work/$name.log) …"
  start=$(date +%s)
  (cd "$work/labctl" && env "${unset_labctl[@]}" TMPDIR="$work/tmp" "$cmd" </dev/null >"$work/$name.log" 2>&1)
  code[$cmd]=$?
  seconds[$cmd]=$(( $(date +%s) - start ))
  tail -n 4 "$work/$name.log" | sed 's/^/    /'
done

echo
echo "fresh-check: $checked on $(hostname), $(nproc) cores"
failed=0
for cmd in "${commands[@]}"; do
  s=${seconds[$cmd]}
  printf '  %-16s exit %-3s %dm %02ds\n' "$cmd" "${code[$cmd]}" $((s / 60)) $((s % 60))
  [ "${code[$cmd]}" -eq 0 ] || failed=1
done
if [ "$failed" -ne 0 ]; then keep=1; echo "fresh-check: FAILED (logs kept in $work)"; exit 1; fi
echo "fresh-check: green on a fresh clone: ${commands[*]}"
