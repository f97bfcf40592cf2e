import Foundation
import LabCore

/// Runs one Terraform command as a `ChildProcess` with its own environment (TF_WORKSPACE).
/// Interrupts (Ctrl-C, a lost terminal's SIGHUP, SIGTERM) reach it through
/// `ChildProcesses.shared` as SIGINT, so that it stops cleanly and releases its state lock.
public enum TerraformProcess {
    /// Runs `terraform <arguments>` in `directory` with stdout and stderr into `log`, each line
    /// also passed to `onLine`; returns the exit status (128 + signal if killed). Terraform
    /// writes into the file itself (`LogFollower` reads it back), never into a pipe to labctl,
    /// so it finishes an apply even when labctl's terminal, or labctl, goes away.
    /// `stopWhen`, asked after each line: true interrupts Terraform as Ctrl-C would (once is enough).
    public static func run(_ arguments: [String], settings: TerraformSettings, directory: URL, workspace: String?,
                           log: URL, onLine: @escaping @Sendable (String) -> Void = { _ in },
                           stopWhen: (@Sendable () -> Bool)? = nil) async throws -> Int32 {
        let start = try startLog(log, arguments: arguments, workspace: workspace)
        let child = try ChildProcess(try settings.resolvedExecutable(), arguments,
                                     environment: settings.environment(workspace: workspace), directory: directory,
                                     output: .file(log, append: true), error: .sameAsStdout)
        let follower = LogFollower(path: log.path, from: start) { line in
            onLine(stripANSI(line))
            if stopWhen?() == true { child.signalGroup(SIGINT) }
        }
        follower.start()
        let status = await finish(child)
        await follower.finish()
        return status
    }

    /// What a command meant for a program printed: stdout alone (Terraform puts warnings,
    /// e.g. about a missing CLI configuration file, on stderr, ahead of its JSON).
    public struct Captured: Sendable {
        public var status: Int32
        public var stdout: String
        public var stderr: [String]
        /// The first line of stderr that says something (for an error message).
        public var problem: String? {
            stderr.map { $0.trimmingCharacters(in: CharacterSet(charactersIn: " │╷╵\t")) }.first { !$0.isEmpty }
        }
    }

    /// Runs `terraform <arguments>` for its machine output: stdout is returned for parsing,
    /// both streams are logged (stderr lines marked `stderr:`).
    public static func runReadingStdout(_ arguments: [String], settings: TerraformSettings, directory: URL,
                                        workspace: String?, log: URL) async throws -> Captured {
        _ = try startLog(log, arguments: arguments, workspace: workspace)
        let writer = try LockedLog(log)
        let out = OutputCollector()
        let err = OutputCollector()
        let child = try ChildProcess(try settings.resolvedExecutable(), arguments,
                                     environment: settings.environment(workspace: workspace), directory: directory,
                                     output: .lines { writer.write($0); out.append($0) },
                                     error: .lines { writer.write("stderr: " + $0); err.append(stripANSI($0)) })
        let status = await finish(child)
        writer.close()
        return Captured(status: status, stdout: out.text, stderr: err.all)
    }

    /// Creates the log (0600, folder 0700) if needed and appends the command line; returns
    /// the offset after it, where this run's output begins.
    private static func startLog(_ log: URL, arguments: [String], workspace: String?) throws -> UInt64 {
        try FileManager.default.createDirectory(at: log.deletingLastPathComponent(), withIntermediateDirectories: true,
                                                attributes: [.posixPermissions: 0o700])
        if !FileManager.default.fileExists(atPath: log.path) {
            FileManager.default.createFile(atPath: log.path, contents: nil, attributes: [.posixPermissions: 0o600])
        }
        let handle = try FileHandle(forWritingTo: log)
        defer { try? handle.close() }
        try handle.seekToEnd()
        try handle.write(contentsOf: Data("$ terraform \(arguments.joined(separator: " "))  (TF_WORKSPACE=\(workspace ?? "-"))\n".utf8))
        return try handle.offset()
    }

    /// Waits for the exit; a cancelled task (serve's reaper at shutdown) interrupts
    /// Terraform as Ctrl-C would, so that it stops cleanly and releases its lock.
    private static func finish(_ child: ChildProcess) async -> Int32 {
        await withTaskCancellationHandler {
            await child.termination.status
        } onCancel: {
            child.signalGroup(SIGINT)
        }
    }

    /// Runs Terraform with stdout into `output` (created 0600 by the caller), stderr discarded:
    /// nothing in a log (the plan's JSON can hold sensitive values).
    public static func runToPrivateFile(_ arguments: [String], settings: TerraformSettings, directory: URL,
                                        workspace: String?, output: URL) async throws -> Int32 {
        let child = try ChildProcess(try settings.resolvedExecutable(), arguments,
                                     environment: settings.environment(workspace: workspace), directory: directory,
                                     output: .file(output, append: false), error: .discard)
        return await finish(child)
    }

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

/// One log file that two reader threads (stdout, stderr) append whole lines to.
// @unchecked Sendable: the handle is only used under `lock`.
final class LockedLog: @unchecked Sendable {
    private let lock = NSLock()
    private var handle: FileHandle?

    init(_ url: URL) throws {
        let h = try FileHandle(forWritingTo: url)
        try h.seekToEnd()
        handle = h
    }

    func write(_ line: String) {
        lock.lock(); defer { lock.unlock() }
        try? handle?.write(contentsOf: Data((line + "\n").utf8))
    }

    func close() {
        lock.lock(); defer { lock.unlock() }
        try? handle?.close()
        handle = nil
    }
}
