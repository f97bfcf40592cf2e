import ArgumentParser
import Foundation
import LabStore
import LabWorkflows

/// `labctl keys remove <session> <name>`, or a burst by time of registration.
struct KeysRemove: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "remove",
        abstract: "Remove a participant (and their keys) from a session, or everyone registered in a time window; their pod networks are freed.",
        discussion: """
          labctl keys remove session-1 jane.doe
          labctl keys remove session-1 --registered-after "2026-12-04 10:15" --dry-run
          labctl keys remove session-1 --registered-after "2026-12-04 10:15" \\
              --registered-before "2026-12-04 10:40" -y
        A window (a leaked join link) removes in one step everyone registered at
        or after --registered-after and before --registered-before, in this
        machine's local time unless a zone is given ("… 10:15 Europe/Berlin").
        It lists who goes first and asks (-y without a terminal).
        """
    )

    @OptionGroup var target: SessionTarget
    @Argument(help: "The participant's name (first.last); leave out with --registered-after/--registered-before.") var name: String?
    @Option(name: .customLong("registered-after"), help: ArgumentHelp("Remove everyone registered at or after this time.", valueName: "time"))
    var registeredAfter: String?
    @Option(name: .customLong("registered-before"), help: ArgumentHelp("…and before this time (default: now).", valueName: "time"))
    var registeredBefore: String?
    @Flag(name: .customLong("dry-run"), help: "List who would be removed; change nothing.") var dryRun = false
    @Flag(name: .shortAndLong, help: "Do not ask for confirmation (needed without a terminal).") var yes = false

    var isBurst: Bool { registeredAfter != nil || registeredBefore != nil }

    func validate() throws {
        if (name == nil) == !isBurst {
            throw ValidationError("Give a participant's name or a window (--registered-after TIME [--registered-before TIME]): one of the two.")
        }
        if !isBurst, dryRun { throw ValidationError("--dry-run goes with --registered-after/--registered-before.") }
    }

    func run() throws {
        let registry = try target.lab.openRegistry()
        guard isBurst, name == nil else {
            try registry.removeParticipant(session: target.session, name: name!, via: .cli)
            print("\(Terminal.green(Terminal.ok)) removed \(name!) from \(target.session)")
            return
        }
        let burst = RemoveRegistrationBurst(registry: registry)
        var request = RemoveRegistrationBurst.Request(
            session: target.session,
            from: try registeredAfter.map { try RemoveRegistrationBurst.parseTime($0, option: "--registered-after") },
            before: try registeredBefore.map { try RemoveRegistrationBurst.parseTime($0, option: "--registered-before") },
            dryRun: true)
        let listed = try burst.run(request, via: .cli)
        guard !listed.isEmpty else {
            print("Nobody in \(target.session) registered in that window; nothing to remove.")
            return
        }
        let table = TextTable(header: ["NAME", "ID", "POD CIDR", "REGISTERED"])
        print(table.render(listed.map { [$0.name, $0.discreteID, $0.podCIDR, RemoveRegistrationBurst.show($0.record.createdAt)] }))
        if dryRun {
            print("\(listed.count) participant(s) would be removed from \(target.session) (dry run: nothing changed).")
            return
        }
        if !yes { try Confirm.ask("Remove these \(listed.count) participant(s) from \(target.session)?", expect: "yes") }
        request.dryRun = false
        let removed = try burst.run(request, via: .cli)
        print("\(Terminal.green(Terminal.ok)) removed \(removed.count) participant(s) from \(target.session); their pod networks are free again.")
    }
}
