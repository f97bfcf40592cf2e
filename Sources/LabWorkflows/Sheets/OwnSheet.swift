import Foundation
import LabSheets
import LabStore

/// A participant's own sheet for their personal page: the same templates and data
/// as the mail they get, for them only.
public struct OwnSheet: Sendable, LabUseCase {
    public let context: LabContext
    public init(_ context: LabContext) { self.context = context }

    /// The body of the participant's mail (HTML), or nil while their cluster has no address.
    public func html(for participant: Participant, now: Date = Date()) throws -> String? {
        let session = participant.record.session
        let file = files.sessionFile(session)
        let inputs = try SheetInputs.gather(registry: registry, session: session, sessionFile: file,
                                            fileShown: files.display(file), only: [participant.name], now: now)
        guard let sheet = inputs.participants.first, sheet.masterPublicIP != nil else { return nil }
        let renderer = SheetRenderer(templates: try TemplateSet(directory: files.mailTemplates,
                                                                displayPath: files.display(files.mailTemplates)))
        return Self.body(of: renderer.mailHTML(session: inputs.session, participant: sheet))
    }

    /// What is between `<body …>` and `</body>` (the whole text when there is no body element).
    public static func body(of document: String) -> String {
        guard let open = document.range(of: "<body", options: .caseInsensitive),
              let openEnd = document.range(of: ">", range: open.upperBound..<document.endIndex),
              let close = document.range(of: "</body>", options: [.caseInsensitive, .backwards]),
              openEnd.upperBound <= close.lowerBound else { return document }
        return String(document[openEnd.upperBound..<close.lowerBound]).trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
