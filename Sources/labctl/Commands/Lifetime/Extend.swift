import ArgumentParser
import Foundation
import LabCore
import LabWorkflows

/// `labctl extend <session> --until T`: moves the session's end everywhere.
struct Extend: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Move a session's end: tfvars, ExpiresAt tags and the timers on the running nodes.",
        discussion: """
        Writes session_end into sessions/<session>.tfvars (the sheets and /me show it),
        applies Terraform so every resource's ExpiresAt tag follows (no instance is
        replaced), then sets the dead-man timer on every master and worker over SSH
        with the session's operator key: they now switch off at the new end + grace.
          labctl extend session-1 --until 2026-12-05T17:00:00+01:00
          labctl extend session-1 --until "2026-12-05 17:00 Europe/Berlin" --no-apply
        Exit 1 if Terraform failed or a node could not be reached (its timer still
        holds the old time: run extend again when it answers).
        """
    )

    @OptionGroup var target: SessionTarget
    @Option(help: ArgumentHelp("The new end, with its zone: 2026-12-05T17:00:00+01:00 or \"2026-12-05 17:00 Europe/Berlin\".", valueName: "time"))
    var until: String
    @Flag(name: .customLong("no-apply"), help: "Do not run Terraform (tags follow at the next apply); tfvars and timers only.") var noApply = false
    @Option(help: ArgumentHelp("JSON {\"<id>\": {\"host\": …, \"port\": …}, \"<id>/worker-1\": …} replacing the recorded addresses (rehearsals).", valueName: "file"))
    var inventory: String?
    @Option(help: "SSH user on the nodes.") var user = "ubuntu"
    @Option(name: .customLong("host-timeout"), help: "Per-node SSH deadline.") var hostTimeout = DurationArgument(seconds: 20)
    @Flag(help: "Print JSON.") var json = false

    struct Report: Encodable {
        var session: String
        var previous_end: String?
        var session_end: String
        var session_end_utc: String
        var shutdown_at: String
        var terraform: String?
        var nodes: [ExtendSession.HostResult]
        var ok: Bool
    }

    func run() async throws {
        guard let end = SessionEnd.parse(until) else { throw LabFailure.usage(SessionEnd.problem(until, name: "--until")) }
        let lab = target.lab
        let context = try lab.openContext()
        var request = ExtendSession.Request(session: target.session, until: end)
        request.applyTerraform = !noApply
        request.user = user
        request.hostTimeout = hostTimeout.seconds
        if let inventory {
            request.inventory = try VerifyInventory.load(inventory)
        }
        if request.applyTerraform { Interrupts.installForwarding() }
        let outcome = try await ExtendSession(context).run(request, onEvent: ProgressPrinter().show)
        let terraform = outcome.terraform.map { $0.ok ? "applied" : ($0.error ?? "failed") }
        if json {
            try JSONOutput.print(Report(session: target.session, previous_end: outcome.previousEnd?.text, session_end: end.text,
                                        session_end_utc: end.utcRFC3339, shutdown_at: outcome.shutdownAt, terraform: terraform,
                                        nodes: outcome.hosts, ok: outcome.ok))
        } else {
            print("\(target.session): session_end \(outcome.previousEnd?.human ?? "(none)") → \(end.human); nodes switch off at \(outcome.shutdownAt)")
            if let terraform { print("terraform: \(outcome.terraform!.ok ? Terminal.green(terraform) : Terminal.red(terraform))") }
            if outcome.hosts.isEmpty { print("no recorded nodes: nothing deployed, or run `labctl output \(target.session)`") }
            for h in outcome.hosts {
                print("  \(h.ok ? Terminal.green(Terminal.ok) : Terminal.red("✗")) \(h.node) (\(h.host):\(h.port)): \(h.detail)")
            }
            if outcome.ok { print("Next: `labctl sheets \(target.session)` so the participants' sheets show the new end.") }
        }
        if !outcome.ok { throw LabFailure.silentNotOK }
    }
}
