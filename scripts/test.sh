#!/usr/bin/env bash
# The whole test suite: installs what it needs, then, side by side, (a) checks the
# Terraform code (fmt, validate, applies against moto) and fuzzes the key parser for a
# bounded time, and (b) builds once and runs every XCTest in two lanes
# (scripts/test-lanes.sh). Most of both waits on Terraform and the emulator, not on a core.
# (a)'s output is printed, whole, when it ends; it fails the run like any test.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
. scripts/tf-mirror.sh
mkdir -p .build
checks_log=.build/terraform-checks.log
started=$SECONDS
(
  set -e
  echo "== terraform fmt and validate"; scripts/tf-check.sh
  echo "== terraform against the AWS emulator (scripts/tf-smoke.sh)"; scripts/tf-smoke.sh
  echo "== fuzz: key parser and tfvars reader (${LABCTL_FUZZ_SECONDS:-60} s)"; scripts/fuzz.sh "${LABCTL_FUZZ_SECONDS:-60}"
) >"$checks_log" 2>&1 &
checks=$!
trap 'kill "$checks" 2>/dev/null || true' EXIT
echo "== terraform checks and fuzzing started in the background (log: $checks_log)"
echo "== the manifest matches the code (scripts/import-check.py)"
swift package dump-package | python3 scripts/import-check.py
echo "== swift build"
swift build --build-tests
echo "== swift test (scripts/test-lanes.sh: suites in ${LABCTL_TEST_LANES:-2} lanes side by side)"
# XCTest only (no Swift Testing suites here). Each lane's complete summary is judged by
# scripts/test-summary.sh; the closing "tests: N passed, N failed" line sums the lanes.
set +e
scripts/test-lanes.sh >.build/test-lanes.out 2>&1 &
lanes=$!
tail -n +1 -F --pid=$lanes .build/test-lanes.out 2>/dev/null | grep --line-buffered -v -E '^\[[0-9]+\] (Test Case .* (started|passed)|\s*$)' | grep --line-buffered -v "^\[[0-9]\+\] Test Suite .* started" &
follower=$!
wait "$lanes"; tests_status=$?
wait "$follower"
wait "$checks"; checks_status=$?
trap - EXIT
set -e
echo "== terraform checks and fuzzing (exit $checks_status):"
sed 's/^/    /' "$checks_log"
echo "== done in $(( (SECONDS - started) / 60 )) min $(( (SECONDS - started) % 60 )) s"
tail -n 1 .build/test-lanes.out
[ "$checks_status" -eq 0 ] || { echo "the Terraform checks or the fuzzer failed: see their output above" >&2; exit 1; }
exit "$tests_status"
