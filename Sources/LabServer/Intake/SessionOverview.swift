import Foundation
import LabCore
import LabStore
import LabWorkflows

/// What the dashboard and the admin API show about sessions, read from the store.
struct SessionOverview {
    let service: IntakeService

    struct Summary: Encodable {
        var session: String
        var participants: Int
        /// The session's `max_participants`; at it, joins answer `session-full`.
        var max_participants: Int
        var intake: String
        var join_url: String?
        var clusters: Int
        var ready: Int
        /// The end (UTC RFC 3339) and where the session stands: running, ending_soon, ended, no_end, unreadable.
        var session_end: String?
        var lifetime: String?
        /// "3h 20m left", "ended 2h ago", "no end (never switched off)".
        var lifetime_text: String?
    }

    /// Every session in the registry, plus those with only a `sessions/<name>.tfvars`.
    func summaries() throws -> [Summary] {
        let registry = service.registry
        let counts = try registry.participantCounts()
        let intakes = Dictionary(uniqueKeysWithValues: try registry.intakes().map { ($0.session, $0) })
        var names = Set(try registry.sessions().map(\.name))
        if let root = service.settings.labRoot,
           let files = try? FileManager.default.contentsOfDirectory(atPath: root.appendingPathComponent("sessions").path) {
            for file in files where file.hasSuffix(".tfvars") {
                let name = String(file.dropLast(7))
                if (try? SessionName.validate(name)) != nil { names.insert(name) }
            }
        }
        return try names.sorted().map { name in
            let intake = intakes[name]
            return Summary(session: name, participants: counts[name] ?? 0,
                           max_participants: service.participantCaps.capOrDefault(for: name), intake: state(intake).rawValue,
                           join_url: intake.flatMap { $0.isOpen ? service.joinURL(code: $0.code) : nil },
                           clusters: try registry.clusters(session: name).count,
                           ready: try registry.verifications(session: name).filter(\.ready).count)
                .withLifetime(service.settings.labRoot.flatMap { try? LabFiles(root: $0).sessionConfig(name).lifetime })
        }
    }

    func state(_ record: IntakeCodeRecord?) -> IntakeState {
        guard let record else { return .none }
        return record.isOpen ? .open : .closed
    }

    struct Detail {
        var session: String
        var intake: IntakeState
        var joinURL: String?
        var participants: [Participant]
        var maxParticipants: Int
        var clusters: [ClusterRecord]
        var verifications: [VerificationRecord]
        var hostKeys: [HostKeyRecord]
        var cost: CostSummary
        /// Every participant's class-day state and the time to ready.
        var room: SessionRoom?
    }

    /// One session; nil when the registry does not know it.
    func detail(_ session: String) throws -> Detail? {
        let registry = service.registry
        guard (try? SessionName.validate(session)) != nil,
              try registry.sessions().contains(where: { $0.name == session }) else { return nil }
        let intake = try registry.intake(session: session)
        let participants = try registry.participants(in: session)
        let clusters = try registry.clusters(session: session)
        return Detail(session: session, intake: state(intake),
                      joinURL: intake.flatMap { $0.isOpen ? service.joinURL(code: $0.code) : nil },
                      participants: participants, maxParticipants: service.participantCaps.capOrDefault(for: session), clusters: clusters,
                      verifications: try registry.verifications(session: session),
                      hostKeys: try registry.hostKeys(session: session),
                      cost: CostSummary.of(session: session, participants: participants.count, clusters: clusters,
                                          files: service.files, registry: registry),
                      room: try SessionRoom.read(session: session, registry: registry))
    }

    /// `ssh-ed25519 AAAA… first.last` per participant: the export download.
    static func keysText(_ participants: [Participant]) -> String {
        participants.map { p -> String in
            let fields = p.key.keyLine.split(separator: " ", maxSplits: 2)
            return fields.prefix(2).joined(separator: " ") + " " + p.name + "\n"
        }.joined()
    }
}

extension SessionOverview.Summary {
    /// The session's end as `labctl status` shows it (nil: no tfvars to read).
    func withLifetime(_ lifetime: SessionLifetime?, now: Date = Date()) -> Self {
        guard let lifetime else { return self }
        var copy = self
        let standing = SessionEndPolicy.standing(lifetime, now: now)
        copy.session_end = lifetime.end?.utcRFC3339
        copy.lifetime = standing.key
        copy.lifetime_text = SessionEndPolicy.describe(standing)
        return copy
    }
}
