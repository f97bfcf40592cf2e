import Foundation

/// A Python stand-in from `Tests/tools/` that binds a free loopback port and says
/// `listening PORT` (the Service Quotas stub, the throttling proxy). Its stderr
/// goes to `log`; `stop()` ends it (tests call it in tearDown).
// @unchecked Sendable: immutable after init; Foundation's `Process` is thread-safe for terminate/wait.
public final class LoopbackTool: @unchecked Sendable {
    public let port: Int
    public let log: URL
    private let process: Process

    public var endpoint: String { "http://127.0.0.1:\(port)" }

    public init(_ script: String, _ arguments: [String], log: URL) throws {
        self.log = log
        FileManager.default.createFile(atPath: log.path, contents: nil)
        process = Process()
        process.executableURL = URL(fileURLWithPath: Python.executable.hasPrefix("/") ? Python.executable : "/usr/bin/env")
        process.arguments = (Python.executable.hasPrefix("/") ? [] : ["python3"]) + [RepositoryPaths.tool(script).path] + arguments
        let out = Pipe()
        process.standardOutput = out
        process.standardError = try FileHandle(forWritingTo: log)
        process.standardInput = FileHandle.nullDevice
        try process.run()
        // The first line is "listening PORT"; nothing else is written to stdout.
        var line = Data()
        while true {
            let byte = out.fileHandleForReading.readData(ofLength: 1)
            if byte.isEmpty || byte == Data([0x0A]) { break }
            line.append(byte)
        }
        let words = String(decoding: line, as: UTF8.self).split(separator: " ")
        guard words.count == 2, words[0] == "listening", let p = Int(words[1]) else {
            process.stop()
            throw TestSupportError("\(script) did not start: \(String(decoding: line, as: UTF8.self)) \((try? String(contentsOf: log, encoding: .utf8)) ?? "")")
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
