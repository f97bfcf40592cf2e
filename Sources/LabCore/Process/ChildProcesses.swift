import Foundation

/// The running children that Ctrl-C must reach. Children start in their own process
/// groups, so a terminal's SIGINT reaches labctl only; `forwardInterrupts` passes it on
/// as SIGINT to every group once (Terraform then stops cleanly and releases its state
/// lock; a second SIGINT would make it exit at once and leave the lock).
// @unchecked Sendable: the table and the flag are only touched under `lock`.
public final class ChildProcesses: @unchecked Sendable {
    public static let shared = ChildProcesses()
    private let lock = NSLock()
    private var running: Set<pid_t> = []
    private var wasInterrupted = false
    private var source: DispatchSourceSignal?

    /// A separate table (tests use one so that the shared `interrupted` flag stays untouched).
    public init() {}

    /// True once Ctrl-C was forwarded: batches start nothing new.
    public var interrupted: Bool { lock.lock(); defer { lock.unlock() }; return wasInterrupted }
    public var count: Int { lock.lock(); defer { lock.unlock() }; return running.count }

    func add(_ pid: pid_t) {
        lock.lock()
        running.insert(pid)
        let late = wasInterrupted
        lock.unlock()
        // Started while the interrupt was being forwarded: it gets it too.
        if late { kill(-pid, SIGINT) }
    }

    func remove(_ pid: pid_t) { lock.lock(); running.remove(pid); lock.unlock() }

    /// Sends SIGINT to every child's process group and remembers that it did.
    public func interruptAll() {
        lock.lock()
        wasInterrupted = true
        let pids = running
        lock.unlock()
        for pid in pids { kill(-pid, SIGINT) }
    }

    /// From now on SIGINT to this process is not fatal: `then` runs (on a Dispatch
    /// queue), after which every child's group gets SIGINT. Children still start with
    /// SIGINT at its default (ChildProcess resets dispositions at spawn).
    public func forwardInterrupts(then announce: @escaping @Sendable () -> Void = {}) {
        lock.lock(); defer { lock.unlock() }
        guard source == nil else { return }
        signal(SIGINT, SIG_IGN)
        let s = DispatchSource.makeSignalSource(signal: SIGINT, queue: .global())
        s.setEventHandler { [self] in
            announce()
            interruptAll()
        }
        s.resume()
        source = s
    }

    /// Undoes `forwardInterrupts` (SIGINT is fatal again).
    public func stopForwardingInterrupts() {
        lock.lock(); defer { lock.unlock() }
        source?.cancel()
        source = nil
        signal(SIGINT, SIG_DFL)
    }
}
