import Foundation
import LabCore
import LabStore
import LabVerify

/// `labctl assign <session> <participant>` (and the intake, for someone who joins after
/// `apply`): hands the next ready spare cluster to a participant without any Terraform
/// run. Their key goes into the spare's master's and workers' authorized_keys over SSH
/// with the operator key (the verifier's connection code, the master's pinned host key),
/// the registry records the mapping, and verify then checks their own key on it.
public struct AssignSpare: Sendable, LabUseCase {
    public struct Request: Sendable {
        public var session: String
        /// Name or discrete id.
        public var participant: String
        /// Replaces the recorded addresses: `<spare key>` is its master, `<spare key>/worker-N`
        /// a worker (rehearsals, tests).
        public var inventory: [String: VerifySession.Address]?
        public var user = "ubuntu"
        public var hostTimeout: TimeInterval = 20
        public var via: Interface = .cli

        public init(session: String, participant: String) {
            self.session = session
            self.participant = participant
        }
    }

    /// One node the key went to.
    public typealias HostResult = NodeKeyResult

    public struct Outcome: Sendable {
        public var participant: Participant
        /// The spare's key in Terraform (`spare_3`).
        public var spare: String
        public var hosts: [HostResult]
        /// The participant's cluster verified with their own key.
        public var verification: VerifySession.Outcome
        public var ready: Bool { verification.allReady }
    }

    public let context: LabContext
    public init(_ context: LabContext) { self.context = context }

    /// The participant, refused (exit 2) when unknown or already given a cluster.
    public func participant(_ request: Request) throws -> Participant {
        let s = request.session
        guard let p = try registry.participants(in: s).first(where: { $0.name == request.participant || $0.discreteID == request.participant }) else {
            throw WorkflowError.usage("\(request.participant): no such participant in \(s).\n  See `labctl keys list \(s)` for names and discrete ids; add them with `labctl keys add \(s) first.last --file KEY.pub`.")
        }
        if try registry.clusters(session: s).contains(where: { $0.discreteID == p.discreteID }) {
            throw WorkflowError.usage("\(p.name) already has a cluster in \(s); a spare is for someone without one.\n  To replace theirs, run `labctl rebuild \(s) \(p.name)`.")
        }
        return p
    }

    public func run(_ request: Request) async throws -> Outcome {
        let s = request.session
        let p = try participant(request)
        let config = try files.sessionConfig(s)
        let clusters = Dictionary(try registry.clusters(session: s).map { ($0.discreteID, $0) }, uniquingKeysWith: { a, _ in a })
        guard !clusters.isEmpty else {
            throw WorkflowError.usage("\(s) is not applied yet, so it has no spare clusters.\n  Run `labctl apply \(s)`: it builds \(p.name)'s cluster with everyone else's.")
        }
        let deployed = try registry.spares(session: s).filter { $0.isFree && clusters[$0.clusterKey] != nil }
        guard !deployed.isEmpty else {
            throw WorkflowError.notOK("no spare left in \(s) (spares = \(config.spares)): \(p.name) stays registered and waits for the next apply.\n  Run `labctl apply \(s)` to build their cluster (or raise `spares` in sessions/\(s).tfvars first).")
        }
        guard let secret = try registry.sessionSecret(s) else {
            throw WorkflowError.usage("\(s) has no operator key, so no spare can be reached; run `labctl apply \(s)` first.")
        }

        // The next spare that is ready now (operator key, pinned host key, all nodes Ready).
        var check = VerifySession.Request(session: s, workers: config.workerCount)
        check.participants = deployed.map(\.clusterKey)
        check.inventory = request.inventory.map { $0.filter { !$0.key.contains("/") } }
        check.user = request.user
        check.hostTimeout = request.hostTimeout
        let checked = try await VerifySession(registry: registry).run(check)
        guard let ready = deployed.first(where: { spare in checked.reports.contains { $0.target.discreteID == spare.clusterKey && $0.ready } }) else {
            let why = checked.reports.map { "\($0.target.discreteID): \($0.summary)" }.joined(separator: "; ")
            throw WorkflowError.notOK("no ready spare in \(s) (\(why)): \(p.name) stays registered.\n  Run `labctl assign \(s) \(p.name)` again once a spare is ready, or `labctl apply \(s)` to build their own cluster.")
        }

        let edit = try NodeKeyEdit(registry: registry, session: s, secret: secret, user: request.user, hostTimeout: request.hostTimeout)
        let nodes = NodeKeyEdit.targets(of: ready.clusterKey, as: ready.clusterKey, cluster: clusters[ready.clusterKey]!, inventory: request.inventory)
        let hosts = await edit.run(AuthorizedKeyEdit.install(p.key.keyLine, label: p.discreteID), on: nodes, done: "key installed")
        guard hosts.allSatisfy(\.ok) else {
            // The spare stays free: nobody's key may stay on a cluster someone else gets next.
            await edit.runIgnoringResults(AuthorizedKeyEdit.remove(p.key.keyLine), on: nodes)
            let failed = hosts.filter { !$0.ok }.map { "\($0.node): \($0.detail)" }.joined(separator: "; ")
            throw WorkflowError.notOK("could not install \(p.name)'s key on spare \(ready.clusterKey) (\(failed)); it stays free and \(p.name) stays registered.\n  Run `labctl assign \(s) \(p.name)` again, or `labctl apply \(s)` to build their own cluster.")
        }

        do {
            try registry.assignSpare(session: s, clusterKey: ready.clusterKey, to: p.record.id!, via: request.via)
        } catch let refused as SpareError {
            // Another labctl took it (or gave this person a cluster) meanwhile: take the key back off.
            await edit.runIgnoringResults(AuthorizedKeyEdit.remove(p.key.keyLine), on: nodes)
            throw WorkflowError.notOK("\(refused.description)\n  \(p.name)'s key was taken off \(ready.clusterKey) again.")
        }
        try registry.enterState(session: s, discreteID: p.discreteID, .provisioned, detail: "spare \(ready.clusterKey) assigned")

        // Their own key on their new cluster: verify pins nothing new (the pin moved with it)
        // and moves them to ready, after which sheets and /me show the cluster.
        var verify = VerifySession.Request(session: s, workers: config.workerCount)
        verify.participants = [p.discreteID]
        verify.inventory = request.inventory?[ready.clusterKey].map { [p.discreteID: $0] }
        verify.user = request.user
        verify.hostTimeout = request.hostTimeout
        let verification = try await VerifySession(registry: registry).run(verify)
        let updated = try registry.participant(session: s, name: p.name) ?? p
        return Outcome(participant: updated, spare: ready.clusterKey, hosts: hosts, verification: verification)
    }
}
