import Foundation
import LabCore
import LabProvision
import LabStore

/// Runs one Terraform verb for several sessions, at most `parallel` at a time. A
/// failing session does not stop the others; after Ctrl-C (forwarded to every
/// child by `ChildProcesses`) no new session starts.
public struct TerraformBatch: Sendable, LabUseCase {
    /// What the caller shows while the batch runs.
    public enum Event: Sendable {
        case starting(session: String)
        /// Another labctl holds the session's lock; this one waits.
        case waiting(session: String, holder: String)
        case progress(session: String, ProgressParser)
        /// A session's settings deserve a warning (e.g. SSH open to the world).
        case warning(session: String, String)
        /// What the after-success step did (outputs recorded, pins cleared, …).
        case done(session: String, String)
        /// AWS throttled the run; it starts again after `delay` seconds (run `attempt` of `of`).
        case retrying(session: String, attempt: Int, of: Int, delay: TimeInterval, reason: String)
    }

    /// Concurrent Terraform runs for one AWS account: each run makes up to 10 API calls
    /// at a time (Terraform's -parallelism), and EC2 throttles an account, not a run.
    public static let defaultParallel = 4

    public struct Outcome: Sendable {
        public var session: String
        public var result: Provisioner.Result?
        public var error: String?
        /// Runs that AWS throttled and that were started again.
        public var throttledRetries = 0
        public var ok: Bool { error == nil && (result?.succeeded ?? false) }
    }

    public let context: LabContext
    public let verb: Provisioner.Verb
    public let parallel: Int
    public let waitForLock: Bool
    public let retry: ThrottleRetry

    public init(_ context: LabContext, verb: Provisioner.Verb, parallel: Int, waitForLock: Bool,
                retry: ThrottleRetry = .fromEnvironment()) {
        self.retry = retry
        self.context = context
        self.verb = verb
        self.parallel = parallel
        self.waitForLock = waitForLock
    }

    /// Runs the batch; `afterSuccess` runs for each session whose Terraform run succeeded.
    /// Outcomes come back in the order of `sessions`.
    public func run(_ sessions: [String],
                    onEvent: @escaping @Sendable (Event) -> Void = { _ in },
                    afterSuccess: @escaping @Sendable (String, Provisioner.Result) async throws -> String? = { _, _ in nil }) async -> [Outcome] {
        // The lab's id before any inputs are built: in S3 mode the bucket's, not a new one.
        if verb != .output {
            do { _ = try await LabIdentity(context).resolve() } catch {
                return sessions.map { Outcome(session: $0, result: nil, error: "the lab's id cannot be read: \(error)") }
            }
        }
        var outcomes: [String: Outcome] = [:]
        var queue = sessions[...]
        await withTaskGroup(of: Outcome.self) { group in
            func startNext() {
                guard !ChildProcesses.shared.interrupted, let session = queue.popFirst() else { return }
                let inputs: SessionInputs?
                do {
                    // `spares = N` in the tfvars: the spare clusters exist before Terraform plans them.
                    if verb == .plan || verb == .apply { try SpareClusters.sync(session: session, files: files, registry: registry) }
                    switch verb {
                    case .output: inputs = nil
                    case .destroy: inputs = try SessionInputsBuilder.build(session: session, registry: registry)
                    default:
                        let built = try ApplyInputs.build(session, files: files, registry: registry)
                        inputs = built.inputs
                        for w in built.warnings { onEvent(.warning(session: session, w)) }
                    }
                } catch {
                    group.addTask { Outcome(session: session, result: nil, error: "\(error)") }
                    return
                }
                let verb = self.verb, provisioner = self.provisioner, wait = self.waitForLock, files = self.files, retry = self.retry
                group.addTask {
                    onEvent(.starting(session: session))
                    var retried = 0
                    do {
                        // Time-to-ready runs from here (the room table, `labctl status <session>`).
                        if verb == .apply { try registry.recordApplyStart(session: session) }
                        let runOnce = {
                            try await provisioner.run(verb, session: session, inputs: inputs, options: .init(waitForLock: wait),
                                                      onBusy: { onEvent(.waiting(session: session, holder: $0)) },
                                                      onProgress: { onEvent(.progress(session: session, $0)) })
                        }
                        var result = try await runOnce()
                        // Throttled by AWS: wait and run again (bounded), rather than fail the session.
                        while !result.succeeded, let why = result.progress.throttled, retried < retry.retries, !ChildProcesses.shared.interrupted {
                            retried += 1
                            let delay = retry.delay(afterAttempt: retried)
                            onEvent(.retrying(session: session, attempt: retried + 1, of: retry.retries + 1, delay: delay, reason: why))
                            try await Task.sleep(nanoseconds: UInt64(delay * 1_000_000_000))
                            result = try await runOnce()
                        }
                        if !result.succeeded {
                            let why = result.progress.errors.first.map { ": \($0)" } ?? ""
                            let throttled = result.progress.throttled == nil ? "" : " (still throttled by AWS after \(retried) retries: run it again later, or lower --parallel)"
                            return Outcome(session: session, result: result,
                                           error: "terraform \(verb.rawValue) failed\(why)\(throttled) (log: \(files.display(result.log)))",
                                           throttledRetries: retried)
                        }
                        if let done = try await afterSuccess(session, result) { onEvent(.done(session: session, done)) }
                        return Outcome(session: session, result: result, error: nil, throttledRetries: retried)
                    } catch {
                        return Outcome(session: session, result: nil, error: "\(error)", throttledRetries: retried)
                    }
                }
            }
            for _ in 0..<max(1, parallel) { startNext() }
            for await outcome in group {
                outcomes[outcome.session] = outcome
                startNext()
            }
        }
        return sessions.compactMap { outcomes[$0] }
    }
}

/// What follows a successful run: the steps `apply` and `destroy` add to Terraform's.
public enum SessionDeployment {
    /// Reads Terraform's outputs and records the clusters (verify and sheets read them).
    /// Outputs that cannot be recorded fail the session's run: an apply that says ok while
    /// nothing was recorded leaves verify, sheets and rebuild finding no cluster.
    public static func recordOutputs(session: String, context: LabContext) async throws -> String {
        do {
            let outputs = try await RecordOutputs(context).run(session)
            return "recorded \(outputs.clusters.count) cluster(s)"
        } catch let error as WorkflowError {
            throw WorkflowError.notOK("applied, but \(error.message)")
        }
    }

    /// After a destroy: forget the session entirely, or clear its outputs and pins.
    public static func afterDestroy(session: String, forget: Bool, registry: Registry) throws -> String {
        if forget {
            try registry.removeSession(session, via: .cli)
            return "removed from the registry; pod CIDRs released"
        }
        try registry.recordClusters(session: session, [])
        for key in try registry.hostKeys(session: session) { try registry.unpinHostKey(session: session, discreteID: key.discreteID) }
        return "outputs and pinned host keys cleared"
    }
}
