import Foundation
import LabCore
import LabProvision
import LabStore

/// Reads `SessionStatus` for sessions: settings through `LabFiles`, counts, intake and
/// rooms from the registry, instances from the Terraform states. Used by `labctl status`
/// and by the server's admin API and dashboard, so both say the same thing.
public struct ListSessionStatus: Sendable {
    public var files: LabFiles?
    public var registry: Registry?
    public var provisioner: Provisioner?
    /// The join link for an open intake's code (a server knows its address; the CLI does not).
    public var joinURL: (@Sendable (String) -> String)?

    public init(files: LabFiles?, registry: Registry?, provisioner: Provisioner?, joinURL: (@Sendable (String) -> String)? = nil) {
        self.files = files; self.registry = registry; self.provisioner = provisioner; self.joinURL = joinURL
    }

    /// Every session the lab knows: a `sessions/<name>.tfvars` or a registry entry, by name.
    public func knownSessions() throws -> [String] {
        var names = Set(files?.configuredSessions() ?? [])
        names.formUnion(try registry?.sessions().map(\.name) ?? [])
        return names.filter { (try? SessionName.validate($0)) != nil }.sorted()
    }

    /// One status per name, in order; `rooms` adds each session's room (participant states).
    public func callAsFunction(_ names: [String], rooms: Bool = false, now: Date = Date()) async throws -> [SessionStatus] {
        let counts = try registry?.participantCounts() ?? [:]
        let deployed = try registry?.deploymentCounts() ?? [:]
        let intakes = Dictionary(try registry?.intakes().map { ($0.session, $0) } ?? [], uniquingKeysWith: { a, _ in a })
        let caps = ParticipantCap(files: files)
        // Every state read up front, in parallel: parsing them is what a big event's status costs.
        let states = try await provisioner?.readStates(names) ?? [:]
        return try names.map { s in
            var row = SessionStatus(session: s)
            row.participants = counts[s] ?? 0
            row.max_participants = caps.capOrDefault(for: s)
            row.clusters = deployed[s]?.clusters ?? 0
            row.ready = deployed[s]?.verifiedReady ?? 0
            if let intake = intakes[s] {
                row.intake = intake.isOpen ? "open" : "closed"
                if intake.isOpen { row.join_url = joinURL?(intake.code) }
            }
            if let files {
                do {
                    let c = try files.sessionConfig(s)
                    row.region = c.region; row.master_instance_type = c.masterInstanceType
                    row.worker_instance_type = c.workerInstanceType; row.worker_count = c.workerCount
                    Self.fill(&row, c.lifetime, now: now)
                    row.cost_usd_per_hour = try? SessionCost.estimate(c, participants: row.participants).perSessionHour.total
                } catch { row.config_error = "\(error)" }
            }
            if let state = states[s] {
                row.workspace = true
                row.resources = state.resourceCount
                row.instances = state.instances.map { .init(address: $0.address, id: $0.id, state: $0.state, public_ip: $0.publicIP, discrete_id: $0.discreteID, role: $0.role) }
                if let stopped = StoppedInstances(states: state.instances.map { ($0.id, $0.state) }, region: row.region) {
                    row.stopped = stopped.ids; row.start_command = stopped.startCommand
                }
            }
            if rooms, let registry { row.room = try SessionRoom.read(session: s, registry: registry) }
            return row
        }
    }

    static func fill(_ row: inout SessionStatus, _ lifetime: SessionLifetime, now: Date) {
        let standing = SessionEndPolicy.standing(lifetime, now: now)
        row.lifetime = standing.key
        row.lifetime_text = SessionEndPolicy.describe(standing)
        row.session_end = lifetime.end?.utcRFC3339
        row.seconds_left = lifetime.end.map { Int($0.date.timeIntervalSince(now).rounded(.down)) }
        if case .ended(_, let due) = standing { row.reap_due = due }
        row.end_problem = lifetime.endProblem
    }
}
