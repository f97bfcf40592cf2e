import ArgumentParser
import Foundation
import LabCore
import LabSheets
import LabWorkflows

/// `labctl assign <session> <participant>`: a late joiner gets the next ready spare cluster.
struct Assign: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Hand the next ready spare cluster to a participant who has none (no Terraform run).",
        discussion: """
        For someone who joins after `labctl apply`, when the session keeps spares
        (`spares = N` in sessions/<session>.tfvars, or `create-config --spares N`).
        The spares are checked as verify does (operator key, pinned host key, all nodes
        Ready); the first ready one gets the participant's key in the master's and the
        workers' ~/.ssh/authorized_keys (over SSH, operator key), the registry records it
        as theirs, their key is verified on it and their sheet is written. The next
        apply only moves its Participant/Cluster tags: nothing is rebuilt.
        `labctl serve` does the same by itself for a key that arrives after apply.
          labctl assign session-1 ann.lee
          labctl assign session-1 ann.le --json
        A participant is given by name (first.last) or discrete id (first.la).
        Exit: 0 assigned and ready, 1 no ready spare left (the participant stays
        registered and waits for the next apply) or not ready, 2 usage (unknown
        participant, session not applied, participant already has a cluster).
        """
    )

    @OptionGroup var global: GlobalOptions
    @Argument(help: "The session (sessions/<name>.tfvars).") var session: String
    @Argument(help: "The participant (name or discrete id).") var participant: String
    @Flag(help: "Print JSON: the spare given, each node's key installation, the verification.") var json = false
    @Option(help: ArgumentHelp("JSON inventory {\"spare_3\": {\"host\": …, \"port\": …}, \"spare_3/worker-1\": …} replacing the recorded addresses (rehearsals).", valueName: "file"))
    var inventory: String?
    @Option(help: ArgumentHelp("Login user on the nodes.", valueName: "user")) var user = "ubuntu"
    @Option(name: .customLong("host-timeout"), help: ArgumentHelp("Budget for one node (TCP, SSH, command).", valueName: "duration"))
    var hostTimeout = DurationArgument(seconds: 20)
    @Flag(name: .customLong("no-sheet"), help: "Do not write the participant's sheet (participant-access/<session>/).") var noSheet = false

    func validate() throws {
        try SessionName.validateArgument(session)
        if user.isEmpty { throw ValidationError("--user must not be empty.") }
    }

    struct JSONResult: Encodable {
        struct Host: Encodable { var node: String; var ok: Bool; var detail: String }
        var session: String
        var name: String
        var discrete_id: String
        var spare: String
        var pod_cidr: String
        var ready: Bool
        var hosts: [Host]
        var verification: [VerifyRendering.JSONReport]
    }

    func run() async throws {
        let lab = global.lab
        let context = try lab.openContext()
        var request = AssignSpare.Request(session: session, participant: participant)
        request.user = user
        request.hostTimeout = hostTimeout.seconds
        if let inventory {
            request.inventory = try VerifyInventory.load(inventory)
        }
        let outcome = try await AssignSpare(context).run(request)
        let p = outcome.participant
        if outcome.ready && !noSheet { try writeSheet(p.name, context: context) }
        if json {
            try JSONOutput.print(JSONResult(session: session, name: p.name, discrete_id: p.discreteID, spare: outcome.spare,
                                            pod_cidr: p.podCIDR, ready: outcome.ready,
                                            hosts: outcome.hosts.map { .init(node: $0.node, ok: $0.ok, detail: $0.detail) },
                                            verification: outcome.verification.reports.map(VerifyRendering.JSONReport.init)))
        } else {
            for h in outcome.hosts { print("\(h.ok ? Terminal.ok : Terminal.bad) \(h.node): \(h.detail)") }
            print("\(p.name) (\(p.discreteID)): spare \(outcome.spare) assigned, pod network \(p.podCIDR)")
            print(VerifyRendering.table(outcome.verification.reports, names: outcome.verification.names))
            print(outcome.ready
                  ? "Sheet: participant-access/\(session)/ (\(noSheet ? "not written: --no-sheet" : "written")). The next `labctl apply \(session)` moves only its tags."
                  : "Not ready with \(p.name)'s key yet: run `labctl verify \(session) --participant \(p.discreteID) --wait`, then `labctl sheets \(session) --participant \(p.name)`.")
        }
        if !outcome.ready { throw LabFailure.silentNotOK }
    }

    /// The participant's sheet (every format), as `labctl sheets --participant` writes it,
    /// without its printing (stdout may be JSON).
    private func writeSheet(_ name: String, context: LabContext) throws {
        var request = WriteSheets.Request(session: session)
        request.participants = [name]
        _ = try WriteSheets(context).run(request)
    }
}
