import ArgumentParser
import Foundation
import LabCore
import LabStore
import LabWorkflows

/// `labctl keys add <session> <name>`: registers one participant's key.
struct KeysAdd: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "add",
        abstract: "Add a participant to a session, or replace their key.",
        discussion: """
        The name is first.last (or "First Last"); labctl derives the discrete id
        (first.la) used in AWS names and assigns the cluster's pod network.
          labctl keys add session-1 jane.doe --file ~/Downloads/jane.pub
          labctl keys add session-1 "Zoë Müller" --key "ssh-ed25519 AAAA… zoe@laptop" --email zoe@example.org
        A key replaced after the participant's cluster was built goes onto its nodes
        over SSH (as `labctl keys push` does); Terraform keeps the key it was built with.
        """
    )

    @OptionGroup var target: SessionTarget
    @Argument(help: "The participant: first.last or \"First Last\".") var name: String

    @Option(help: ArgumentHelp("The public key line.", valueName: "line")) var key: String?
    @Option(help: ArgumentHelp("A .pub file with the key; - for standard input.", valueName: "path")) var file: String?
    @Option(help: "The participant's email (for connection sheets).") var email: String?
    @Option(name: .customLong("display-name"), help: "How to address the participant (default: from the name).") var displayName: String?
    @OptionGroup(title: "A key replaced after deploy") var push: KeyPushOptions

    func validate() throws {
        if (key == nil) == (file == nil) { throw ValidationError("Give the key with exactly one of --key LINE or --file PATH.") }
    }

    func run() async throws {
        let participant = try name.contains(" ") ? ParticipantName(displayName: name) : ParticipantName(canonical: name)
        let source = file ?? "--key"
        let parsed: Result<SSHPublicKey, KeyRefusal> = file.map { KeyFileReader.read(path: $0) }
            ?? Result { () throws(KeyRefusal) in try PublicKeyParser.parse(key!) }
        let publicKey: SSHPublicKey
        switch parsed {
        case .success(let k): publicKey = k
        case .failure(let refusal): throw LabFailure.notOK("\(source): \(refusal.message)")
        }
        let context = try target.lab.openContext()
        let registry = context.registry
        let outcome = try registry.register(session: target.session, name: participant,
                                            displayName: displayName ?? (name.contains(" ") ? name : nil),
                                            email: email, key: publicKey, via: .cli,
                                            participantCap: try ParticipantCap(files: target.lab.files).cap(for: target.session))
        let p = outcome.participant
        switch outcome {
        case .added:
            print("\(Terminal.green(Terminal.ok)) added \(p.name) to \(target.session): id \(p.discreteID), pod CIDR \(p.podCIDR), \(p.fingerprint)")
        case .keyReplaced(_, let previous):
            print("\(Terminal.green(Terminal.ok)) replaced the key of \(p.name) in \(target.session): \(previous) → \(p.fingerprint)")
            // After deploy: onto the cluster's nodes over SSH (nothing to do before).
            if try registry.hasClusters(session: target.session) {
                let outcome = try await PushParticipantKey(context).run(try push.request(session: target.session, participant: p.name))
                if case .noCluster = outcome {} else { try KeyPushOptions.report(outcome, session: target.session) }
            }
        case .unchanged:
            print("\(Terminal.ok) \(p.name) in \(target.session) already has this key (\(p.fingerprint)); nothing changed")
        }
    }
}
