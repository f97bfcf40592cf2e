import Foundation
import XCTest
@testable import LabCore

/// The one child-process policy, against real /bin/sh children: own process group,
/// SIGTERM → grace → SIGKILL to the group, Ctrl-C forwarded as SIGINT, ordered lines,
/// typed termination.
final class ChildProcessTests: XCTestCase {
    /// A private table: the shared one's `interrupted` flag would stop later Terraform batches.
    private let registry = ChildProcesses()

    private func shell(_ script: String, output: ChildProcess.Output = .capture,
                       error: ChildProcess.Output = .discard) throws -> ChildProcess {
        try ChildProcess("/bin/sh", ["-c", script], output: output, error: error, registry: registry)
    }

    /// The first line of stdout as a pid (the scripts print `$!` first).
    private func firstPID(_ child: ChildProcess) throws -> pid_t {
        try XCTUnwrap(child.waitForOutput(timeout: 10) { text in
            text.firstIndex(of: "\n").flatMap { pid_t(text[..<$0]) }
        }, "the child printed no pid: \(child.stdout)")
    }

    /// Gone, or a zombie waiting for PID 1: nothing that still runs.
    private func isGone(_ pid: pid_t) -> Bool {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let close = stat.lastIndex(of: ")") else { return true }
        return stat[stat.index(after: close)...].split(separator: " ").first == "Z"
    }

    func testAChildThatIgnoresSIGTERMIsKilledAfterTheGrace() throws {
        let child = try shell("trap '' TERM; echo $$; while :; do sleep 0.05; done")
        let pid = try firstPID(child)
        XCTAssertEqual(pid, child.processIdentifier)
        let started = Date()
        let end = child.stop(grace: 1)
        let took = Date().timeIntervalSince(started)
        XCTAssertEqual(end, .signalled(SIGKILL))
        XCTAssertEqual(end.status, 128 + SIGKILL)
        XCTAssertGreaterThanOrEqual(took, 1, "SIGKILL came before the grace ended")
        XCTAssertLessThan(took, 10)
        XCTAssertFalse(child.isRunning)
        XCTAssertTrue(isGone(pid))
    }

    func testAChildThatHonoursSIGTERMDoesNotWaitForTheGrace() throws {
        let child = try shell("exec sleep 100")
        let started = Date()
        XCTAssertEqual(child.stop(grace: 20), .signalled(SIGTERM))
        XCTAssertLessThan(Date().timeIntervalSince(started), 10)
        XCTAssertEqual(child.stop(grace: 20), .signalled(SIGTERM), "stop is idempotent")
    }

    /// The leader ends on SIGTERM but leaves a grandchild that ignores it: the group's SIGKILL ends it.
    func testStopEndsTheWholeProcessGroup() throws {
        let child = try shell("(trap '' TERM; exec sleep 100) & echo $!; wait")
        let grandchild = try firstPID(child)
        XCTAssertFalse(isGone(grandchild))
        XCTAssertEqual(getpgid(grandchild), child.processIdentifier, "the grandchild is in the child's own group")
        XCTAssertNotEqual(getpgid(child.processIdentifier), getpgrp(), "the child is not in labctl's group")
        child.stop(grace: 1)
        // SIGKILL is delivered asynchronously: the group's kill has been sent when stop() returns, but on a loaded
        // machine the grandchild may take a moment to exit (a fresh check saw it still there). Without the group
        // kill it would live for 100 s, so a few seconds' wait still tells the two apart.
        let deadline = Date().addingTimeInterval(5)
        while !isGone(grandchild) && Date() < deadline { usleep(20_000) }
        XCTAssertTrue(isGone(grandchild), "grandchild \(grandchild) outlived stop()")
    }

    func testOutputLinesArriveInOrderAndStderrApart() throws {
        let collected = Lines()
        let child = try shell("i=1; while [ $i -le 2000 ]; do echo line-$i; echo err-$i >&2; i=$((i+1)); done; printf last",
                              output: .lines { collected.append($0) }, error: .capture)
        XCTAssertEqual(child.waitUntilExit(), .exited(0))
        XCTAssertEqual(collected.all, (1...2000).map { "line-\($0)" } + ["last"], "every line, in order, the unterminated last one too")
        XCTAssertEqual(child.stderr.split(separator: "\n").count, 2000)
        XCTAssertTrue(child.stderr.hasPrefix("err-1\nerr-2\n"))
    }

    func testStderrCanJoinStdout() throws {
        let child = try shell("echo out; echo err >&2; echo out2", error: .sameAsStdout)
        XCTAssertEqual(child.waitUntilExit(), .exited(0))
        XCTAssertEqual(child.stdout, "out\nerr\nout2\n")
    }

    func testExitCodeAndSignalAreTyped() async throws {
        let exits = try shell("exit 7")
        let exitEnd = await exits.termination
        XCTAssertEqual(exitEnd, .exited(7))
        XCTAssertEqual(exitEnd.status, 7)
        XCTAssertFalse(exitEnd.succeeded)
        let killed = try shell("kill -USR1 $$; sleep 5")
        XCTAssertEqual(killed.waitUntilExit(), .signalled(SIGUSR1))
        XCTAssertEqual(killed.currentTermination?.status, 128 + SIGUSR1)
    }

