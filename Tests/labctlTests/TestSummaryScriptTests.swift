import Foundation
import LabTestSupport
import XCTest

/// `scripts/test-summary.sh`: the suite's closing count line only from a complete
/// XCTest run; a run that died (the earlier `try!` crash in a fixture's setUp) fails.
final class TestSummaryScriptTests: XCTestCase {
    var dir: TemporaryDirectory!
    override func setUpWithError() throws { dir = try TemporaryDirectory("test-summary") }
    override func tearDown() { dir.remove() }

    private let header = """
        Test Suite 'All tests' started at 2026-11-30 01:00:00.000
        Test Suite 'labctlPackageTests.xctest' started at 2026-11-30 01:00:00.001
        Test Suite 'CSVTests' started at 2026-11-30 01:00:00.002
        Test Case 'CSVTests.testQuotes' started at 2026-11-30 01:00:00.003
        Test Case 'CSVTests.testQuotes' passed (0.001 seconds)
        Test Case 'CSVTests.testCommas' started at 2026-11-30 01:00:00.004
        Test Case 'CSVTests.testCommas' passed (0.001 seconds)
        Test Suite 'CSVTests' passed at 2026-11-30 01:00:00.005
        \t Executed 2 tests, with 0 failures (0 unexpected) in 0.002 (0.002) seconds

        """

    private func summarize(_ output: String, expected: Int, status: Int32) throws -> Shell.Output {
        let file = dir.file("out.txt")
        try output.write(to: file, atomically: true, encoding: .utf8)
        let script = RepositoryPaths.root.appendingPathComponent("scripts/test-summary.sh").path
        return try Shell.run("/bin/bash", [script, file.path, "\(expected)", "\(status)"])
    }

    func testCompleteRunPrintsTheCounts() throws {
        let out = header + """
            Test Suite 'labctlPackageTests.xctest' failed at 2026-11-30 01:00:01.000
            \t Executed 3 tests, with 1 failure (0 unexpected) in 0.9 (0.9) seconds
            Test Suite 'All tests' failed at 2026-11-30 01:00:01.000
            \t Executed 3 tests, with 1 failure (0 unexpected) in 0.9 (0.9) seconds

            """
        let r = try summarize(out, expected: 3, status: 1)
        XCTAssertEqual(r.stdout, "tests: 2 passed, 1 failed\n")
        XCTAssertEqual(r.status, 1)
        let green = try summarize(out.replacingOccurrences(of: "with 1 failure", with: "with 0 failures"), expected: 3, status: 0)
        XCTAssertEqual(green.stdout, "tests: 3 passed, 0 failed\n")
        XCTAssertEqual(green.status, 0)
    }

    func testSkippedTestsAreNotCountedAsPassed() throws {
        let out = header + """
            Test Suite 'All tests' passed at 2026-11-30 01:00:01.000
            \t Executed 4 tests, with 1 test skipped and 0 failures (0 unexpected) in 0.9 (0.9) seconds

            """
        let r = try summarize(out, expected: 4, status: 0)
        XCTAssertEqual(r.stdout, "tests: 3 passed, 0 failed, 1 skipped\n")
        XCTAssertEqual(r.status, 0)
    }

    /// The crash of the earlier round: a fixture's class setUp died on a `try!`.
    /// Its last "Executed 2 tests" line must not become a green count.
    func testCrashInAClassSetUpFailsAndNamesTheSuite() throws {
        let out = header + """
            Test Suite 'SSHConnectionTests' started at 2026-11-30 01:00:00.010
            LabVerifyTests/SSHConnectionTests.swift:15: Fatal error: 'try!' expression unexpectedly raised an error: sshd did not listen on 127.0.0.1:51125: Missing privilege separation directory: /run/sshd
            error: Exited with unexpected signal code 4

            """
        let r = try summarize(out, expected: 250, status: 1)
        XCTAssertFalse(r.stdout.contains("passed,"), r.stdout)
        XCTAssertNotEqual(r.status, 0)
        XCTAssertTrue(r.stderr.contains("suite SSHConnectionTests"), r.stderr)
        XCTAssertTrue(r.stderr.contains("Exited with unexpected signal code 4"), r.stderr)
    }

    func testCrashInsideATestNamesTheTest() throws {
        let out = header + """
            Test Suite 'VerifyLifecycleTests' started at 2026-11-30 01:00:00.010
            Test Case 'VerifyLifecycleTests.testRekey' started at 2026-11-30 01:00:00.011
            Fatal error: Unexpectedly found nil while unwrapping an Optional value

            """
        // Even an exit status of 0 (a wrapper that lost it) must not pass.
        let r = try summarize(out, expected: 250, status: 0)
        XCTAssertEqual(r.status, 1)
        XCTAssertTrue(r.stderr.contains("test VerifyLifecycleTests.testRekey"), r.stderr)
    }

    func testFewerTestsThanBuiltIsIncomplete() throws {
        let out = header + """
            Test Suite 'All tests' passed at 2026-11-30 01:00:01.000
            \t Executed 2 tests, with 0 failures (0 unexpected) in 0.9 (0.9) seconds

            """
        let r = try summarize(out, expected: 250, status: 0)
        XCTAssertEqual(r.status, 1)
        XCTAssertFalse(r.stdout.contains("passed,"), r.stdout)
        XCTAssertTrue(r.stderr.contains("2 of 250"), r.stderr)
    }
}
