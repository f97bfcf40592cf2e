import Foundation
import LabCore
import LabProvision
import LabStore

/// `labctl rebuild`: replaces only the named participants' instances (master and
/// workers), retires their old host-key pins with an audit entry, records the new
/// outputs and, optionally, verifies them until ready (which pins the new keys).
public struct RebuildParticipants: Sendable, LabUseCase {
    public struct Request: Sendable {
        public var session: String
        /// Names or discrete ids.
        public var participants: [String]
        public var waitForLock = true
        /// Verify the rebuilt masters until ready (nil: do not verify).
        public var verify: VerifySession.Request?
        public var verifyTimeout: TimeInterval = 15 * 60

        public init(session: String, participants: [String]) {
            self.session = session
            self.participants = participants
        }
    }

    public struct Outcome: Sendable {
        public var rebuilt: [Participant]
        /// Terraform addresses replaced.
        public var replaced: [String]
        /// Discrete id → fingerprint of the pin retired.
        public var retiredPins: [String: String]
        public var apply: Provisioner.Result
        public var verification: VerifySession.Outcome?
    }

    public let context: LabContext
    public init(_ context: LabContext) { self.context = context }

    /// The participants named, each once, who have a deployed cluster.
    public func select(_ request: Request) throws -> [Participant] {
        let session = request.session
        let everyone = try registry.participants(in: session)
        let deployed = Set(try registry.clusters(session: session).map(\.discreteID))
        guard !request.participants.isEmpty else {
            throw WorkflowError.usage("name the participants to rebuild, e.g. `labctl rebuild \(session) ann.lee` (see `labctl keys list \(session)`).")
        }
        var chosen: [Participant] = []
        for wanted in request.participants {
            guard let p = everyone.first(where: { $0.name == wanted || $0.discreteID == wanted }) else {
                throw WorkflowError.usage("\(wanted): no such participant in \(session).\n  See `labctl keys list \(session)` for names and discrete ids.")
            }
            guard deployed.contains(p.discreteID) else {
                throw WorkflowError.usage("\(p.name) has no deployed cluster in \(session) to rebuild.\n  Run `labctl apply \(session)` to build it.")
            }
            if !chosen.contains(p) { chosen.append(p) }
        }
        return chosen
    }

    /// The Terraform addresses of a participant's instances.
    public static func addresses(of discreteID: String, workers: Int) -> [String] {
        ["aws_instance.master[\"\(discreteID)\"]"] + (0..<workers).map { "aws_instance.worker[\"\(discreteID)/worker-\($0 + 1)\"]" }
    }

    public func run(_ request: Request, onProgress: @escaping @Sendable (ProgressParser) -> Void = { _ in },
                    onBusy: @Sendable (String) -> Void = { _ in }) async throws -> Outcome {
        let session = request.session
        let chosen = try select(request)
        try await PendingRemovals.refuseRebuild(session: session, registry: registry, provisioner: provisioner)
        let workers = try files.sessionConfig(session).workerCount
        // A participant who was handed a spare has it under the spare's key in Terraform.
        let clusterKey = Dictionary(try registry.spareOwners(session: session).map { ($0.value, $0.key) }, uniquingKeysWith: { a, _ in a })
        let addresses = chosen.flatMap { Self.addresses(of: clusterKey[$0.discreteID] ?? $0.discreteID, workers: workers) }
        // The new instances boot with each participant's active key (one replaced after deploy included).
        try registry.forgetBuiltKeys(participantIDs: chosen.map { $0.record.id! })
        // With the end and the budget: a rebuilt node gets its dead-man timer, the rest keep their ExpiresAt.
        let inputs = try ApplyInputs.build(session, files: files, registry: registry).inputs

        try registry.recordApplyStart(session: session)
        for p in chosen { try registry.enterState(session: session, discreteID: p.discreteID, .rebuilt, detail: "instances being replaced") }
        let result = try await provisioner.run(.apply, session: session, inputs: inputs,
                                               options: .init(waitForLock: request.waitForLock, replace: addresses),
                                               onBusy: onBusy, onProgress: onProgress)
        guard result.succeeded else {
            for p in chosen { try registry.enterState(session: session, discreteID: p.discreteID, .failed, detail: "rebuild failed") }
            let why = result.progress.errors.first.map { ": \($0)" } ?? ""
            throw WorkflowError.notOK("terraform apply (rebuild of \(chosen.map(\.name).joined(separator: ", "))) failed\(why).\n  See \(files.display(result.log)), fix it, then run `labctl rebuild \(session) \(chosen.map(\.name).joined(separator: " "))` again.")
        }
        // The new masters present new host keys: the old pins would refuse them.
        var retired: [String: String] = [:]
        for p in chosen {
            if let fp = try registry.retireHostKey(session: session, discreteID: p.discreteID, reason: "rebuilt") { retired[p.discreteID] = fp }
            try registry.forgetVerification(session: session, discreteID: p.discreteID)
        }
        _ = try await SessionDeployment.recordOutputs(session: session, context: context)

        var verification: VerifySession.Outcome?
        if var verify = request.verify {
            verify.participants = chosen.map(\.discreteID)
            verification = try await VerifySession(registry: registry).run(verify, wait: true, timeout: request.verifyTimeout)
        }
        return Outcome(rebuilt: chosen, replaced: addresses, retiredPins: retired, apply: result, verification: verification)
    }
}
