import ArgumentParser
import Foundation
import LabStore

/// `labctl keys list <session>`.
struct KeysList: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List a session's participants with discrete id, fingerprint and pod CIDR.",
        discussion: "--json prints an array of {name, discrete_id, fingerprint, pod_cidr, added_at}."
    )

    @OptionGroup var global: GlobalOptions
    @Argument(help: "The session.") var session: String
    @Flag(help: "Print JSON.") var json = false

    struct Row: Encodable {
        var name: String
        var discrete_id: String
        var fingerprint: String
        var pod_cidr: String
        var added_at: Date
    }

    func run() throws {
        let participants = try global.lab.openRegistry().participants(in: session)
        let rows = participants.map {
            Row(name: $0.name, discrete_id: $0.discreteID, fingerprint: $0.fingerprint, pod_cidr: $0.podCIDR, added_at: $0.record.createdAt)
        }
        if json { return try JSONOutput.print(rows) }
        guard !rows.isEmpty else {
            print("No participants in \(session) yet: add some with `labctl keys add \(session) first.last --file KEY.pub` or `labctl keys import \(session)`.")
            return
        }
        let table = TextTable(header: ["NAME", "ID", "POD CIDR", "FINGERPRINT", "ADDED"])
        let formatter = ISO8601DateFormatter()
        print(table.render(rows.map { [$0.name, $0.discrete_id, $0.pod_cidr, $0.fingerprint, formatter.string(from: $0.added_at)] }))
        print("\(rows.count) participant(s)")
    }
}
