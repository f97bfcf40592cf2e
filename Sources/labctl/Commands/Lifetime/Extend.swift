import ArgumentParser
import Foundation
import LabCore
import LabWorkflows

/// `labctl extend <session> --until T`: moves the session's end everywhere.
struct Extend: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Move a session's end: tfvars and the ExpiresAt/ShutdownAt tags the nodes read their power-off time from.",
        discussion: """
        Writes session_end into sessions/<session>.tfvars (the sheets and /me show it)
        and applies Terraform, which only retags: every resource's ExpiresAt and every
        instance's ShutdownAt (end + grace). Each node re-reads ShutdownAt from its
        instance metadata every 5 minutes and moves its power-off there; extend
        connects to no node, so AWS credentials are all it needs. Like apply, it plans
        first and refuses a change that would replace clusters (other edits pending in
        the tfvars) unless --replace-clusters.
          labctl extend session-1 --until 2026-12-05T17:00:00+01:00
          labctl extend session-1 --until "2026-12-05 17:00 Europe/Berlin" --no-apply
        Exit 1 if Terraform failed (the nodes keep the old time: run extend again).
        """
    )

    @OptionGroup var target: SessionTarget
    @Option(help: ArgumentHelp("The new end, with its zone: 2026-12-05T17:00:00+01:00 or \"2026-12-05 17:00 Europe/Berlin\".", valueName: "time"))
    var until: String
    @Flag(name: .customLong("no-apply"), help: "Do not run Terraform: the tfvars only (the tags, and with them the nodes, follow at the next apply).") var noApply = false
    @Flag(name: .customLong("replace-clusters"), help: "Accept a plan that replaces participants' clusters (without it, extend plans first and refuses).")
    var replaceClusters = false
    @Flag(help: "Print JSON.") var json = false

    struct Report: Encodable {
        var session: String
        var previous_end: String?
        var session_end: String
        var session_end_utc: String
        var shutdown_at: String
        var terraform: String?
        var ok: Bool
    }

    func run() async throws {
        guard let end = SessionEnd.parse(until) else { throw LabFailure.usage(SessionEnd.problem(until, name: "--until")) }
        let lab = target.lab
        let context = try lab.openContext()
        var request = ExtendSession.Request(session: target.session, until: end)
        request.applyTerraform = !noApply
        request.replaceClusters = replaceClusters
        if request.applyTerraform { Interrupts.installForwarding() }
        let session = target.session
        let outcome = try await ExtendSession(context).run(request, onBusy: { Terminal.note("[\(session)] waiting: session is \($0)") },
                                                           onEvent: ProgressPrinter().show)
        let terraform = outcome.terraform.map { $0.ok ? "applied" : ($0.error ?? "failed") }
        if json {
            try JSONOutput.print(Report(session: session, previous_end: outcome.previousEnd?.text, session_end: end.text,
                                        session_end_utc: end.utcRFC3339, shutdown_at: outcome.shutdownAt, terraform: terraform,
                                        ok: outcome.ok))
        } else {
            print("\(session): session_end \(outcome.previousEnd?.human ?? "(none)") → \(end.human); nodes switch off at \(outcome.shutdownAt)")
            if let terraform { print("terraform: \(outcome.terraform!.ok ? Terminal.green(terraform) : Terminal.red(terraform))") }
            if outcome.terraform?.ok == true {
                print("The nodes read the new time from their ShutdownAt tag within 5 minutes (no SSH needed).")
            } else if outcome.terraform == nil {
                print("Not applied: the tags, and the nodes' power-off time, follow at the next `labctl apply \(session)`.")
            }
            if outcome.ok { print("Next: `labctl sheets \(session)` so the participants' sheets show the new end.") }
        }
        if !outcome.ok { throw LabFailure.silentNotOK }
    }
}
