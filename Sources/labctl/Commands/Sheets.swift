import ArgumentParser
import Foundation
import LabCore
import LabSheets
import LabStore
import LabWorkflows

/// `labctl sheets <session>`: connection sheets, the trainer's overview and CSV, and mail.
struct Sheets: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sheets",
        abstract: "Write each participant's connection sheet (text, Markdown, HTML, .eml), the trainer's CSV and overview; optionally mail them.",
        discussion: """
        Templates: mail-templates/ (its README lists the variables). Masters not
        verified ready are skipped with a warning. Files go to
        participant-access/<session>/ (mode 0700), each replaced atomically.
          labctl sheets session-1
          labctl sheets session-1 --format html --participant jane.doe
          labctl sheets session-1 --send --smtp 127.0.0.1:25 --dry-run
          labctl sheets session-1 --send --smtp 127.0.0.1:25 --rate 30
          labctl sheets session-1 --send --smtp smtp.example.org --starttls \\
            --user lab@example.org --password-file ~/.smtp-password
        A re-run with --send mails only whom it has not mailed yet.
        Mail through a provider: --starttls (port 587) or --smtps (port 465);
        the server's certificate must verify against the system's trust store
        (or --ca-file) and be issued for the --smtp host. A login (--user) goes
        only over TLS or to a relay on this machine. Providers (Amazon SES,
        Google Workspace, Microsoft 365, Mailgun): docs/mail.md.
        Session end and trainer: session_end, trainer_name and trainer_email
        in sessions/<session>.tfvars, or the options below.
        """
    )

    @OptionGroup var global: GlobalOptions
    @Argument(help: "The session.") var session: String

    @Option(name: .customLong("format"), help: ArgumentHelp("txt, md, html, eml, csv or all (repeatable).", valueName: "format"))
    var formats: [String] = ["all"]
    @Option(help: ArgumentHelp("Where to write (default: participant-access/<session>/).", valueName: "dir")) var out: String?
    @Option(name: .customLong("participant"), help: ArgumentHelp("Only this participant (first.last; repeatable).", valueName: "name"))
    var participants: [String] = []
    @Flag(help: "Also make sheets for participants whose master is not verified ready.") var includeUnready = false
    @Option(help: ArgumentHelp("The templates folder (default: <root>/mail-templates).", valueName: "dir")) var templates: String?

    @Option(help: ArgumentHelp("When the clusters go away, as shown on the sheets (default: session_end in the tfvars).", valueName: "text"))
    var sessionEnd: String?
    @Option(help: ArgumentHelp("The trainer's name (default: trainer_name in the tfvars).", valueName: "name")) var trainerName: String?
    @Option(help: ArgumentHelp("The trainer's address (default: trainer_email in the tfvars).", valueName: "addr")) var trainerEmail: String?
    @Option(help: ArgumentHelp("The sender of the mails (default: the trainer's address).", valueName: "addr")) var from: String?

    @Flag(help: "Mail each participant who has an address their sheet.") var send = false
    @OptionGroup(title: "Mail") var mail: SMTPOptions
    @Flag(help: "With --send: show who would be mailed; send and record nothing.") var dryRun = false
    @Option(help: ArgumentHelp("With --send: at most this many mails per minute.", valueName: "n")) var rate = 30
    @Flag(help: "With --send: mail again those already mailed.") var resend = false
    @Flag(help: "With --send: mark the mails as replacing an earlier sheet (subject starts with [replacement]; after `labctl rebuild`).")
    var replacement = false

    func validate() throws {
        for f in formats where SheetOutput.parse(f) == nil {
            throw ValidationError("--format \(f): use txt, md, html, eml, csv or all.")
        }
        if !send && (mail.isGiven || dryRun || resend) {
            throw ValidationError("\(SMTPOptions.names), --dry-run and --resend go with --send.")
        }
        if send && mail.smtp == nil && !dryRun { throw ValidationError("--send needs --smtp HOST:PORT (the server to hand the mails to).") }
        if rate < 1 || rate > 600 { throw ValidationError("--rate must be 1…600 mails per minute.") }
    }

    func run() throws {
        try SessionName.validate(session)
        // The server and the login are checked before anything is written.
        let client = send && !dryRun ? try mail.makeClient() : nil
        let context = try global.lab.openContext()
        var request = WriteSheets.Request(session: session)
        request.participants = participants
        request.includeUnready = includeUnready
        request.outputs = formats.flatMap { SheetOutput.parse($0)! }
        request.directory = out.map { URL(fileURLWithPath: $0) }
        request.templates = templates.map { URL(fileURLWithPath: $0) }
        request.overrides = SheetInputs.Overrides(sessionEnd: sessionEnd, trainerName: trainerName, trainerEmail: trainerEmail)
        request.from = from
        request.requireSender = send
        let outcome = try WriteSheets(context).run(request)
        outcome.inputs.notes.forEach(Terminal.note)
        for (name, reason) in outcome.skipped { Terminal.warning("\(name): skipped, \(reason).") }

        let summary = outcome.written
        for (name, files) in summary.perParticipant {
            print("\(Terminal.green(Terminal.ok)) \(name): \(files.joined(separator: " "))")
        }
        for (name, reason) in summary.notMailable where request.outputs.contains(.eml) && !send {
            Terminal.warning("\(name): no .eml, \(reason)")
        }
        if !participants.isEmpty {
            Terminal.note("--participant: the session's CSV, index.html and sheets-\(session).html are left as they were (run without --participant to renew them).")
        }
        let fileCount = summary.perParticipant.reduce(0) { $0 + $1.files.count } + summary.sessionFiles.count
        print("\(session): \(outcome.sheets.count) sheet(s), \(outcome.skipped.count) skipped; \(fileCount) file(s) in \(context.files.display(outcome.directory))/"
              + (summary.sessionFiles.isEmpty ? "" : " (\(summary.sessionFiles.joined(separator: ", ")))"))

        var failed = 0
        if send {
            failed = try deliver(outcome.sheets, inputs: outcome.inputs, renderer: outcome.renderer, registry: context.registry,
                                 sender: outcome.sender, client: client)
        }
        if !outcome.skipped.isEmpty || failed > 0 { throw LabFailure.silentNotOK }
    }

    /// Mails every sheet whose participant has an address and was not mailed yet; records each result.
    /// Returns how many failed.
    func deliver(_ sheets: [SheetParticipant], inputs: SheetInputs, renderer: SheetRenderer, registry: Registry,
                 sender: MailAddress?, client: SMTPClient?) throws -> Int {
        guard let sender else { return 0 }
        var delivery = SheetDelivery(registry: registry, inputs: inputs, renderer: renderer, sender: sender)
        if replacement { delivery.subjectPrefix = "[replacement] " }
        let plan = try delivery.plan(sheets, resend: resend, onEvent: show)
        if dryRun {
            for (p, mail) in plan.mails { print("would send to \(p.name) <\(mail.to.address)>: \(mail.subject)") }
            print("\(session): dry run, \(plan.mails.count) mail(s) would be sent via \(mail.route); nothing sent or recorded")
            return plan.unrenderable
        }
        guard !plan.mails.isEmpty, let client else {
            print("\(session): nothing to send")
            return plan.unrenderable
        }
        let (sent, failed, stoppedBy) = try delivery.send(plan, client: client, perMinute: rate, onEvent: show)
        let allFailed = failed + plan.unrenderable
        let via = "\(client.endpoint)" + (client.tls.map { " (\($0.mode.rawValue))" } ?? "")
        if let stoppedBy {
            print("\(session): \(sent) sent, \(allFailed) failed, \(plan.mails.count - sent - failed) not tried via \(via)")
            throw LabFailure.usage(stoppedBy.description)
        }
        print("\(session): \(sent) sent, \(allFailed) failed via \(via)" + (allFailed > 0 ? "; re-run to retry the failed ones" : ""))
        return allFailed
    }

    private func show(_ event: SheetDelivery.Event) {
        switch event {
        case .noAddress(let name):
            Terminal.warning("\(name): not mailed, no e-mail address (hand them \(name).html or .txt).")
        case .alreadySent(let name, let to, let at):
            print("\(Terminal.ok) \(name): already sent to \(to) (\(ISO8601DateFormatter().string(from: at))); --resend sends again")
        case .notRenderable(let name, let reason):
            Terminal.error("\(name): not mailed, \(reason)")
        case .sent(let name, let to, let reply):
            print("\(Terminal.green(Terminal.ok)) \(name): sent to \(to) (\(reply.code))")
        case .failed(let name, let to, let error):
            print("\(Terminal.red(Terminal.bad)) \(name): not sent to \(to): \(error)")
        }
    }
}
