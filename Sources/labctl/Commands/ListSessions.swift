import ArgumentParser
import Foundation
import LabCore
import LabWorkflows

/// `labctl list`: every session defined under sessions/.
struct ListSessions: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List the sessions in sessions/*.tfvars with sizes and participant counts.",
        discussion: "--json prints an array of {session, region, master_instance_type, worker_instance_type, worker_count, participants, error}."
    )

    @OptionGroup var global: GlobalOptions
    @Flag(help: "Print JSON.") var json = false

    struct Row: Encodable {
        var session: String
        @NullEncoded var region: String? = nil
        @NullEncoded var master_instance_type: String? = nil
        @NullEncoded var worker_instance_type: String? = nil
        @NullEncoded var worker_count: Int? = nil
        var participants: Int
        @NullEncoded var error: String? = nil
    }

    func run() throws {
        let lab = global.lab
        let registry = try lab.existingRegistry()
        let rows = try SessionListing.read(lab.files, registry: registry).map { entry in
            Row(session: entry.session, region: entry.config?.region, master_instance_type: entry.config?.masterInstanceType,
                worker_instance_type: entry.config?.workerInstanceType, worker_count: entry.config?.workerCount,
                participants: entry.participants, error: entry.problem)
        }
        if json {
            try JSONOutput.print(rows)
        } else if rows.isEmpty {
            print("No sessions in \(lab.display(lab.sessionsDirectory))/: create one with `labctl create-config session-1 --ssh-from CIDR`.")
        } else {
            let table = TextTable(header: ["SESSION", "REGION", "MASTER", "WORKER", "WORKERS", "PARTICIPANTS"])
            print(table.render(rows.map {
                [$0.session, $0.region ?? "-", $0.master_instance_type ?? "-", $0.worker_instance_type ?? "-",
                 $0.worker_count.map(String.init) ?? "-", String($0.participants)]
            }))
            for r in rows { if let e = r.error { Terminal.error(e) } }
        }
        if rows.contains(where: { $0.error != nil }) { throw LabFailure.silentNotOK }
    }
}
