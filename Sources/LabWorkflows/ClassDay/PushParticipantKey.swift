import Foundation
import LabCore
import LabStore
import LabVerify

/// A key replaced after the participant's cluster exists (issue 23, item 5): the
/// cluster's Terraform inputs keep the key it was built with (no apply or extend
/// replaces it), and this puts the active key onto its master and workers over SSH the
/// way `assign` does (operator key, pinned host key): every earlier key of theirs taken
/// off, the new one added, the file read back. `labctl keys add`/`keys push` and the
/// intake's `/me` run it; a failure is recorded, so the dashboard and `/me` show the
/// key as not yet on the cluster with the command to retry.
public struct PushParticipantKey: Sendable, LabUseCase {
    public struct Request: Sendable {
        public var session: String
        /// Name or discrete id.
        public var participant: String
        /// Replaces the recorded addresses: `<id>` is the master, `<id>/worker-N` a worker; for a
        /// participant given a spare, its `spare_N` keys work too (rehearsals, tests).
        public var inventory: [String: VerifySession.Address]?
        public var user = "ubuntu"
        public var hostTimeout: TimeInterval = 20
        public var via: Interface = .cli

        public init(session: String, participant: String) {
            self.session = session
            self.participant = participant
        }
    }

    public enum Outcome: Sendable {
        /// No cluster yet: the next apply builds it with the active key.
        case noCluster(Participant)
        /// Every node holds the active key and none of the earlier ones.
        case pushed(Participant, hosts: [NodeKeyResult])
        /// Stored, not on every node yet (recorded with the reason).
        case failed(Participant, hosts: [NodeKeyResult], retry: String)

        public var participant: Participant {
            switch self { case .noCluster(let p), .pushed(let p, _), .failed(let p, _, _): return p }
        }
    }

    public let context: LabContext
    public init(_ context: LabContext) { self.context = context }

    /// The command a trainer runs to try again.
    public static func retryCommand(session: String, participant: String) -> String { "labctl keys push \(session) \(participant)" }

    public func run(_ request: Request) async throws -> Outcome {
        let s = request.session
        guard let p = try registry.participants(in: s).first(where: { $0.name == request.participant || $0.discreteID == request.participant }) else {
            throw WorkflowError.usage("\(request.participant): no such participant in \(s).\n  See `labctl keys list \(s)` for names and discrete ids.")
        }
        guard let cluster = try registry.clusters(session: s).first(where: { $0.discreteID == p.discreteID }) else { return .noCluster(p) }
        guard let secret = try registry.sessionSecret(s) else {
            throw WorkflowError.usage("\(s) has no operator key, so \(p.name)'s nodes cannot be reached; run `labctl apply \(s)` first.")
        }
        // A spare keeps its `spare_N` key in Terraform (and in a rehearsal's inventory).
        let spare = try registry.spareOwners(session: s).first { $0.value == p.discreteID }?.key
        let key = request.inventory.map { inv in inv[p.discreteID] == nil ? (spare ?? p.discreteID) : p.discreteID } ?? p.discreteID
        let nodes = NodeKeyEdit.targets(of: key, as: p.discreteID, cluster: cluster, inventory: request.inventory)
        let retry = Self.retryCommand(session: s, participant: p.name)
        guard !nodes.isEmpty else {
            try registry.recordKeyPush(session: s, participant: p, error: "no node address recorded", via: request.via)
            return .failed(p, hosts: [], retry: retry)
        }

        let earlier = try registry.keyHistory(session: s, name: p.name).filter { !$0.active }.map(\.keyLine)
        let edit = try NodeKeyEdit(registry: registry, session: s, secret: secret, user: request.user, hostTimeout: request.hostTimeout)
        let hosts = await edit.run(AuthorizedKeyEdit.replace(earlier, with: p.key.keyLine, label: p.discreteID), on: nodes,
                                   done: "key replaced (read back)")
        let failed = hosts.filter { !$0.ok }
        let error = failed.isEmpty ? nil : failed.map { "\($0.node): \($0.detail)" }.joined(separator: "; ")
        try registry.recordKeyPush(session: s, participant: p, error: error, via: request.via)
        return failed.isEmpty ? .pushed(p, hosts: hosts) : .failed(p, hosts: hosts, retry: retry)
    }
}
