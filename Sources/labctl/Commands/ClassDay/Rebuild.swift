import ArgumentParser
import Foundation
import LabCore
import LabProvision
import LabWorkflows

/// `labctl rebuild <session> <participant>…`: one broken cluster replaced, nobody else touched.
struct Rebuild: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Replace the named participants' clusters (their instances only), then optionally verify them.",
        discussion: """
        Runs `terraform apply -replace=… -target=…` with exactly the named participants'
        master and worker instances: nothing else of the session changes, nothing else
        pending is applied. Their old host-key pins and last verification are retired
        (audit log: host-key-retired); the new masters' keys are pinned by the next verify.
        Their /me page shows the new addresses at once. With --wait the rebuilt masters are
        verified, their sheets rewritten, and with --send mailed again, marked as a replacement.
          labctl rebuild session-1 ann.lee -y
          labctl rebuild session-1 ann.le bob.ki -y --wait --timeout 20m
          labctl rebuild session-1 ann.lee -y --wait --send --smtp 127.0.0.1:25
          labctl rebuild session-1 ann.lee -y --wait --send \\
            --smtp smtp.example.org --starttls --user lab --password-file ~/.smtp-pw
        A participant is given by name (first.last) or discrete id (first.la).
        Exit: 0 rebuilt (and, with --wait, ready), 1 failed or not ready, 2 usage.
        """
    )

    @OptionGroup var global: GlobalOptions
    @Argument(help: "The session (sessions/<name>.tfvars).") var session: String
    @Argument(help: "Participants to rebuild (name or discrete id).") var participants: [String] = []
    @Flag(name: .shortAndLong, help: "Do not ask for confirmation.") var yes = false
    @Flag(help: "Verify the rebuilt masters until they are ready (or --timeout passes).") var wait = false
    @Option(help: ArgumentHelp("How long --wait keeps trying (90s, 15m, 1h).", valueName: "duration"))
    var timeout = DurationArgument(seconds: 15 * 60)
    @Flag(name: .customLong("no-wait-lock"), help: "Fail at once if another labctl holds the session's lock.") var noWaitLock = false
    @Flag(help: "With --wait: mail the rebuilt participants their new sheet, marked as a replacement.") var send = false
    @OptionGroup(title: "Mail (with --send)") var mail: SMTPOptions
    @Option(help: ArgumentHelp("The sender for --send (default: trainer_email in the tfvars).", valueName: "addr")) var from: String?

    func validate() throws {
        try SessionName.validateArgument(session)
        if participants.isEmpty { throw ValidationError("Name at least one participant to rebuild, e.g. `labctl rebuild \(session) ann.lee`.") }
        if send && !wait { throw ValidationError("--send needs --wait: a sheet goes out only for a cluster verified ready.") }
        if send && mail.smtp == nil { throw ValidationError("--send needs --smtp HOST:PORT (the server to hand the mails to).") }
        if !send && (mail.isGiven || from != nil) { throw ValidationError("\(SMTPOptions.names) and --from go with --send.") }
    }

    func run() async throws {
        // The mail server's TLS settings and the login are checked before any cluster is replaced.
        if send { _ = try mail.makeClient() }
        let lab = global.lab
        let context = try lab.openContext()
        let useCase = RebuildParticipants(context)
        var request = RebuildParticipants.Request(session: session, participants: participants)
        request.waitForLock = !noWaitLock
        request.verifyTimeout = timeout.seconds
        if wait { request.verify = VerifySession.Request(session: session, workers: try lab.sessionConfig(session).workerCount) }
        let chosen = try useCase.select(request)
        // Before asking: a pending removal makes a targeted rebuild unsafe.
        try await PendingRemovals.refuseRebuild(session: session, registry: context.registry, provisioner: context.provisioner)
        if !yes {
            try Confirm.ask("Replace the cluster\(chosen.count == 1 ? "" : "s") of \(chosen.map(\.name).joined(separator: ", ")) in \(session) (everything on them is lost)?", expect: "yes")
        }
        Interrupts.installForwarding()
        let gate = ProgressGate(everyChange: Terminal.stderrIsTerminal)
        let outcome = try await useCase.run(request, onProgress: { p in if gate.shouldPrint(p) { Terminal.note("[\(session)] \(p.line)") } },
                                            onBusy: { Terminal.note("[\(session)] waiting: session is \($0)") })
        for p in outcome.rebuilt {
            let pin = outcome.retiredPins[p.discreteID].map { "; host key \($0) retired" } ?? ""
            print("\(p.name) (\(p.discreteID)): rebuilt\(pin)")
        }
        guard let verification = outcome.verification else {
            print("Next: `labctl verify \(session) \(outcome.rebuilt.map { "--participant \($0.discreteID)" }.joined(separator: " ")) --wait`, then `labctl sheets \(session) \(outcome.rebuilt.map { "--participant \($0.name)" }.joined(separator: " ")) --send --resend`.")
            return
        }
        print(VerifyRendering.table(verification.reports, names: verification.names))
        if !verification.allReady { throw LabFailure.silentNotOK }
        try reissueSheets(outcome.rebuilt.map(\.name))
    }

    /// The rebuilt participants' sheets, written again (new addresses and host keys) and,
    /// with --send, mailed again as a replacement: the `sheets` command does both.
    private func reissueSheets(_ names: [String]) throws {
        var args = ["--root", global.lab.root.path, "--db", global.lab.databasePath, session] + names.flatMap { ["--participant", $0] }
        if send { args += ["--send", "--resend", "--replacement"] + mail.arguments + (from.map { ["--from", $0] } ?? []) }
        let sheets = try Sheets.parse(args)
        try sheets.run()
    }
}
