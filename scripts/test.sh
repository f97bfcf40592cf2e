#!/usr/bin/env bash
# The whole test suite: installs what it needs, checks the Terraform code,
# fuzzes the key parser for a bounded time, then builds once and runs every test.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
. scripts/tf-mirror.sh
echo "== terraform fmt and validate"
scripts/tf-check.sh
echo "== terraform against the AWS emulator (scripts/tf-smoke.sh)"
scripts/tf-smoke.sh
echo "== fuzz: key parser and tfvars reader (${LABCTL_FUZZ_SECONDS:-60} s)"
scripts/fuzz.sh "${LABCTL_FUZZ_SECONDS:-60}"
echo "== swift build"
swift build --build-tests
echo "== swift test"
# XCTest only (no Swift Testing suites here), and a plain closing line with the counts.
set +e
swift test --skip-build --disable-swift-testing 2>&1 | tee .build/test-output.txt
status=${PIPESTATUS[0]}
set -e
summary=$(grep -E "^[[:space:]]*Executed [0-9]+ tests?, with [0-9]+ failures?" .build/test-output.txt | tail -n 1)
total=$(echo "$summary" | sed -E 's/.*Executed ([0-9]+) tests?.*/\1/')
failed=$(echo "$summary" | sed -E 's/.*with ([0-9]+) failures?.*/\1/')
total=${total:-0}; failed=${failed:-0}
echo "tests: $((total - failed)) passed, $failed failed"
exit "$status"
