import Foundation
import LabCore
import LabStore
import LabWorkflows

/// What the dashboard and the admin API show about sessions, read from the store.
struct SessionOverview {
    let service: IntakeService

    /// Every session in the registry or with a `sessions/<name>.tfvars`: the same
    /// `SessionStatus` rows `labctl status --json` prints.
    func summaries() async throws -> [SessionStatus] {
        let service = service
        let list = ListSessionStatus(files: service.files, registry: service.registry, provisioner: service.lab?.provisioner,
                                     joinURL: { service.joinURL(code: $0) })
        return try await list(try list.knownSessions())
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
