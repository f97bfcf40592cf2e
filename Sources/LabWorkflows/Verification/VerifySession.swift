import Foundation
import LabCore
import LabStore
import LabVerify

/// Verify and record: checks every selected participant's master over SSH, pins
/// host keys in the registry and stores each result (sheets and the dashboard read them).
public struct VerifySession: Sendable {
    /// Where a master answers: recorded by `apply`, or from an inventory (rehearsals).
    public struct Address: Sendable, Equatable {
        public var host: String
        public var port: Int
        public init(host: String, port: Int) { self.host = host; self.port = port }
    }

    public struct Request: Sendable {
        public var session: String
        /// Names or discrete ids; empty: everyone.
        public var participants: [String] = []
        /// Replaces the recorded addresses when set; `inventoryName` names it in messages.
        public var inventory: [String: Address]?
        public var inventoryName = "the inventory"
        public var user = "ubuntu"
        /// nil: the session's operator key.
        public var identity: SSHIdentity?
        public var workers: Int
        public var hostTimeout: TimeInterval = 20
        public var parallel = 32
        /// Pins to drop before checking (after a deliberate re-deploy).
        public var forgetHostKeys: [String] = []

        public init(session: String, workers: Int) {
            self.session = session
            self.workers = workers
        }
    }

    public struct Outcome: Sendable {
        /// One report per selected participant, in the participants' order.
        public var reports: [MasterReport]
        /// Discrete id → name, for display.
        public var names: [String: String]
        /// Inventory entries that are no participant of the session.
        public var strangers: [String]
        public var allReady: Bool { reports.allSatisfy(\.ready) }
    }

    public let registry: Registry
    public init(registry: Registry) { self.registry = registry }

    /// `wait`: re-check until all are ready or `timeout`; `onRound` sees each round,
    /// `onReport` each finished host of a single pass.
    public func run(_ request: Request, wait: Bool = false, timeout: TimeInterval = 15 * 60,
                    onRound: @escaping @Sendable ([MasterReport]) -> Void = { _ in },
                    onReport: @escaping @Sendable (MasterReport) -> Void = { _ in }) async throws -> Outcome {
        let session = request.session
        let everyone = try registry.participants(in: session)
        // Free spare clusters are checked too (everyone, or when named by their key): with
        // the operator key in the place of a participant's, since nobody else has one there.
        let freeSpares = try registry.spares(session: session).filter(\.isFree).map(\.clusterKey)
        let wantedPeople = request.participants.filter { !freeSpares.contains($0) }
        let wantedSpares = request.participants.isEmpty ? freeSpares : request.participants.filter { freeSpares.contains($0) }
        let selected = (!request.participants.isEmpty && wantedPeople.isEmpty) || (everyone.isEmpty && !wantedSpares.isEmpty)
            ? [] : try Self.select(wantedPeople, from: everyone, session: session)
        let login = try request.identity ?? operatorIdentity(session)
        let addresses = try request.inventory ?? recordedAddresses(session)
        for id in request.forgetHostKeys { try registry.unpinHostKey(session: session, discreteID: id) }

        var targets: [MasterTarget] = []
        var unaddressed: [MasterReport] = []
        for p in selected {
            if let a = addresses[p.discreteID] {
                targets.append(MasterTarget(discreteID: p.discreteID, host: a.host, port: a.port, participantKeyFingerprint: p.fingerprint))
            } else {
                var checks = CheckSet()
                checks[.tcp] = .fail(request.inventory == nil
                    ? "no master address recorded; run `labctl output \(session)` after `labctl apply \(session)`"
                    : "not in \(request.inventoryName)")
                checks.fillUnset(.skipped("not attempted: no address"))
                unaddressed.append(MasterReport(target: MasterTarget(discreteID: p.discreteID, host: "", port: 0, participantKeyFingerprint: p.fingerprint),
                                                checks: checks, nodesReady: nil, nodesExpected: 1 + request.workers, hostKey: nil))
            }
        }
        // A spare not deployed yet (no address) is simply not checked.
        if !wantedSpares.isEmpty, let operatorKey = try registry.sessionSecret(session).flatMap({ try? PublicKeyParser.parse($0.operatorPublicKey) }) {
            for key in wantedSpares { if let a = addresses[key] {
                targets.append(MasterTarget(discreteID: key, host: a.host, port: a.port, participantKeyFingerprint: operatorKey.fingerprint))
            } }
        }
        let spareIDs = targets.map(\.discreteID).filter { freeSpares.contains($0) }
        let known = Set(everyone.map(\.discreteID) + freeSpares)
        let strangers = request.inventory == nil ? [] : addresses.keys.sorted().filter { !known.contains($0) }

        let options = VerifyOptions(user: request.user, identity: login, expectedNodes: 1 + request.workers,
                                    hostTimeout: request.hostTimeout, parallel: request.parallel)
        let verifier = ReadinessVerifier(options: options, pinning: try RegistryHostKeyPins(registry: registry, session: session))
        let notAttempted = unaddressed
        let reports = wait
            ? await verifier.waitUntilReady(targets, timeout: timeout) { onRound($0 + notAttempted) }
            : await verifier.verify(targets, onReport: onReport)
        try registry.saveVerifications(reports.map { VerificationRecorder.record($0, session: session) })
        try ParticipantStateTracker.verified(session: session, reports: reports, gaveUp: wait, registry: registry)

        let byID = Dictionary(uniqueKeysWithValues: (reports + unaddressed).map { ($0.target.discreteID, $0) })
        return Outcome(reports: selected.compactMap { byID[$0.discreteID] } + spareIDs.compactMap { byID[$0] },
                       names: Dictionary(uniqueKeysWithValues: selected.map { ($0.discreteID, $0.name) } + spareIDs.map { ($0, "(spare)") }),
                       strangers: strangers)
    }

