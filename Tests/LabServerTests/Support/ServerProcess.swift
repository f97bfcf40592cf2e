import Foundation
import LabCore
import LabTestSupport

/// The built `labctl serve` as a child process on a free loopback port
/// (`--port 0`; the port is read from its first stdout line). Stopped by
/// `terminate()` or `kill9()`; `deinit` kills it if a test forgot, so no
/// server outlives its test.
final class ServerProcess: Sendable {
    let process: ChildProcess
    let port: Int

    /// Starts `labctl serve --port 0` in `lab` and waits (up to `timeout`) until it
    /// prints where it listens.
    init(lab: URL, arguments: [String] = [], environment: [String: String] = [:], timeout: TimeInterval = 60) throws {
        var env = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("LABCTL_") }
        env["NO_COLOR"] = "1"
        for (k, v) in environment { env[k] = v }
        process = try ChildProcess(LabctlBinary.path, ["serve", "--port", "0"] + arguments, environment: env,
                                   directory: lab, output: .capture, error: .capture, registry: nil)
        let found = process.waitForOutput(timeout: timeout) { text -> Int? in
            guard let match = text.range(of: #"serving on https?://127\.0\.0\.1:(\d+)"#, options: .regularExpression) else { return nil }
            return Int(text[match].split(separator: ":").last!)
        }
        guard let found else {
            process.stop()
            throw TestSupportError("labctl serve did not start: \(process.stdout) \(process.stderr)")
        }
        port = found
    }

    var stdout: String { process.stdout }
    var stderr: String { process.stderr }
    var baseURL: String { "http://127.0.0.1:\(port)" }

    /// SIGTERM, then waits for the exit; returns the exit status (nil: did not exit in time, then killed).
    @discardableResult
    func terminate(timeout: TimeInterval = 30) -> Int32? {
        if let done = process.currentTermination { return done.status }
        process.signalGroup(SIGTERM)
        if let done = process.waitUntilExit(timeout: timeout) { return done.status }
        process.signalGroup(SIGKILL)
        process.waitUntilExit()
        return nil
    }

    /// SIGKILL: no chance to clean up.
    func kill9() {
        process.signalGroup(SIGKILL)
        process.waitUntilExit()
    }

    deinit { if process.isRunning { kill9() } }
}
