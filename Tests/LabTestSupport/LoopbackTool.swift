import Foundation
import LabCore

/// A Python stand-in from `Tests/tools/` that binds a free loopback port and says
/// `listening PORT` (the Service Quotas stub, the throttling proxy). Its stderr
/// goes to `log`; `stop()` ends it (tests call it in tearDown).
public final class LoopbackTool: Sendable {
    public let port: Int
    public let log: URL
    private let process: ChildProcess

    public var endpoint: String { "http://127.0.0.1:\(port)" }

    public init(_ script: String, _ arguments: [String], log: URL) throws {
        self.log = log
        FileManager.default.createFile(atPath: log.path, contents: nil)
        let python = Python.executable.hasPrefix("/") ? Python.executable : "python3"
        process = try ChildProcess(python, [RepositoryPaths.tool(script).path] + arguments,
                                   output: .capture, error: .file(log, append: true), registry: nil)
        // The first line is "listening PORT"; nothing else is written to stdout.
        let said = process.waitForOutput(timeout: 60) { text in text.firstIndex(of: "\n").map { String(text[..<$0]) } }
        let words = (said ?? "").split(separator: " ")
        guard words.count == 2, words[0] == "listening", let p = Int(words[1]) else {
            process.stop()
            throw TestSupportError("\(script) did not start: \(process.stdout) \((try? String(contentsOf: log, encoding: .utf8)) ?? "")")
        }
        port = p
    }

    /// The lines the tool logged so far.
    public var logLines: [String] {
        ((try? String(contentsOf: log, encoding: .utf8)) ?? "").split(separator: "\n").map(String.init)
    }

    public func stop() { process.stop() }

    deinit { stop() }
}
