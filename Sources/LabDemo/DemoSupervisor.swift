import Foundation
import LabCore

/// Runs the demo's steps as real `labctl` child processes against the demo's lab,
/// keeps the log of each, and owns every process the demo starts so that all of
/// them stop on success, failure and Ctrl-C.
// @unchecked Sendable: its mutable state (steps, cleanups) is guarded by `lock`; the Ctrl-C watcher thread calls `cleanUp()`.
final class DemoSupervisor: @unchecked Sendable {
    struct StepFailure: Error {
        var step: String
        var status: Int32
        var log: URL
    }

    /// capture: stdout returned, both kept in the step's log; stdoutOnly: stdout
    /// returned, stderr (live progress) shown; passThrough: both shown.
    enum Output { case capture, stdoutOnly, passThrough }

    let labctl: String
    let logDirectory: URL
    var environment: [String: String]
    private var stepNumber = 0
    private let lock = NSLock()
    private var cleanups: [(String, () -> Void)] = []
    private var cleanedUp = false
    private var currentStep: ChildProcess?

    init(logDirectory: URL, environment: [String: String]) throws {
        // The running binary itself: the demo exercises the same labctl the user has.
        labctl = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        self.logDirectory = logDirectory
        self.environment = environment
        try FileManager.default.createDirectory(at: logDirectory, withIntermediateDirectories: true)
    }

    /// Runs `labctl <arguments>`; returns its stdout (captured mode) or "" (passed through).
    /// Its stdout and stderr are kept in `<logs>/NN-<step>.log`.
    @discardableResult
    func labctl(_ step: String, _ arguments: [String], output: Output = .capture) throws -> String {
        stepNumber += 1
        let log = logDirectory.appendingPathComponent(String(format: "%02d-%@.log", stepNumber, step))
        FileManager.default.createFile(atPath: log.path, contents: nil)
        let child = try ChildProcess(labctl, arguments, environment: environment,
                                     output: output == .passThrough ? .inherit : .capture,
                                     error: output == .capture ? .file(log, append: true) : .inherit)
        setCurrentStep(child)
        let end = child.waitUntilExit()
        setCurrentStep(nil)
        let stdout = output != .passThrough ? child.stdout : ""
        if output != .passThrough, let handle = try? FileHandle(forWritingTo: log) {
            // One log per step: stderr first, then what it printed.
            handle.seekToEndOfFile()
            handle.write(Data(stdout.utf8))
            try? handle.close()
        }
        guard end.succeeded else {
            throw StepFailure(step: "labctl " + arguments.joined(separator: " "), status: end.status, log: log)
        }
        return stdout
    }

    private func setCurrentStep(_ child: ChildProcess?) { lock.lock(); currentStep = child; lock.unlock() }

    /// Starts `labctl <arguments>` in the background (the intake service); its output goes to `<logs>/<name>.log`.
    func background(_ name: String, _ arguments: [String], extraEnvironment: [String: String] = [:]) throws -> ChildProcess {
        let log = logDirectory.appendingPathComponent("\(name).log")
        FileManager.default.createFile(atPath: log.path, contents: nil)
        return try ChildProcess(labctl, arguments, environment: environment.merging(extraEnvironment) { _, b in b },
                                output: .file(log, append: true), error: .sameAsStdout, registry: nil)
    }

    /// Registers something to stop; cleanups run once, newest first.
    func onCleanup(_ what: String, _ action: @escaping () -> Void) {
        lock.lock(); defer { lock.unlock() }
        cleanups.append((what, action))
    }

    func cleanUp() {
        lock.lock()
        guard !cleanedUp else { lock.unlock(); return }
        cleanedUp = true
        let actions = cleanups.reversed()
        lock.unlock()
        for (_, action) in actions { action() }
    }

    /// Ctrl-C or SIGTERM: stop everything the demo started, then exit 130/143.
    /// A handler (not SIG_IGN) so that children get the default disposition back
    /// at exec; it only writes the signal number to a pipe a watcher thread reads.
    func stopOnSignals(message: @escaping @Sendable () -> String) {
        var fds: [Int32] = [0, 0]
        guard pipe(&fds) == 0 else { return }
        DemoSignalPipe.writeEnd = fds[1]
        let readEnd = fds[0]
        for sig in [SIGINT, SIGTERM] {
            signal(sig) { number in
                var byte = UInt8(truncatingIfNeeded: number)
                _ = write(DemoSignalPipe.writeEnd, &byte, 1)
            }
        }
        let watcher = Thread { [self] in
            var byte: UInt8 = 0
            guard read(readEnd, &byte, 1) == 1 else { return }
            FileHandle.standardError.write(Data("\n\(message())\n".utf8))
            // The running step has its own process group, so the terminal's Ctrl-C did not
            // reach it: pass it on (a `labctl apply` forwards it to Terraform), give it time
            // to release its locks, then stop what the demo started.
            lock.lock(); let step = currentStep; lock.unlock()
            if let step {
                step.signalGroup(SIGINT)
                let deadline = Date().addingTimeInterval(120)
                while step.isRunning && Date() < deadline { usleep(50_000) }
                step.stop()
            }
            cleanUp()
            exit(128 + Int32(byte))
        }
        watcher.start()
    }
}

/// The write end of the demo's signal pipe, readable from a C signal handler.
enum DemoSignalPipe {
    nonisolated(unsafe) static var writeEnd: Int32 = -1
}
