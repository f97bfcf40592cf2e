import ArgumentParser
import Foundation
import LabWorkflows

/// `labctl reap`: destroys every session whose end + grace has passed.
struct Reap: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Destroy every deployed session whose session_end + grace has passed.",
        discussion: """
        Safe to run unattended: a session another labctl is working on is left for the
        next run, a session deployed with --no-end is only reported, the state is backed
        up before each destroy and each destroy has its own log (.labctl/logs/<session>/).
          labctl reap --dry-run              # what would go
          labctl reap -y                     # from cron or a systemd timer (docs/lifetime.md)
          labctl reap -y --grace 30m         # ignore shutdown_grace, use 30 minutes
        The instances switch themselves off at end + grace even if reap never runs;
        reap removes what is left (security groups, key pairs, state).
        Exit 1 if a destroy failed or a session's state could not be read (ACTION
        unknown: an unreachable S3 backend is not "nothing deployed"; cron mails it).
        """
    )

    @OptionGroup var global: GlobalOptions
    @Flag(name: .customLong("dry-run"), help: "Only report what would be destroyed.") var dryRun = false
    @Option(help: ArgumentHelp("How long after session_end a session is due (default: each session's shutdown_grace, else 2h).", valueName: "duration"))
    var grace: DurationArgument?
    @Flag(name: .shortAndLong, help: "Do not ask for confirmation (needed without a terminal).") var yes = false
    @Flag(help: "Print JSON.") var json = false

    func run() async throws {
        let reaper = ReapSessions(try global.lab.openContext())
        if !dryRun && !yes {
            let preview = try await reaper.run(dryRun: true, grace: grace?.seconds)
            let due = preview.entries.filter { $0.action == .wouldDestroy }.map(\.session)
            if !due.isEmpty { try Confirm.ask("Destroy \(due.joined(separator: ", ")) (their end + grace has passed)?", expect: "yes") }
        }
        if !dryRun { Interrupts.installForwarding() }
        let outcome = try await reaper.run(dryRun: dryRun, grace: grace?.seconds, onEvent: ProgressPrinter().show)
        if json {
            try JSONOutput.print(outcome.entries)
        } else if outcome.entries.isEmpty {
            print("nothing deployed")
        } else {
            print(TextTable(header: ["SESSION", "ACTION", "DETAIL"]).render(outcome.entries.map { e in
                let action = e.action == .failed || e.action == .unknown ? Terminal.red(e.action.rawValue)
                    : e.action == .destroyed ? Terminal.green(e.action.rawValue) : e.action.rawValue
                return [e.session, action, e.detail + (e.log.map { " log: \($0)" } ?? "")]
            }))
        }
        if outcome.failed { throw LabFailure.silentNotOK }
    }
}
