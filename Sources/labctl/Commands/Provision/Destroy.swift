import ArgumentParser
import Foundation
import LabProvision

/// `labctl destroy s1 …`.
struct Destroy: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Tear down one or more sessions' clusters (state is backed up first).",
        discussion: """
        Asks you to type each session's name unless -y. The state is copied to
        .labctl/backups/ before Terraform runs; recorded outputs and pinned host keys
        are cleared only after a successful destroy. Participants stay registered.
          labctl destroy session-1
        """
    )

    @OptionGroup var global: GlobalOptions
    @OptionGroup var options: SessionsOptions
    @Flag(name: .shortAndLong, help: "Do not ask for confirmation.") var yes = false

    func run() async throws {
        let lab = global.lab
        let registry = try lab.openRegistry()
        if !yes { for s in options.sessions { try Confirm.ask("Destroy every cluster of session \(s)?", expect: s) } }
        let outcomes = await SessionRunner(lab: lab, registry: registry, verb: .destroy,
                                           parallel: options.parallel ?? options.sessions.count, wait: !options.noWait)
            .run(options.sessions) { session, _ in
                try registry.recordClusters(session: session, [])
                for key in try registry.hostKeys(session: session) { try registry.unpinHostKey(session: session, discreteID: key.discreteID) }
                return "outputs and pinned host keys cleared"
            }
        SessionRunner.printSummary(outcomes, lab: lab)
        if outcomes.contains(where: { !$0.ok }) { throw LabFailure.silentNotOK }
    }
}
