import ArgumentParser
import Foundation
import LabProvision
import LabStore
import LabWorkflows

/// `labctl apply s1 s2 …`: deploys sessions in parallel.
struct Apply: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Deploy one or more sessions (in parallel), then record their outputs.",
        discussion: """
        Each session is its own Terraform workspace (TF_WORKSPACE=<session>), so sessions
        applied together never switch each other's workspace. Logs: .labctl/logs/<session>/.
          labctl apply session-1 session-2 -y
          labctl apply session-1 --parallel 1 --no-wait
        Exit 1 if any session failed (the others still finish).
        """
    )

    @OptionGroup var global: GlobalOptions
    @OptionGroup var options: SessionsOptions
    @Flag(name: .shortAndLong, help: "Do not ask for confirmation.") var yes = false
    @Flag(name: .customLong("ssh-from-anywhere"), help: "Accept sessions whose allowed_ssh_cidrs open SSH to the whole internet (recorded in the audit log).")
    var sshFromAnywhere = false
    @Flag(name: .customLong("skip-preflight"), help: "Do not check the account's quotas and the zones' instance types first (`labctl preflight`).")
    var skipPreflight = false
    @Flag(name: .customLong("no-end"), help: "Deploy sessions without session_end: no dead-man switch, never reaped (recorded in the audit log; status shows it in red).")
    var noEnd = false
    @Flag(name: .customLong("replace-clusters"), help: "Accept a change that replaces participants' clusters (without it, apply plans first and refuses).")
    var replaceClusters = false

    func run() async throws {
        let lab = global.lab
        let context = try lab.openContext()
        let registry = context.registry
        try DeployPreflight.requireDeployable(options.sessions, files: lab.files, registry: registry)
        try DeployPreflight.requireSSHAccess(options.sessions, sshFromAnywhere: sshFromAnywhere, files: lab.files, registry: registry)
        try SessionEndPolicy.requireEnd(options.sessions, noEnd: noEnd, files: lab.files, registry: registry)
        try await ApplyPreflight.require(options.sessions, skip: skipPreflight, context: context)
        if !replaceClusters { try await ClassDayApplySteps.refuseClusterReplacement(options.sessions, context: context, wait: !options.noWait) }
        if !yes { try Confirm.ask("Deploy \(options.sessions.joined(separator: ", ")) to AWS (this creates billable resources)?", expect: "yes") }
        try await ClassDayApplySteps.removeLeavingWorkerNodes(options.sessions, context: context)
        let outcomes = await RunSessions(context, .apply, parallel: options.parallelOrDefault, waitForLock: !options.noWait)
            .runShowingProgress(options.sessions)
        if outcomes.contains(where: { !$0.ok }) { throw LabFailure.silentNotOK }
        print("Next: `labctl verify \(options.sessions.joined(separator: " "))` once the clusters have booted.")
    }
}

/// Asks on the terminal; without a terminal, says which flag skips the question.
enum Confirm {
    static func ask(_ question: String, expect: String) throws {
        guard isatty(STDIN_FILENO) == 1 else {
            throw LabFailure.usage("\(question) — no terminal to confirm on; pass -y to proceed without asking.")
        }
        FileHandle.standardError.writeBestEffort(Data("\(question) Type \(expect) to continue: ".utf8))
        guard readLine()?.trimmingCharacters(in: .whitespaces) == expect else {
            throw LabFailure.usage("Not confirmed; nothing was changed.")
        }
    }
}
