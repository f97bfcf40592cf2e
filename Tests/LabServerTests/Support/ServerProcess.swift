import Foundation
import LabTestSupport

/// The built `labctl serve` as a child process on a free loopback port
/// (`--port 0`; the port is read from its first stdout line). Stopped by
/// `terminate()` or `kill9()`; `deinit` kills it if a test forgot, so no
/// server outlives its test.
// @unchecked Sendable: output buffers are guarded by a lock; the process handle is immutable.
final class ServerProcess: @unchecked Sendable {
    let process = Process()
    private(set) var port = 0
    private let output = NSCondition()
    private var stdoutText = ""
    private var stderrText = ""
    private let exited = DispatchSemaphore(value: 0)

    /// Starts `labctl serve --port 0` in `lab` and waits (polling its output, up to
    /// `timeout`) until it prints where it listens.
    init(lab: URL, arguments: [String] = [], environment: [String: String] = [:], timeout: TimeInterval = 60) throws {
        var env = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("LABCTL_") }
        env["NO_COLOR"] = "1"
        for (k, v) in environment { env[k] = v }
        process.executableURL = URL(fileURLWithPath: LabctlBinary.path)
        process.arguments = ["serve", "--port", "0"] + arguments
        process.environment = env
        process.currentDirectoryURL = lab
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        process.terminationHandler = { [exited] _ in exited.signal() }
        try process.run()
        read(out.fileHandleForReading) { self.stdoutText += $0 }
        read(err.fileHandleForReading) { self.stderrText += $0 }
        let deadline = Date().addingTimeInterval(timeout)
        output.lock()
        defer { output.unlock() }
        while port == 0 {
            if let match = stdoutText.range(of: #"serving on http://127\.0\.0\.1:(\d+)"#, options: .regularExpression) {
                port = Int(stdoutText[match].split(separator: ":").last!)!
                break
            }
            guard process.isRunning, output.wait(until: deadline) else {
                throw TestSupportError("labctl serve did not start: \(stdoutText) \(stderrText)")
            }
        }
    }

    private func read(_ handle: FileHandle, _ append: @escaping @Sendable (String) -> Void) {
        Thread { [output] in
            while true {
                let data = handle.availableData
                output.lock()
                if !data.isEmpty { append(String(decoding: data, as: UTF8.self)) }
                output.broadcast()
                output.unlock()
                if data.isEmpty { return }
            }
        }.start()
    }

    var stdout: String { output.lock(); defer { output.unlock() }; return stdoutText }
    var stderr: String { output.lock(); defer { output.unlock() }; return stderrText }
    var baseURL: String { "http://127.0.0.1:\(port)" }

    /// SIGTERM, then waits for the exit; returns the exit status (nil: did not exit in time, then killed).
    @discardableResult
    func terminate(timeout: TimeInterval = 30) -> Int32? {
        guard process.isRunning else { return process.terminationStatus }
        kill(process.processIdentifier, SIGTERM)
        return waitForExit(timeout: timeout)
    }

    /// SIGKILL: no chance to clean up.
    func kill9() {
        guard process.isRunning else { return }
        kill(process.processIdentifier, SIGKILL)
        _ = waitForExit(timeout: 30)
    }

    private func waitForExit(timeout: TimeInterval) -> Int32? {
        if exited.wait(timeout: .now() + timeout) == .timedOut {
            kill(process.processIdentifier, SIGKILL)
            exited.wait()
            return nil
        }
        exited.signal()
        return process.terminationStatus
    }

    deinit {
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
    }
}
