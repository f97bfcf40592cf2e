import Foundation

/// Runs one Terraform command as a child process: its own environment
/// (TF_WORKSPACE), output streamed line by line to a callback and to a log file.
public enum TerraformProcess {
    /// Runs `terraform <arguments>` in `directory`; returns the exit status.
    public static func run(_ arguments: [String], settings: TerraformSettings, directory: URL, workspace: String?,
                           log: URL, onLine: @escaping @Sendable (String) -> Void = { _ in }) async throws -> Int32 {
        try FileManager.default.createDirectory(at: log.deletingLastPathComponent(), withIntermediateDirectories: true,
                                                attributes: [.posixPermissions: 0o700])
        FileManager.default.createFile(atPath: log.path, contents: nil, attributes: [.posixPermissions: 0o600])
        let logHandle = try FileHandle(forWritingTo: log)
        logHandle.seekToEndOfFile()
        logHandle.write(Data("$ terraform \(arguments.joined(separator: " "))  (TF_WORKSPACE=\(workspace ?? "-"))\n".utf8))

        let process = Process()
        process.executableURL = URL(fileURLWithPath: try settings.resolvedExecutable())
        process.arguments = arguments
        process.currentDirectoryURL = directory
        process.environment = settings.environment(workspace: workspace)
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        process.standardInput = FileHandle.nullDevice

        let reader = LineReader(handle: pipe.fileHandleForReading, log: logHandle, onLine: onLine)
        return try await withCheckedThrowingContinuation { continuation in
            process.terminationHandler = { p in
                reader.finish()
                try? logHandle.close()
                ChildProcesses.shared.remove(p)
                continuation.resume(returning: p.terminationStatus)
            }
            do {
                try process.run()
                ChildProcesses.shared.add(process)
                reader.start()
            } catch {
                try? logHandle.close()
                continuation.resume(throwing: error)
            }
        }
    }
}

/// Reads a pipe on its own thread, splitting lines; blocking reads never run on the cooperative pool.
// @unchecked Sendable: immutable after init; its one reader thread owns the handles.
final class LineReader: @unchecked Sendable {
    private let handle: FileHandle
    private let log: FileHandle
    private let onLine: @Sendable (String) -> Void
    private let done = DispatchSemaphore(value: 0)

    init(handle: FileHandle, log: FileHandle, onLine: @escaping @Sendable (String) -> Void) {
        self.handle = handle
        self.log = log
        self.onLine = onLine
    }

    func start() {
        Thread { [self] in
            var pending = Data()
            while true {
                let chunk = handle.availableData
                if chunk.isEmpty { break }
                log.write(chunk)
                pending.append(chunk)
                while let newline = pending.firstIndex(of: 0x0A) {
                    let line = String(decoding: pending[pending.startIndex..<newline], as: UTF8.self)
                    pending.removeSubrange(pending.startIndex...newline)
                    onLine(Self.stripANSI(line))
                }
            }
            if !pending.isEmpty { onLine(Self.stripANSI(String(decoding: pending, as: UTF8.self))) }
            done.signal()
        }.start()
    }

    /// Waits until the pipe is drained (the child has exited, so EOF comes promptly).
    func finish() { done.wait() }

    static func stripANSI(_ s: String) -> String {
        guard s.contains("\u{1B}[") else { return s }
        var out = ""
        var it = s.makeIterator()
        while let c = it.next() {
            if c == "\u{1B}" {
                while let d = it.next(), !(d.isLetter) {}
                continue
            }
            out.append(c)
        }
        return out
    }
}

/// Every running Terraform child, so Ctrl-C can be forwarded to all of them
/// and labctl waits for each to release its state lock.
// @unchecked Sendable: the table and the flag are only touched under `lock`.
public final class ChildProcesses: @unchecked Sendable {
    public static let shared = ChildProcesses()
    private let lock = NSLock()
    private var running: [ObjectIdentifier: Process] = [:]
    public private(set) var interrupted = false

    func add(_ p: Process) { lock.lock(); running[ObjectIdentifier(p)] = p; lock.unlock() }
    func remove(_ p: Process) { lock.lock(); running.removeValue(forKey: ObjectIdentifier(p)); lock.unlock() }

    public var count: Int { lock.lock(); defer { lock.unlock() }; return running.count }

    /// Sends SIGINT to every child (Terraform then stops gracefully and unlocks its state).
    public func interruptAll() {
        lock.lock()
        interrupted = true
        let pids = running.values.map(\.processIdentifier)
        lock.unlock()
        for pid in pids { kill(pid, SIGINT) }
    }
}