    /// Everyone, or the participants named (by name or discrete id), each once.
    static func select(_ wanted: [String], from everyone: [Participant], session: String) throws -> [Participant] {
        guard !everyone.isEmpty else {
            throw WorkflowError.usage("session \(session) has no participants, so there is nothing to verify.\n  Add some with `labctl keys import \(session)` or `labctl open \(session)`, then `labctl apply \(session)`.")
        }
        guard !wanted.isEmpty else { return everyone }
        var chosen: [Participant] = []
        for name in wanted {
            guard let p = everyone.first(where: { $0.name == name || $0.discreteID == name }) else {
                throw WorkflowError.usage("--participant \(name): no such participant in \(session).\n  See `labctl keys list \(session)` for names and discrete ids.")
            }
            if !chosen.contains(p) { chosen.append(p) }
        }
        return chosen
    }

    private func operatorIdentity(_ session: String) throws -> SSHIdentity {
        guard let secret = try registry.sessionSecret(session) else {
            throw WorkflowError.usage("session \(session) has no operator key yet: labctl generates it on the first deploy.\n  Run `labctl apply \(session)` first, or pass --identity FILE with a key the masters accept.")
        }
        return .privateKey(pem: secret.operatorPrivateKey)
    }

    private func recordedAddresses(_ session: String) throws -> [String: Address] {
        let clusters = try registry.clusters(session: session)
        guard !clusters.isEmpty else {
            throw WorkflowError.usage("session \(session) has no recorded master addresses.\n  Run `labctl apply \(session)` (or `labctl output \(session)` after an apply), or pass --inventory FILE.")
        }
        var result: [String: Address] = [:]
        for c in clusters { if let ip = c.masterPublicIP { result[c.discreteID] = Address(host: ip, port: 22) } }
        return result
    }
}

/// A master's report as the registry keeps it.
public enum VerificationRecorder {
    public static func record(_ r: MasterReport, session: String) -> VerificationRecord {
        VerificationRecord(session: session, discreteID: r.target.discreteID, host: r.target.host, port: r.target.port,
                           ready: r.ready, checks: r.checks, nodesReady: r.nodesReady,
                           nodesExpected: r.nodesExpected, checkedAt: r.checkedAt)
    }
}
