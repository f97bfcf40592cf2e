import ArgumentParser
import LabWorkflows

/// `labctl keys push <session> <participant>`: puts a key replaced after deploy onto the cluster.
struct KeysPush: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "push",
        abstract: "Put a participant's current key onto their deployed cluster (over SSH, no Terraform run).",
        discussion: """
        A key replaced after the participant's cluster was built (on /me or with
        `labctl keys add`) goes onto the master's and workers' ~/.ssh/authorized_keys
        over SSH with the operator key and the pinned host key; their earlier keys are
        taken off and the file is read back. Terraform keeps the key the cluster was
        built with, so no apply or extend replaces the cluster. `keys add` and /me do
        this by themselves; run it again when they report a node they could not reach.
          labctl keys push session-1 ann.lee
        Exit: 0 on every node, 1 a node not reached (the key stays stored), 2 usage.
        """
    )

    @OptionGroup var target: SessionTarget
    @Argument(help: "The participant (name or discrete id).") var participant: String
    @OptionGroup var push: KeyPushOptions

    func run() async throws {
        let context = try target.lab.openContext()
        let outcome = try await PushParticipantKey(context).run(try push.request(session: target.session, participant: participant))
        try KeyPushOptions.report(outcome, session: target.session)
    }
}
