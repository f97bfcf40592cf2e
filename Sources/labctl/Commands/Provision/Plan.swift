import ArgumentParser
import LabProvision
import LabWorkflows

/// `labctl plan s1 s2 …`.
struct Plan: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Show what Terraform would change for one or more sessions (in parallel).",
        discussion: "  labctl plan session-1 session-2"
    )

    @OptionGroup var global: GlobalOptions
    @OptionGroup var options: SessionsOptions

    func run() async throws {
        let lab = global.lab
        let registry = try lab.openRegistry()
        try DeployPreflight.requireDeployable(options.sessions, files: lab.files, registry: registry)
        let outcomes = await SessionRunner(lab: lab, registry: registry, verb: .plan,
                                           parallel: options.parallel ?? options.sessions.count, wait: !options.noWait).run(options.sessions)
        SessionRunner.printSummary(outcomes, lab: lab)
        try await PlanReplacements.print(outcomes.filter(\.ok).map(\.session), lab: lab, registry: registry, wait: !options.noWait)
        if outcomes.contains(where: { !$0.ok }) { throw LabFailure.silentNotOK }
    }
}
