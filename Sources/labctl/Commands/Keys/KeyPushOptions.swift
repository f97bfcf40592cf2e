import ArgumentParser
import LabWorkflows

/// How `keys add` and `keys push` reach a participant's nodes for a key replaced after deploy.
struct KeyPushOptions: ParsableArguments {
    @Option(help: ArgumentHelp("JSON inventory {\"<id>\": {\"host\": …, \"port\": …}, \"<id>/worker-1\": …} replacing the recorded addresses (rehearsals).", valueName: "file"))
    var inventory: String?
    @Option(help: ArgumentHelp("Login user on the nodes.", valueName: "user")) var user = "ubuntu"
    @Option(name: .customLong("host-timeout"), help: ArgumentHelp("Budget for one node (TCP, SSH, command).", valueName: "duration"))
    var hostTimeout = DurationArgument(seconds: 20)

    func validate() throws {
        if user.isEmpty { throw ValidationError("--user must not be empty.") }
    }

    func request(session: String, participant: String) throws -> PushParticipantKey.Request {
        var request = PushParticipantKey.Request(session: session, participant: participant)
        request.user = user
        request.hostTimeout = hostTimeout.seconds
        if let inventory { request.inventory = try VerifyInventory.load(inventory) }
        return request
    }

    /// Prints what the push did; throws exit 1 when the key is not on every node.
    static func report(_ outcome: PushParticipantKey.Outcome, session: String) throws {
        let p = outcome.participant
        switch outcome {
        case .noCluster:
            print("\(p.name) has no cluster in \(session) yet: the next `labctl apply \(session)` builds it with this key.")
        case .pushed(_, let hosts):
            for h in hosts { print("\(Terminal.ok) \(h.node): \(h.detail)") }
            print("\(p.name)'s key \(p.fingerprint) is on their cluster; earlier keys are off it. Terraform keeps the key the cluster was built with: no apply or extend replaces it.")
        case .failed(_, let hosts, let retry):
            for h in hosts { print("\(h.ok ? Terminal.ok : Terminal.red(Terminal.bad)) \(h.node): \(h.detail)") }
            throw LabFailure.notOK("\(p.name)'s new key \(p.fingerprint) is stored but not on every node of their cluster yet (see above); their earlier key may still open it.\n  Once the nodes answer, run `\(retry)`.")
        }
    }
}
