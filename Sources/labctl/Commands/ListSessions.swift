import ArgumentParser
import Foundation
import LabCore
import LabStore

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
        let files = ((try? FileManager.default.contentsOfDirectory(atPath: lab.sessionsDirectory.path)) ?? [])
            .filter { $0.hasSuffix(".tfvars") }.sorted()
        // Reading must not create a database as a side effect.
        let counts = FileManager.default.fileExists(atPath: lab.databasePath) ? try lab.openRegistry().participantCounts() : [:]
        let rows: [Row] = files.map { file in
            let session = String(file.dropLast(".tfvars".count))
            let url = lab.sessionsDirectory.appendingPathComponent(file)
            let text = (try? String(contentsOf: url, encoding: .utf8)) ?? ""
            do {
                let config = try SessionConfig.parse(text, file: lab.display(url), expectedSession: session)
                return Row(session: session, region: config.region, master_instance_type: config.masterInstanceType,
                           worker_instance_type: config.workerInstanceType, worker_count: config.workerCount,
                           participants: counts[session] ?? 0, error: nil)
            } catch {
                return Row(session: session, participants: counts[session] ?? 0, error: "\(error)")
            }
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
