#!/usr/bin/env bash
# Reads XCTest's output and prints the suite's closing line, only when it is true.
#   scripts/test-summary.sh OUTPUT_FILE EXPECTED_TESTS EXIT_STATUS
# A complete run ends with "Test Suite 'All tests' passed|failed" and its
# "Executed N tests" line; then this prints "tests: P passed, F failed" and exits
# with the run's status (1 when it was 0 but tests failed). A run that died (a
# signal, a crash in a fixture, no summary, fewer tests executed than were built)
# gets no count line: it prints what happened and the test that was running, and
# exits non-zero, so CI cannot mistake a crash for a short green run.
set -uo pipefail
output=$1 expected=$2 status=$3

# The "All tests" suite's closing line ("Selected tests" when given a list of suites) and the Executed line right after it.
summary=$(awk '/^Test Suite .(All|Selected) tests. (passed|failed)/ { getline; print; exit }' "$output")
if [ -n "$summary" ]; then
  total=$(sed -E 's/.*Executed ([0-9]+) tests?.*/\1/' <<<"$summary")
  failed=$(sed -E 's/.* ([0-9]+) failures?.*/\1/' <<<"$summary")
  skipped=$(grep -oE '[0-9]+ tests? skipped' <<<"$summary" | grep -oE '^[0-9]+' || echo 0)
  if [ "$total" -ge "$expected" ] && ! grep -qE 'Exited with (unexpected )?signal' "$output"; then
    line="tests: $((total - failed - skipped)) passed, $failed failed"
    [ "$skipped" -gt 0 ] && line="$line, $skipped skipped"
    echo "$line"
    if [ "$status" -eq 0 ] && [ "$failed" -gt 0 ]; then exit 1; fi
    exit "$status"
  fi
  echo "tests: INCOMPLETE: $total of $expected built tests executed (exit status $status)" >&2
else
  echo "tests: INCOMPLETE: the test process ended without XCTest's summary (exit status $status)" >&2
fi
# What was running when it stopped: the last test case (or suite) started and never finished.
running=$(awk '
  /^Test Case .* started/ { c = $0; sub(/^Test Case .?/, "", c); sub(/.? started.*/, "", c); open = c }
  /^Test Case .* (passed|failed|skipped)/ { open = "" }
  /^Test Suite .* started/ { s = $0; sub(/^Test Suite .?/, "", s); sub(/.? started.*/, "", s); suite = s }
  END { if (open != "") print "test " open; else if (suite != "") print "suite " suite " (in its class setUp or tearDown)" }
' "$output")
grep -E 'Exited with (unexpected )?signal|Fatal error|Crash|Segmentation fault' "$output" | tail -n 3 >&2
echo "tests: the test process died while running ${running:-an unknown test}; see the output above" >&2
[ "$status" -ne 0 ] && exit "$status"
exit 1
