import Foundation
import LabCore

/// Runs commands on many hosts over SSH as the operator (the verifier's connection code,
/// its dedicated threads and per-host deadline): `labctl assign` installing a late
/// joiner's key, a smaller `worker_count` deleting Node objects. A host whose key differs
/// from the pinned one gets no command.
public struct RemoteCommand: Sendable {
    public struct Target: Sendable {
        /// What to call the host in reports (`ann.le master`, `ann.le worker-1`).
        public var label: String
        public var host: String
        public var port: Int
        /// The participant whose pinned master key must match; nil: no pin to check (workers).
        public var pinnedDiscreteID: String?
        public init(label: String, host: String, port: Int, pinnedDiscreteID: String?) {
            self.label = label
            self.host = host
            self.port = port
            self.pinnedDiscreteID = pinnedDiscreteID
        }
    }

    public struct Result: Sendable {
        public var target: Target
        /// nil when the command ran (see `exitStatus`); otherwise why it did not (or why its output was cut).
        public var unreachable: String?
        public var exitStatus: Int32?
        public var stdout: String
        public var stderr: String
        public var ok: Bool { unreachable == nil && exitStatus == 0 }
    }

    public let user: String
    public let identity: SSHIdentity
    public let hostTimeout: TimeInterval
    public let parallel: Int
    public let pinning: HostKeyPinning?

    public init(user: String, identity: SSHIdentity, hostTimeout: TimeInterval = 20, parallel: Int = 32, pinning: HostKeyPinning?) {
        self.user = user
        self.identity = identity
        self.hostTimeout = hostTimeout
        self.parallel = parallel
        self.pinning = pinning
    }

    /// Runs `command` on every target; results in target order. Awaited without blocking a cooperative thread.
    public func run(_ command: String, on targets: [Target]) async -> [Result] {
        await run(targets.map { ($0, command) })
    }

    /// Runs each job's own command on its target; results in job order.
    public func run(_ jobs: [(target: Target, command: String)]) async -> [Result] {
        await withCheckedContinuation { continuation in
            Thread {
                let results = Results(count: jobs.count)
                DedicatedThreads.forEach(count: jobs.count, width: parallel) { i in results.set(i, runOne(jobs[i].command, jobs[i].target)) }
                continuation.resume(returning: results.all())
            }.start()
        }
    }

    func runOne(_ command: String, _ target: Target) -> Result {
        var result = Result(target: target, unreachable: nil, exitStatus: nil, stdout: "", stderr: "")
        let deadline = Deadline(secondsFromNow: hostTimeout)
        do throws(SSHError) {
            let connection = try SSHConnection(host: target.host, port: target.port, deadline: deadline)
            defer { connection.close() }
            let key = try connection.handshake()
            if let participant = target.pinnedDiscreteID, let pinning {
                do {
                    if case .changed(let pinned) = try pinning.verdict(discreteID: participant, key: key) {
                        result.unreachable = "host key changed (pinned \(pinned), got \(key.fingerprint)); nothing sent"
                        return result
                    }
                } catch {
                    result.unreachable = "cannot check the pinned host key: \(error)"
                    return result
                }
            }
            try connection.authenticate(user: user, identity: identity)
            let exec = try connection.exec(command)
            result.stdout = exec.stdout
            result.stderr = exec.stderr
            if exec.truncated {
                result.unreachable = "the command printed more than \(SSHConnection.outputLimit / (1024 * 1024)) MiB; labctl stopped reading and closed the channel"
            } else {
                result.exitStatus = exec.exitStatus
            }
        } catch {
            result.unreachable = error.timedOut ? "no answer from \(target.host):\(target.port) within \(Int(hostTimeout)) s" : error.message
        }
        return result
    }

    // @unchecked Sendable: every access holds `lock`.
    private final class Results: @unchecked Sendable {
        private let lock = NSLock()
        private var items: [Result?]
        init(count: Int) { items = Array(repeating: nil, count: count) }
        func set(_ i: Int, _ r: Result) { lock.lock(); items[i] = r; lock.unlock() }
        func all() -> [Result] { lock.lock(); defer { lock.unlock() }; return items.compactMap { $0 } }
    }
}
