import Foundation
import LabSheets
import LabStore

/// `labctl sheets <session>` (and `assign` for the participant it gave a spare): who gets
/// a connection sheet and who is skipped and why, then their files, the trainer's CSV and
/// overview, written into one private folder. Only a master with a recorded address that
/// verify found ready gets a sheet (`includeUnready`: any master with an address).
public struct WriteSheets: Sendable, LabUseCase {
    public struct Request: Sendable {
        public var session: String
        /// Only these participants (names); empty: everyone, and the session-wide files too.
        public var participants: [String] = []
        public var includeUnready = false
        public var outputs: [SheetOutput] = SheetOutput.allCases
        /// nil: `participant-access/<session>/` under the lab root.
        public var directory: URL?
        /// nil: the lab's `mail-templates/`.
        public var templates: URL?
        public var overrides = SheetInputs.Overrides()
        /// The mails' sender; nil: the trainer's address from the tfvars.
        public var from: String?
        /// Refuse when there is no sender at all (`--send`).
        public var requireSender = false

        public init(session: String) { self.session = session }
    }

    public struct Outcome {
        public var inputs: SheetInputs
        public var renderer: SheetRenderer
        /// nil when neither `from` nor the trainer's address is set (no .eml, nothing to mail).
        public var sender: MailAddress?
        /// Those who got a sheet, in name order.
        public var sheets: [SheetParticipant]
        public var skipped: [(name: String, reason: String)]
        public var written: SheetWriter.Summary
        public var directory: URL
    }

    public let context: LabContext
    public init(_ context: LabContext) { self.context = context }

    public func run(_ request: Request) throws -> Outcome {
        let s = request.session
        let file = files.sessionFile(s)
        let inputs = try SheetInputs.gather(registry: registry, session: s, sessionFile: file, fileShown: files.display(file),
                                            only: request.participants, overrides: request.overrides)
        let templates = request.templates ?? files.mailTemplates
        let renderer = SheetRenderer(templates: try TemplateSet(directory: templates, displayPath: files.display(templates)))
        let sender = try Self.sender(from: request.from, session: inputs.session, required: request.requireSender)

        var sheets: [SheetParticipant] = []
        var skipped: [(name: String, reason: String)] = []
        for p in inputs.participants {
            if let reason = SheetInputs.skipReason(p, session: s, includeUnready: request.includeUnready) {
                skipped.append((p.name, reason))
            } else {
                sheets.append(p)
            }
        }

        let directory = request.directory ?? files.root.appendingPathComponent("participant-access").appendingPathComponent(s)
        if request.directory == nil, FileManager.default.fileExists(atPath: directory.path) {
            chmod(directory.path, 0o700) // labctl's own folder: private even if an older tool made it
        }
        let written = try SheetWriter(renderer: renderer, directory: directory)
            .write(request.outputs, session: inputs.session, sheets: sheets, everyone: inputs.participants, from: sender,
                   sessionFiles: request.participants.isEmpty)
        return Outcome(inputs: inputs, renderer: renderer, sender: sender, sheets: sheets, skipped: skipped, written: written,
                       directory: directory)
    }

    /// `from`, else the trainer's address (with their name); nil when neither is set, unless `required`.
    public static func sender(from: String?, session: SheetSession, required: Bool) throws -> MailAddress? {
        guard let address = from ?? session.trainerEmail else {
            if required {
                throw WorkflowError.usage("--send needs a sender: give --from ADDR, or set trainer_email in sessions/\(session.name).tfvars.")
            }
            return nil
        }
        do { return try MailAddress(address, displayName: from == nil ? session.trainerName : nil) } catch {
            throw WorkflowError.usage("sender: \(error)")
        }
    }
}
