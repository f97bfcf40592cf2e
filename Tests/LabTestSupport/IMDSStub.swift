import Foundation
import LabCore

/// A stand-in for the EC2 instance metadata service (IMDSv2 token and instance tags):
/// `Tests/tools/imds-stub.py` on a free 127.0.0.1 port. Started by the test, stopped by
/// `stop()`; nothing outlives the test.
public final class IMDSStub {
    public let port: Int
    public let directory: TemporaryDirectory
    private let process: ChildProcess
    private var stopped = false

    /// Starts the stub with these instance tags and returns once it listens.
    public init(tags: [String: String]) throws {
        directory = try TemporaryDirectory("imds-stub")
        process = try ChildProcess(Python.executable, [RepositoryPaths.tool("imds-stub.py").path, directory.path],
                                   input: .pipe, output: .capture, error: .inherit, registry: nil)
        let said = process.waitForOutput(timeout: 60) { text in text.firstIndex(of: "\n").map { String(text[..<$0]) } } ?? process.stdout
        guard said.hasPrefix("READY "), let port = Int(said.dropFirst(6)) else {
            process.stop()
            directory.remove()
            throw TestSupportError("imds-stub.py did not start (said '\(said)')")
        }
        self.port = port
        try setTags(tags)
    }

    /// What the script's `LABCTL_IMDS_BASE` points at.
    public var base: String { "http://127.0.0.1:\(port)" }

    /// Replaces the instance's tags (read by the stub at every request); a missing key answers 404.
    public func setTags(_ tags: [String: String]) throws {
        let data = try JSONSerialization.data(withJSONObject: tags)
        try AtomicFile.write(data, to: directory.file("tags.json"), permissions: 0o644)
    }

    /// "<method> <path> <status>" per request, in order.
    public func requests() -> [String] {
        ((try? String(contentsOf: directory.file("requests.log"), encoding: .utf8)) ?? "").split(separator: "\n").map(String.init)
    }

    /// Closes the stub's stdin (it exits) and waits for it: its port then refuses connections.
    /// The folder (and its request log) stays until `remove()`.
    public func stop() {
        guard !stopped else { return }
        stopped = true
        process.closeInput()
        process.waitUntilExit()
    }

    public func remove() {
        stop()
        directory.remove()
    }

    deinit { process.stop() }
}
