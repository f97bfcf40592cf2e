import Foundation

/// Terminal output: colour only on a TTY and never with NO_COLOR.
enum Terminal {
    static let stdoutColor = isatty(STDOUT_FILENO) == 1 && ProcessInfo.processInfo.environment["NO_COLOR"] == nil
    /// Progress goes to stderr: live on a terminal, throttled into logs and pipes.
    static let stderrIsTerminal = isatty(STDERR_FILENO) == 1
    static let stderrColor = isatty(STDERR_FILENO) == 1 && ProcessInfo.processInfo.environment["NO_COLOR"] == nil

    static func green(_ s: String, color: Bool = stdoutColor) -> String { color ? "\u{1B}[32m\(s)\u{1B}[0m" : s }
    static func red(_ s: String, color: Bool = stdoutColor) -> String { color ? "\u{1B}[31m\(s)\u{1B}[0m" : s }
    static func yellow(_ s: String, color: Bool = stdoutColor) -> String { color ? "\u{1B}[33m\(s)\u{1B}[0m" : s }

    static let ok = "✓"
    static let bad = "✗"

    /// Writes one line to stderr, marked as an error.
    static func error(_ message: String) {
        guard !message.isEmpty else { return }
        FileHandle.standardError.writeBestEffort(Data((red(bad, color: stderrColor) + " " + message + "\n").utf8))
    }

    static func warning(_ message: String) {
        FileHandle.standardError.writeBestEffort(Data((yellow("!", color: stderrColor) + " " + message + "\n").utf8))
    }

    static func note(_ message: String) {
        FileHandle.standardError.writeBestEffort(Data((message + "\n").utf8))
    }
}

/// Buffers stdout lines and writes them in large chunks (thousands of lines for `keys check`).
struct OutputBuffer {
    private var data = Data()

    mutating func line(_ s: String) {
        data.append(contentsOf: Array(s.utf8))
        data.append(0x0A)
        if data.count > 1 << 16 { flush() }
    }

    mutating func flush() {
        FileHandle.standardOutput.writeBestEffort(data)
        data.removeAll(keepingCapacity: true)
    }
}

/// JSON output: stable key order, no escaped slashes, one trailing newline.
enum JSONOutput {
    static func print<T: Encodable>(_ value: T) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        var data = try encoder.encode(value)
        data.append(0x0A)
        FileHandle.standardOutput.writeBestEffort(data)
    }
}

extension FileHandle {
    /// Writes what it can and ignores a closed terminal or pipe: Foundation's `write(_:)`
    /// traps on EPIPE/EIO, and labctl must outlive a dropped SSH session (its Terraform
    /// children are still finishing an apply). SIGPIPE is ignored (see SpawnPlan).
    func writeBestEffort(_ data: Data) {
        try? write(contentsOf: data)
    }
}
