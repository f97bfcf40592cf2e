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

    func run() async throws {
        let lab = global.lab
        let names = sessions.isEmpty ? lab.files.configuredSessions() : sessions
        let list = ListSessionStatus(files: lab.files, registry: try lab.existingRegistry(), provisioner: lab.provisioner())
        let rows = try await list(names, rooms: !sessions.isEmpty)
        if json { return try JSONOutput.print(rows) }
        print(TextTable(header: ["SESSION", "SIZE", "PARTICIPANTS", "WORKSPACE", "RESOURCES", "INSTANCES", "READY", "END"]).render(rows.map { r in
            let size = r.config_error == nil ? "\(r.master_instance_type ?? "?")+\(r.worker_count ?? 0)×\(r.worker_instance_type ?? "?")" : "config error"
            let running = r.instances.filter { $0.state == "running" }.count
            return [r.session, size, String(r.participants), r.workspace ? "yes" : "-", String(r.resources),
                    r.instances.isEmpty ? "-" : "\(running)/\(r.instances.count) running",
                    r.clusters == 0 ? "-" : "\(r.ready)/\(r.clusters)", StatusLifetime.cell(r)]
        }))
        for r in rows { if let room = r.room { print(StatusRoom.render(room)) } }
        for r in rows { if let e = r.config_error { Terminal.error(e) } }
        for r in rows { if let ids = r.stopped, let command = r.start_command {
            Terminal.warning("\(r.session): \(ids.count) instance(s) stopped (shut down from inside, as of the last `labctl apply`): \(ids.joined(separator: " ")); start them with `\(command)`.")
        } }
        StatusLifetime.warn(rows)
    }
}
