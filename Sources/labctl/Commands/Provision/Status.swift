import ArgumentParser
import Foundation
import LabCore
import LabProvision
import LabStore
import LabWorkflows

/// `labctl status [session…]`: config, participants, workspace, resources, instances.
struct Status: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Show sessions' config, participants, deployed resources and instances.",
        discussion: """
        Reads the Terraform state directly (no terraform process per session for the
        local backend), so it is fast for many sessions. Without arguments: every session.
          labctl status
          labctl status session-1 --json
        Naming sessions also prints each one's room: every participant's state (key-received,
        provisioned, booting, ready, failed, rebuilt), since when, the last check, and the
        session's time to ready (p50/p95 from apply start to verified ready).
        Instances shut down from inside (stopped) are named with the command that starts
        them; the instance states are those the last `labctl apply` read.
        """
    )

    @OptionGroup var global: GlobalOptions
    @Argument(help: "Sessions to show (default: all in sessions/).") var sessions: [String] = []
    @Flag(help: "Print JSON.") var json = false

    struct InstanceJSON: Encodable { var address: String; var id: String?; var state: String?; var public_ip: String?; var discrete_id: String?; var role: String? }
    struct Row: Encodable {
        var session: String
        var config_error: String?
        var region: String?
        var master_instance_type: String?
        var worker_instance_type: String?
        var worker_count: Int?
        var participants: Int
        var workspace: Bool
        var resources: Int
        var instances: [InstanceJSON]
        var recorded_clusters: Int
        var verified_ready: Int
        /// The session's end (UTC RFC 3339), where it stands, seconds left (negative: ended).
        var session_end: String?
        var lifetime: String?
        var seconds_left: Int?
        var reap_due: Bool?
        var end_problem: String?
        /// Instances the state records as stopped (a power-off from inside a node) and the command that starts them.
        var stopped: [String]?
        var start_command: String?
        /// Per participant state and time-to-ready; only for sessions named on the command line.
        var room: SessionRoom?
    }

    func run() async throws {
        let lab = global.lab
        let provisioner = lab.provisioner()
        let names = sessions.isEmpty ? lab.files.configuredSessions() : sessions
        let registry = try lab.existingRegistry()
        let counts = try registry?.participantCounts() ?? [:]
        let deployed = try registry?.deploymentCounts() ?? [:]
        // Every state read up front, in parallel: parsing them is what a big event's status costs.
        let states = try await provisioner.readStates(names)
        var rows: [Row] = []
        for s in names {
            var row = Row(session: s, participants: counts[s] ?? 0, workspace: false, resources: 0, instances: [],
                          recorded_clusters: deployed[s]?.clusters ?? 0, verified_ready: deployed[s]?.verifiedReady ?? 0)
            do {
                let c = try lab.sessionConfig(s)
                row.region = c.region; row.master_instance_type = c.masterInstanceType
                row.worker_instance_type = c.workerInstanceType; row.worker_count = c.workerCount
                StatusLifetime.fill(&row, c.lifetime)
            } catch { row.config_error = (error as? LabFailure)?.message ?? "\(error)" }
            if let state = states[s] {
                row.workspace = true
                row.resources = state.resourceCount
                row.instances = state.instances.map { InstanceJSON(address: $0.address, id: $0.id, state: $0.state, public_ip: $0.publicIP, discrete_id: $0.discreteID, role: $0.role) }
                if let stopped = StoppedInstances(states: state.instances.map { ($0.id, $0.state) }, region: row.region) {
                    row.stopped = stopped.ids; row.start_command = stopped.startCommand
                }
            }
            if !sessions.isEmpty, let registry { row.room = try SessionRoom.read(session: s, registry: registry) }
            rows.append(row)
        }
        if json { return try JSONOutput.print(rows) }
        print(TextTable(header: ["SESSION", "SIZE", "PARTICIPANTS", "WORKSPACE", "RESOURCES", "INSTANCES", "READY", "END"]).render(rows.map { r in
            let size = r.config_error == nil ? "\(r.master_instance_type ?? "?")+\(r.worker_count ?? 0)×\(r.worker_instance_type ?? "?")" : "config error"
            let running = r.instances.filter { $0.state == "running" }.count
            return [r.session, size, String(r.participants), r.workspace ? "yes" : "-", String(r.resources),
                    r.instances.isEmpty ? "-" : "\(running)/\(r.instances.count) running",
                    r.recorded_clusters == 0 ? "-" : "\(r.verified_ready)/\(r.recorded_clusters)", StatusLifetime.cell(r)]
        }))
        for r in rows { if let room = r.room { print(StatusRoom.render(room)) } }
        for r in rows { if let e = r.config_error { Terminal.error(e) } }
        for r in rows { if let ids = r.stopped, let command = r.start_command {
            Terminal.warning("\(r.session): \(ids.count) instance(s) stopped (shut down from inside, as of the last `labctl apply`): \(ids.joined(separator: " ")); start them with `\(command)`.")
        } }
        StatusLifetime.warn(rows)
    }
}
