import Foundation
import LabCore

/// Runs one shell command per master as the operator (class-day changes: removing the
/// Node objects of workers about to go, installing a late joiner's key): the same
/// connection, host-key pinning and login as the verifier, on dedicated threads.
public struct OperatorCommands: Sendable {
    public struct Job: Sendable {
        /// The participant's discrete id (the pin's key).
        public var participant: String
        public var host: String
        public var port: Int
        public var command: String

        public init(participant: String, host: String, port: Int, command: String) {
            self.participant = participant
            self.host = host
            self.port = port
            self.command = command
        }
    }

    /// The command's output, or why it could not run (no answer, changed host key, no login).
    public typealias Outcome = Result<SSHConnection.ExecResult, OperatorCommandError>

    public let user: String
    public let identity: SSHIdentity
    public let pinning: HostKeyPinning
    public let hostTimeout: TimeInterval
    public let parallel: Int

    public init(user: String, identity: SSHIdentity, pinning: HostKeyPinning, hostTimeout: TimeInterval = 30, parallel: Int = 16) {
        self.user = user
        self.identity = identity
        self.pinning = pinning
        self.hostTimeout = hostTimeout
        self.parallel = parallel
    }

    /// Runs every job; outcomes in job order. Awaited without blocking a cooperative thread.
    public func run(_ jobs: [Job]) async -> [Outcome] {
        await withCheckedContinuation { continuation in
            Thread {
                let box = Box(count: jobs.count)
                DedicatedThreads.forEach(count: jobs.count, width: parallel) { i in box.set(i, runOne(jobs[i])) }
                continuation.resume(returning: box.all())
            }.start()
        }
    }

    func runOne(_ job: Job) -> Outcome {
        let deadline = Deadline(secondsFromNow: hostTimeout)
        let connection: SSHConnection
        do {
            connection = try SSHConnection(host: job.host, port: job.port, deadline: deadline)
        } catch {
            return .failure(OperatorCommandError(message: "\(job.host):\(job.port): \(error.message)"))
        }
        defer { connection.close() }
        do {
            let key = try connection.handshake()
            if case .changed(let pinned) = try pinning.verdict(participant: job.participant, key: key) {
                return .failure(OperatorCommandError(message: "host key changed (pinned \(pinned), got \(key.fingerprint)); nothing was run"))
            }
            try connection.authenticate(user: user, identity: identity)
            return .success(try connection.exec(job.command))
        } catch let e as SSHError {
            return .failure(OperatorCommandError(message: e.message))
        } catch {
            return .failure(OperatorCommandError(message: "\(error)"))
        }
    }

    // @unchecked Sendable: every access holds `lock`.
    private final class Box: @unchecked Sendable {
        private let lock = NSLock()
        private var items: [Outcome?]
        init(count: Int) { items = Array(repeating: nil, count: count) }
        func set(_ i: Int, _ o: Outcome) { lock.lock(); items[i] = o; lock.unlock() }
        func all() -> [Outcome] { lock.lock(); defer { lock.unlock() }; return items.map { $0! } }
    }
}

public struct OperatorCommandError: Error, Sendable, CustomStringConvertible {
    public var message: String
    public var description: String { message }
}
