import Foundation

/// Renders a session's sheets, overview, CSV and mails from the templates.
public struct SheetRenderer: Sendable {
    public let templates: TemplateSet

    public init(templates: TemplateSet) { self.templates = templates }

    /// One participant's sheet as text, Markdown or HTML.
    public func sheet(_ format: SheetFormat, session: SheetSession, participant: SheetParticipant) -> String {
        templates.render(format.template, TemplateContext.session(session, participants: [participant]))
    }

    /// All given participants in one HTML document, one printed page each.
    public func printable(session: SheetSession, participants: [SheetParticipant]) -> String {
        templates.render(.sheetHTML, TemplateContext.session(session, participants: participants))
    }

    /// The trainer's overview (`index.html`): every participant, ready or not; `withSheets`
    /// names those who got a sheet (nil: all of them).
    public func overview(session: SheetSession, participants: [SheetParticipant], withSheets: Set<String>? = nil) -> String {
        templates.render(.overview, TemplateContext.session(session, participants: participants, withSheets: withSheets))
    }

    /// The HTML the participant's mail carries: also what their personal page shows.
    public func mailHTML(session: SheetSession, participant: SheetParticipant) -> String {
        templates.render(.mailHTML, TemplateContext.single(session, participant))
    }

    /// The participant's mail. Fails when they have no e-mail address or it is unusable.
    public func mail(session: SheetSession, participant: SheetParticipant, from: MailAddress,
                     nonce: String = MailMessage.randomNonce()) throws(MailError) -> MailMessage {
        guard let email = participant.email else { throw .noAddress(participant.name) }
        let to = try MailAddress(email, displayName: participant.displayName)
        let context = TemplateContext.single(session, participant)
        let subject = templates.render(.mailSubject, context)
            .split(whereSeparator: { $0.isWhitespace || $0.isNewline }).joined(separator: " ")
        var replyTo: MailAddress?
        if let trainer = session.trainerEmail, trainer != from.address {
            replyTo = try? MailAddress(trainer, displayName: session.trainerName)
        }
        return MailMessage(
            from: from, to: to, replyTo: replyTo, subject: subject, date: session.generatedAt,
            messageID: MailMessage.makeID(session: session.name, participant: participant.name, date: session.generatedAt,
                                          nonce: nonce, domain: from.domain),
            text: templates.render(.mailText, context), html: mailHTML(session: session, participant: participant))
    }
}

/// The per-participant sheet formats.
public enum SheetFormat: String, CaseIterable, Sendable {
    case txt, md, html

    var template: TemplateKind {
        switch self {
        case .txt: return .sheetText
        case .md: return .sheetMarkdown
        case .html: return .sheetHTML
        }
    }
}
