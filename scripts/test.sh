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
# The tests built, to tell a complete run from one that died part-way.
expected=$(swift test list --skip-build 2>/dev/null | grep -c . || true)
# XCTest only (no Swift Testing suites here); scripts/test-summary.sh prints the
# closing "tests: N passed, N failed" line only from XCTest's complete summary.
set +e
swift test --skip-build --disable-swift-testing 2>&1 | tee .build/test-output.txt
status=${PIPESTATUS[0]}
set -e
exec scripts/test-summary.sh .build/test-output.txt "${expected:-0}" "$status"
