import Foundation

/// The running children that Ctrl-C (or a hang-up, or SIGTERM) must reach. Children start
/// in their own process groups, so a terminal's SIGINT or SIGHUP reaches labctl only;
/// `forwardInterrupts` passes it on as SIGINT to every group (Terraform then stops cleanly
/// and releases its state lock; a second SIGINT would make it exit at once and leave the lock).
// @unchecked Sendable: the table and the flag are only touched under `lock`.
public final class ChildProcesses: @unchecked Sendable {
    public static let shared = ChildProcesses()
    private let lock = NSLock()
    private var running: Set<pid_t> = []
    private var wasInterrupted = false

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

    /// Marks the table interrupted; true only for the first caller.
    private func firstInterrupt() -> Bool {
        lock.lock(); defer { lock.unlock() }
        defer { wasInterrupted = true }
        return !wasInterrupted
    }

    /// Signals that end labctl's run as Ctrl-C does: the terminal's Ctrl-C, the hang-up of a
    /// dropped SSH connection to the jump host, and a service manager's stop.
    public static let interrupting: [Int32] = [SIGINT, SIGHUP, SIGTERM]

    /// From now on SIGINT, SIGHUP and SIGTERM to this process are not fatal: `then` runs
    /// (on a Dispatch queue) with the signal, after which every child's group gets SIGINT
    /// and labctl waits for them. A repeated Ctrl-C is forwarded again (Terraform then stops
    /// at once, as the user asked); SIGHUP and SIGTERM are forwarded once only, so that a
    /// hang-up followed by a stop cannot make Terraform abandon its state lock. Children
    /// still start with every signal at its default (ChildProcess resets dispositions at spawn).
    public func forwardInterrupts(then announce: @escaping @Sendable (Int32) -> Void = { _ in }) {
        InterruptSignals.shared.attach(self) { [self] number in
            guard number == SIGINT || firstInterrupt() else { return }
            announce(number)
            interruptAll()
        }
    }

    /// This table no longer forwards (the signals stay ignored: see `InterruptSignals`).
    public func stopForwardingInterrupts() {
        InterruptSignals.shared.detach(self)
    }
}

/// The process's watch on the interrupting signals, made once and kept: libdispatch watches
/// a signal once per process (on Linux a signalfd made with the first source), so a source
/// cancelled and made again never fires. Each signal goes to the tables that forward now.
// @unchecked Sendable: `sources` and `listeners` are only touched under `lock`.
private final class InterruptSignals: @unchecked Sendable {
    static let shared = InterruptSignals()
    private let lock = NSLock()
    private var sources: [DispatchSourceSignal] = []
    private var listeners: [ObjectIdentifier: @Sendable (Int32) -> Void] = [:]

    func attach(_ table: ChildProcesses, _ handler: @escaping @Sendable (Int32) -> Void) {
        lock.lock(); defer { lock.unlock() }
        guard listeners[ObjectIdentifier(table)] == nil else { return }
        listeners[ObjectIdentifier(table)] = handler
        guard sources.isEmpty else { return }
        // A terminal or pipe that went away must not kill labctl while its children finish.
        signal(SIGPIPE, SIG_IGN)
        for number in ChildProcesses.interrupting {
            signal(number, SIG_IGN)
            let s = DispatchSource.makeSignalSource(signal: number, queue: .global())
            s.setEventHandler { [self] in
                lock.lock(); let handlers = Array(listeners.values); lock.unlock()
                for handler in handlers { handler(number) }
            }
            s.resume()
            sources.append(s)
        }
    }

    func detach(_ table: ChildProcesses) {
        lock.lock(); defer { lock.unlock() }
        listeners.removeValue(forKey: ObjectIdentifier(table))
    }
}
