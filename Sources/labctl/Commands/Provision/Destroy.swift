import ArgumentParser
import Foundation
import LabProvision
import LabWorkflows

/// `labctl destroy s1 …`.
struct Destroy: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Tear down one or more sessions' clusters (state is backed up first).",
        discussion: """
        Asks you to type each session's name unless -y. The state is copied to
        .labctl/backups/ before Terraform runs; recorded outputs and pinned host keys
        are cleared only after a successful destroy. Participants stay registered (and keep
        their pod CIDRs) for a later re-apply, unless --forget: then, after a successful
        destroy only, the session leaves the registry and its pod CIDRs are released.
          labctl destroy session-1
          labctl destroy session-1 -y --forget
        """
    )

    @OptionGroup var global: GlobalOptions
    @OptionGroup var options: SessionsOptions
    @Flag(name: .shortAndLong, help: "Do not ask for confirmation.") var yes = false
    @Flag(help: "After a successful destroy, remove the session from the registry and release its pod CIDRs.") var forget = false

    func run() async throws {
        let lab = global.lab
        let context = try lab.openContext()
        if !yes { for s in options.sessions { try Confirm.ask("Destroy every cluster of session \(s)?", expect: s) } }
        let outcomes = await RunSessions(context, .destroy(forget: forget), parallel: options.parallel ?? options.sessions.count,
                                         waitForLock: !options.noWait).runShowingProgress(options.sessions)
        if outcomes.contains(where: { !$0.ok }) { throw LabFailure.silentNotOK }
    }
}
