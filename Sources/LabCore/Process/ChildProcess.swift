import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The one way labctl and its tests run another program.
///
/// One policy for every child: it starts in its own process group with default signal
/// dispositions and an empty signal mask (a Dispatch worker's blocked SIGTERM is not
/// inherited); `stop()` sends SIGTERM to the whole group, waits `grace`, then SIGKILLs
/// the group, so grandchildren (Terraform's providers, sshd's session processes) go too.
/// A terminal's Ctrl-C therefore reaches labctl only; `ChildProcesses` forwards it as
/// SIGINT to every group (Terraform then stops and releases its state lock).
///
/// Started with posix_spawn and reaped by our own `waitpid` on a dedicated thread:
/// Foundation's `Process` loses track of daemons that close inherited descriptors (sshd).
/// Pipes are close-on-exec and every other descriptor is closed in the child, so a pipe's
/// write end never leaks into a concurrently started daemon.
public final class ChildProcess: Sendable {
    public let processIdentifier: pid_t
    public let executable: String
    private let state: ChildState
    private let inputFD: Int32?
    private let registry: ChildProcesses?

    /// Starts `executable` (a path, or a name looked up on PATH) with `arguments`.
    /// `environment` nil: the parent's. `registry`: where Ctrl-C forwarding finds it (nil: nowhere).
    public init(_ executable: String, _ arguments: [String] = [], environment: [String: String]? = nil,
                directory: URL? = nil, input: Input = .null, output: Output = .discard, error: Output = .discard,
                registry: ChildProcesses? = .shared) throws {
        let path = try Self.resolve(executable, environment: environment)
        self.executable = path
        self.registry = registry
        var spawn = try SpawnPlan(input: input, output: output, error: error)
        defer { spawn.closeChildEnds() }
        let pid = try spawn.run(path: path, arguments: arguments, environment: environment, directory: directory)
        processIdentifier = pid
        inputFD = spawn.inputWriteEnd
        let condition = NSCondition()
        let readers = spawn.readerSpecs.map { OutputReader(fd: $0.fd, onLine: $0.onLine, condition: condition) }
        state = ChildState(condition: condition, stdout: spawn.stdoutIndex.map { readers[$0] },
                           stderr: spawn.stderrIndex.map { readers[$0] })
        registry?.add(pid)
        for reader in readers { reader.start() }
        if case .data(let bytes) = input, let fd = inputFD { Self.feed(bytes, to: fd) }
        let state = state
        let waiter = Thread { [registry] in
            var status: Int32 = 0
            while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
            registry?.remove(pid)
            for reader in readers { reader.join() }
            state.finish(Termination(waitStatus: status))
        }
        waiter.name = "ChildProcess waitpid \(pid)"
        waiter.start()
    }

    // MARK: state

    /// How it ended, once it has ended (and its output pipes are drained); nil while it runs.
    public var currentTermination: Termination? { state.termination }
    public var isRunning: Bool { state.termination == nil }

    /// Blocks the calling thread until the child has exited and its output is read.
    @discardableResult
    public func waitUntilExit() -> Termination { state.wait(until: nil)! }

    /// Blocks up to `timeout` seconds; nil if it still runs then.
    public func waitUntilExit(timeout: TimeInterval) -> Termination? {
        state.wait(until: Date().addingTimeInterval(timeout))
    }

    /// Waits without blocking a cooperative thread.
    public var termination: Termination {
        get async { await state.termination() }
    }

    // MARK: output

    /// Captured stdout so far (`.capture` only).
    public var stdout: String { state.text(of: \.stdout) }
    /// Captured stderr so far (`.capture` only).
    public var stderr: String { state.text(of: \.stderr) }

    /// Waits until `match` finds what it looks for in the captured stdout; nil when the
    /// child ends first or `timeout` passes. For servers that announce where they listen.
    public func waitForOutput<T>(timeout: TimeInterval, _ match: (String) -> T?) -> T? {
        state.waitForStdout(until: Date().addingTimeInterval(timeout), match)
    }

    // MARK: input

    /// Writes to the child's stdin (`.pipe` only).
    public func write(_ data: Data) {
        guard let inputFD else { return }
        Self.writeAll(data, to: inputFD)
    }

    /// Ends the child's stdin (`.pipe` only); many tools exit on it.
    public func closeInput() {
        guard let inputFD else { return }
        state.closeInputOnce { close(inputFD) }
    }

    // MARK: signals

    /// Sends `signal` to the child's whole process group (while anything in it lives).
    public func signalGroup(_ signal: Int32) {
        guard state.termination == nil || ProcessGroup.hasLiveMembers(processIdentifier) else { return }
        kill(-processIdentifier, signal)
    }

    /// The one stop policy: SIGTERM to the group, `grace` seconds for it (and what it
    /// started) to end, then SIGKILL to the group. Waits for the exit; idempotent.
    @discardableResult
    public func stop(grace: TimeInterval = 5) -> Termination {
        if let done = state.termination, !ProcessGroup.hasLiveMembers(processIdentifier) { return done }
        let deadline = Date().addingTimeInterval(grace)
        signalGroup(SIGTERM)
        if state.wait(until: deadline) != nil {
            while ProcessGroup.hasLiveMembers(processIdentifier) && Date() < deadline { usleep(10_000) }
        }
        if ProcessGroup.hasLiveMembers(processIdentifier) { kill(-processIdentifier, SIGKILL) }
        return waitUntilExit()
    }

    // MARK: helpers

    static func resolve(_ executable: String, environment: [String: String]?) throws -> String {
        if executable.contains("/") {
            guard FileManager.default.isExecutableFile(atPath: executable) else {
                throw ChildProcessError("cannot run \(executable): no executable file there; check the path or install it")
            }
            return executable
        }
        let path = environment?["PATH"] ?? ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        for dir in path.split(separator: ":") where FileManager.default.isExecutableFile(atPath: "\(dir)/\(executable)") {
            return "\(dir)/\(executable)"
        }
        throw ChildProcessError("cannot run \(executable): not found on PATH (\(path)); install it (scripts/setup.sh) or put it on PATH")
    }

    private static func feed(_ bytes: Data, to fd: Int32) {
        // On its own thread: a child that does not read yet must not block the caller.
        Thread {
            writeAll(bytes, to: fd)
            close(fd)
        }.start()
    }

    private static func writeAll(_ bytes: Data, to fd: Int32) {
        bytes.withUnsafeBytes { raw in
            var offset = 0
            while offset < raw.count {
                let n = Glibc.write(fd, raw.baseAddress! + offset, raw.count - offset)
                if n < 0 { if errno == EINTR { continue }; return }
                offset += n
            }
        }
    }
}

/// A child could not be started; the message names the program and what to do.
public struct ChildProcessError: Error, CustomStringConvertible, Sendable {
    public let description: String
    public init(_ description: String) { self.description = description }
}
