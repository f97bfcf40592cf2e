import Foundation
import LabCore
import LabStore

/// The room on class day: one row per participant (state, since when, the last check)
/// and how long the session took to get ready. Read by `labctl status <session>` and
/// the trainer dashboard.
public struct SessionRoom: Sendable, Codable, Equatable {
    public struct Row: Sendable, Codable, Equatable {
        public var name: String
        public var discreteID: String
        public var state: ParticipantState
        public var since: Date
        /// What caused the state (failing check, instance id, key fingerprint).
        @NullEncoded public var detail: String?
        @NullEncoded public var lastCheck: Date?
        /// "ready" or the first problem of the last verify.
        @NullEncoded public var lastCheckSummary: String?
        /// A key replaced after deploy that is not confirmed on the cluster yet: why, and the command to retry.
        @NullEncoded public var keyNotOnCluster: String?

        enum CodingKeys: String, CodingKey {
            case name, discreteID = "discrete_id", state, since, detail, lastCheck = "last_check", lastCheckSummary = "last_check_summary"
            case keyNotOnCluster = "key_not_on_cluster"
        }
    }

    public var session: String
    public var participants: [Row]
    public var timeToReady: TimeToReady
    /// Spare clusters for late joiners (all zero without `spares`).
    public var spares = SpareSummary(total: 0, left: 0, leftReady: 0, assigned: [])
    /// Whether anything is still to wait for (the dashboard refreshes itself while so).
    public var settled: Bool { participants.allSatisfy { $0.state.isReady } }

    enum CodingKeys: String, CodingKey { case session, participants, timeToReady = "time_to_ready", settled, spares }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(session, forKey: .session)
        try c.encode(participants, forKey: .participants)
        try c.encode(timeToReady, forKey: .timeToReady)
        try c.encode(settled, forKey: .settled)
        try c.encode(spares, forKey: .spares)
    }

    public static func read(session: String, registry: Registry) throws -> SessionRoom {
        let people = try registry.participants(in: session)
        var history: [String: [ParticipantStateRecord]] = [:]
        for entry in try registry.stateHistory(session: session) { history[entry.discreteID, default: []].append(entry.record) }
        let checks = Dictionary(try registry.verifications(session: session).map { ($0.discreteID, $0) }, uniquingKeysWith: { a, _ in a })
        let starts = try registry.applyStarts(session: session)
        let deployedKeys = try registry.deployedKeys(session: session)

        var durations: [TimeInterval] = []
        let rows = people.map { p -> Row in
            let mine = history[p.discreteID] ?? []
            if let d = TimeToReady.duration(history: mine.map { ($0.state, $0.enteredAt) }, applyStarts: starts) { durations.append(d) }
            let check = checks[p.discreteID]
            // No history only for a row the registry wrote outside its key table (never, today):
            // the key's arrival is the best-known state.
            return Row(name: p.name, discreteID: p.discreteID, state: mine.last?.state ?? .keyReceived,
                       since: mine.last?.enteredAt ?? p.key.addedAt, detail: mine.last?.detail,
                       lastCheck: check?.checkedAt,
                       lastCheckSummary: check.map { $0.ready ? "ready" : Self.summary($0.checks) },
                       keyNotOnCluster: deployedKeys[p.record.id!].flatMap { Self.keyNotOnCluster(p, $0) })
        }
        var room = SessionRoom(session: session, participants: rows, timeToReady: .of(durations))
        room.spares = try SpareSummary.read(session: session, registry: registry)
        return room
    }

    /// What the trainer reads for a replaced key not yet on the participant's nodes.
    public static func keyNotOnCluster(_ p: Participant, _ row: DeployedKeyRecord) -> String? {
        guard row.isPending(activeFingerprint: p.fingerprint) else { return nil }
        return "new key \(p.fingerprint) not on the cluster yet (\(row.pushError ?? "not pushed")); run `\(PushParticipantKey.retryCommand(session: p.record.session, participant: p.name))`"
    }

    static func summary(_ checks: CheckSet) -> String {
        guard let (name, result) = checks.firstProblem else { return "ready" }
        return "\(name.rawValue): \(result.reason ?? result.status.rawValue)"
    }
}

extension SessionRoom {
    /// `settled` is derived, so decoding reads past it.
    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(session: try c.decode(String.self, forKey: .session),
                  participants: try c.decode([Row].self, forKey: .participants),
                  timeToReady: try c.decode(TimeToReady.self, forKey: .timeToReady),
                  spares: try c.decode(SpareSummary.self, forKey: .spares))
    }
}
