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
        let context = try lab.openContext()
        try DeployPreflight.requireDeployable(options.sessions, files: context.files, registry: context.registry)
        let outcomes = await RunSessions(context, .plan, parallel: options.parallel ?? options.sessions.count, waitForLock: !options.noWait)
            .runShowingProgress(options.sessions)
        try await PlanReplacements.print(outcomes.filter(\.ok).map(\.session), context: context, wait: !options.noWait)
        if outcomes.contains(where: { !$0.ok }) { throw LabFailure.silentNotOK }
    }
}
