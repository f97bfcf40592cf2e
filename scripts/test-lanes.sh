#!/usr/bin/env bash
# Runs the built XCTest suites in lanes side by side: most suites wait on Terraform, moto,
# sshd or sockets rather than on a core, so two lanes on two cores take about half the time.
# Suites are dealt longest first to the shortest lane, by scripts/test-durations.txt
# (an unknown suite counts 10 s). Each lane runs the test binary itself (`swift test`
# holds a lock on .build, so two of them would run one after the other) with its list
# of suites; its output goes to .build/test-output-<lane>.txt and, prefixed, to stdout.
#   scripts/test-lanes.sh [LANES]                  (default $LABCTL_TEST_LANES or 2)
#   scripts/test-lanes.sh --durations OUTPUT...    rewrite test-durations.txt from outputs
#   LABCTL_TEST_ONLY=REGEX scripts/test-lanes.sh   only the tests whose Module.Suite/test matches
# Ends with one "tests: P passed, F failed" line over all lanes, only when every lane
# completed (scripts/test-summary.sh judges each); exits non-zero otherwise.
set -uo pipefail
cd "$(dirname "$0")/.."
durations=scripts/test-durations.txt

suite_times() { # OUTPUT... -> "Suite seconds" lines from XCTest's output
  python3 - "$@" <<'PY'
import re, sys
for path in sys.argv[1:]:
    suite = None
    for line in open(path, errors="replace"):
        line = re.sub(r"^\[\d+\] ", "", line)
        m = re.match(r"Test Suite '([^']+)' started", line)
        if m: suite = m.group(1); continue
        m = re.search(r"Executed \d+ tests?, with .* in ([0-9.]+) \(", line)
        if m and suite:
            if suite not in ("All tests", "Selected tests") and not suite.endswith(".xctest"):
                print(f"{suite} {float(m.group(1)):.1f}")
            suite = None
PY
}

if [ "${1:-}" = "--durations" ]; then
  shift
  { sed -n '/^#/p' "$durations"; suite_times "$@" | sort -k2 -rn; } >"$durations.new" && mv "$durations.new" "$durations"
  echo "wrote $durations ($(grep -vc '^#' "$durations") suites)"
  exit 0
fi

lanes=${1:-${LABCTL_TEST_LANES:-2}}
bin=$(swift build --show-bin-path)/labctlPackageTests.xctest
[ -x "$bin" ] || { echo "test-lanes: $bin is missing: run 'swift build --build-tests' first" >&2; exit 2; }
listing=.build/test-list.txt
swift test list --skip-build 2>/dev/null | grep -E "${LABCTL_TEST_ONLY:-.}" >"$listing" || { echo "test-lanes: 'swift test list' failed or matched nothing" >&2; exit 2; }

# One line per lane: "<expected test count> <comma-separated suites>".
plan=$(python3 - "$listing" "$durations" "$lanes" <<'PY'
import sys
listing, durations, lanes = sys.argv[1], sys.argv[2], int(sys.argv[3])
tests = {}
for line in open(listing):
    line = line.strip()
    if "/" in line:
        suite = line.split("/", 1)[0]          # Module.Suite
        tests[suite] = tests.get(suite, 0) + 1
seconds = {}
for line in open(durations):
    if line.strip() and not line.startswith("#"):
        name, value = line.split()
        seconds[name] = float(value)
lane_time = [0.0] * lanes; lane_suites = [[] for _ in range(lanes)]
for suite in sorted(tests, key=lambda s: -seconds.get(s.split(".", 1)[1], 10.0)):
    i = lane_time.index(min(lane_time))
    lane_time[i] += seconds.get(suite.split(".", 1)[1], 10.0)
    lane_suites[i].append(suite)
for i in range(lanes):
    if lane_suites[i]:
        print(sum(tests[s] for s in lane_suites[i]), ",".join(lane_suites[i]))
PY
) || { echo "test-lanes: could not plan the lanes" >&2; exit 2; }

rm -f .build/test-output-*.txt .build/test-status-* .build/test-expected-*
pids=(); lane=0
while read -r expected suites; do
  lane=$((lane + 1))
  echo "== lane $lane: $expected tests in $(tr ',' '\n' <<<"$suites" | grep -c .) suites"
  echo "$expected" >".build/test-expected-$lane"
  ( "$bin" "$suites" >".build/test-output-$lane.txt" 2>&1; echo $? >".build/test-status-$lane" ) &
  pids+=($!)
  # Follow the lane's output live, prefixed with its number.
  ( tail -n +1 -F --pid=$! ".build/test-output-$lane.txt" 2>/dev/null | sed -u "s/^/[$lane] /" ) &
done <<<"$plan"
trap 'kill "${pids[@]}" 2>/dev/null' INT TERM
wait

passed=0; failed=0; complete=1; ok=1
for i in $(seq 1 "$lane"); do
  line=$(scripts/test-summary.sh ".build/test-output-$i.txt" "$(cat ".build/test-expected-$i")" "$(cat ".build/test-status-$i" 2>/dev/null || echo 1)" 2>&1)
  [ $? -eq 0 ] || ok=0
  echo "lane $i: $line"
  if [[ "$line" =~ ^tests:\ ([0-9]+)\ passed,\ ([0-9]+)\ failed ]]; then
    passed=$((passed + BASH_REMATCH[1])); failed=$((failed + BASH_REMATCH[2]))
  else
    complete=0
  fi
done
grep -h -E "^Test Case .* failed|: error: " .build/test-output-*.txt | head -n 40
if [ "$complete" -eq 1 ] && [ "$lane" -gt 0 ]; then
  echo "tests: $passed passed, $failed failed"
else
  echo "tests: INCOMPLETE: a lane did not finish (see its lines above)" >&2
  ok=0
fi
[ "$ok" -eq 1 ] && [ "$failed" -eq 0 ]
