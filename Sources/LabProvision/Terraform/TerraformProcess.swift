import Foundation
import LabCore

/// Runs one Terraform command as a `ChildProcess`: its own environment (TF_WORKSPACE),
/// output streamed line by line to a callback and to a log file. Ctrl-C reaches it
/// through `ChildProcesses.shared` (SIGINT, so that it releases its state lock).
public enum TerraformProcess {
    /// Runs `terraform <arguments>` in `directory`; returns the exit status (128 + signal if killed).
    public static func run(_ arguments: [String], settings: TerraformSettings, directory: URL, workspace: String?,
                           log: URL, onLine: @escaping @Sendable (String) -> Void = { _ in }) async throws -> Int32 {
        try FileManager.default.createDirectory(at: log.deletingLastPathComponent(), withIntermediateDirectories: true,
                                                attributes: [.posixPermissions: 0o700])
        FileManager.default.createFile(atPath: log.path, contents: nil, attributes: [.posixPermissions: 0o600])
        let logHandle = try FileHandle(forWritingTo: log)
        defer { try? logHandle.close() }
        logHandle.seekToEndOfFile()
        logHandle.write(Data("$ terraform \(arguments.joined(separator: " "))  (TF_WORKSPACE=\(workspace ?? "-"))\n".utf8))
        let child = try ChildProcess(try settings.resolvedExecutable(), arguments,
                                     environment: settings.environment(workspace: workspace), directory: directory,
                                     output: .lines { line in
                                         logHandle.write(Data((line + "\n").utf8))
                                         onLine(stripANSI(line))
                                     }, error: .sameAsStdout)
        return await finish(child)
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
