import ArgumentParser
import Foundation
import LabStore
import LabWorkflows

/// `labctl keys list <session>`.
struct KeysList: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List a session's participants with discrete id, fingerprint and pod CIDR.",
        discussion: "--json prints an array of {name, display_name, email (when given), discrete_id, fingerprint, pod_cidr, added_at}, as the admin API lists them."
    )

    @OptionGroup var target: SessionTarget
    @Flag(help: "Print JSON.") var json = false

    func run() throws {
        let participants = try target.lab.openRegistry().participants(in: target.session)
        let rows = participants.map(ParticipantListing.init)
        if json { return try JSONOutput.print(rows) }
        guard !rows.isEmpty else {
            print("No participants in \(target.session) yet: add some with `labctl keys add \(target.session) first.last --file KEY.pub` or `labctl keys import \(target.session)`.")
            return
        }
        let table = TextTable(header: ["NAME", "ID", "POD CIDR", "FINGERPRINT", "ADDED"])
        let formatter = ISO8601DateFormatter()
        print(table.render(rows.map { [$0.name, $0.discrete_id, $0.pod_cidr, $0.fingerprint, formatter.string(from: $0.added_at)] }))
        print("\(rows.count) participant(s)")
    }
}