    func testInputDataAndPipe() throws {
        let fed = try ChildProcess("cat", input: .data(Data("hello\nworld\n".utf8)), output: .capture, registry: registry)
        XCTAssertEqual(fed.waitUntilExit(), .exited(0))
        XCTAssertEqual(fed.stdout, "hello\nworld\n")
        let piped = try ChildProcess("cat", input: .pipe, output: .capture, registry: registry)
        piped.write(Data("ping\n".utf8))
        XCTAssertEqual(piped.waitForOutput(timeout: 10) { $0.contains("ping\n") ? true : nil }, true)
        XCTAssertTrue(piped.isRunning, "cat waits for more input")
        piped.closeInput()
        XCTAssertEqual(piped.waitUntilExit(), .exited(0))
    }

    func testDirectoryAndEnvironmentAreTheChildsOwn() throws {
        let dir = FileManager.default.temporaryDirectory.resolvingSymlinksInPath()
        let child = try ChildProcess("/bin/sh", ["-c", "pwd; echo \"$ONLY_HERE\""], environment: ["ONLY_HERE": "yes", "PATH": "/usr/bin:/bin"],
                                     directory: dir, output: .capture, registry: registry)
        XCTAssertEqual(child.waitUntilExit(), .exited(0))
        XCTAssertEqual(child.stdout, "\(dir.path)\nyes\n")
        XCTAssertNotEqual(FileManager.default.currentDirectoryPath, dir.path)
    }

    func testWaitForOutputGivesUpWhenTheChildEnds() throws {
        let child = try shell("echo nothing-useful")
        let started = Date()
        XCTAssertNil(child.waitForOutput(timeout: 30) { $0.contains("listening") ? true : nil })
        XCTAssertLessThan(Date().timeIntervalSince(started), 10)
    }

    func testAMissingProgramIsNamedWithTheNextStep() {
        XCTAssertThrowsError(try ChildProcess("labctl-no-such-tool", registry: registry)) { error in
            let text = String(describing: error)
            XCTAssertTrue(text.contains("labctl-no-such-tool") && text.contains("PATH"), text)
        }
    }

    /// Forwarding sends SIGINT to each child's group once; children started afterwards get it too.
    func testInterruptAllReachesEveryGroup() throws {
        let script = "trap 'echo got-INT; exit 42' INT; echo $$; while :; do sleep 0.05; done"
        let first = try shell(script), second = try shell(script)
        _ = try firstPID(first); _ = try firstPID(second)
        XCTAssertEqual(registry.count, 2)
        registry.interruptAll()
        for child in [first, second] {
            XCTAssertEqual(child.waitUntilExit(), .exited(42))
            XCTAssertTrue(child.stdout.contains("got-INT"))
        }
        XCTAssertTrue(registry.interrupted)
        XCTAssertFalse(ChildProcesses.shared.interrupted, "a private table leaves the shared flag alone")
        XCTAssertEqual(registry.count, 0, "ended children leave the table")
        let late = try shell("sleep 100")
        XCTAssertEqual(late.waitUntilExit(), .signalled(SIGINT), "started after the interrupt: it gets SIGINT at once")
    }

    /// Ctrl-C to this process itself: not fatal here, passed to the children, which stop.
    func testSIGINTToTheParentIsForwardedToTheChildren() throws {
        let announced = Lines()
        registry.forwardInterrupts { announced.append("interrupted \($0)") }
        defer { registry.stopForwardingInterrupts() }
        let child = try shell("trap 'exit 42' INT; echo $$; while :; do sleep 0.05; done")
        defer { child.stop(grace: 1) }
        _ = try firstPID(child)
        kill(getpid(), SIGINT)
        let deadline = Date().addingTimeInterval(20)
        while child.isRunning && Date() < deadline { usleep(20_000) }
        XCTAssertEqual(child.currentTermination, .exited(42), "the child did not get the forwarded SIGINT")
        XCTAssertEqual(announced.all, ["interrupted \(SIGINT)"])
    }

    /// A dropped SSH session (SIGHUP) and then a service manager's stop (SIGTERM): neither
    /// kills this process, the children get one SIGINT between them (a second would make
    /// Terraform abandon its state lock).
    func testHangUpAndTerminateAreForwardedOnceAsInterrupt() throws {
        let announced = Lines()
        registry.forwardInterrupts { announced.append("signal \($0)") }
        defer { registry.stopForwardingInterrupts() }
        let child = try shell("n=0; trap 'n=$((n+1)); echo int $n' INT; echo $$; while :; do sleep 0.05; done")
        defer { child.stop(grace: 1) }
        _ = try firstPID(child)
        kill(getpid(), SIGHUP)
        XCTAssertNotNil(child.waitForOutput(timeout: 20) { $0.contains("int 1") ? true : nil }, "SIGHUP was not forwarded")
        kill(getpid(), SIGTERM)
        usleep(500_000)
        XCTAssertTrue(child.isRunning)
        XCTAssertFalse(child.stdout.contains("int 2"), "SIGTERM after SIGHUP forwarded a second interrupt: \(child.stdout)")
        XCTAssertEqual(announced.all, ["signal \(SIGHUP)"])
        XCTAssertTrue(registry.interrupted)
    }
}

// @unchecked Sendable: `lines` is only touched under `lock`.
private final class Lines: @unchecked Sendable {
    private let lock = NSLock()
    private var lines: [String] = []
    func append(_ line: String) { lock.lock(); lines.append(line); lock.unlock() }
    var all: [String] { lock.lock(); defer { lock.unlock() }; return lines }
}
