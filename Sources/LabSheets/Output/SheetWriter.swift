import Foundation
import LabCore

/// Writes a session's sheets into one folder, each file replaced atomically (a reader
/// never sees half a sheet). The folder is created private (0700), the files 0600:
/// they hold names, addresses and e-mail addresses.
public struct SheetWriter {
    public let renderer: SheetRenderer
    public let directory: URL

    public init(renderer: SheetRenderer, directory: URL) {
        self.renderer = renderer
        self.directory = directory
    }

    /// What `write` did, for the terminal.
    public struct Summary: Sendable {
        /// File names per participant name, in the order written.
        public var perParticipant: [(name: String, files: [String])] = []
        /// `participants-<s>.csv`, `index.html`, `sheets-<s>.html`, as written.
        public var sessionFiles: [String] = []
        /// Participants without an `.eml` and why (no address, an unusable one, no sender).
        public var notMailable: [(name: String, reason: String)] = []
    }

    /// Writes `outputs` for `sheets` (the participants who get a sheet); the CSV and the
    /// overview list `everyone`. `.eml` files need `from`. Without `sessionFiles` only the
    /// per-participant files are written (a run for some participants leaves the overview,
    /// the CSV and the combined sheets of the whole session as they are).
    public func write(_ outputs: [SheetOutput], session: SheetSession, sheets: [SheetParticipant],
                      everyone: [SheetParticipant], from: MailAddress?, sessionFiles: Bool = true) throws -> Summary {
        try Self.makePrivateDirectory(directory)
        var summary = Summary()
        let wanted = Set(outputs)
        for p in sheets {
            var files: [String] = []
            for format in SheetFormat.allCases where wanted.contains(SheetOutput(rawValue: format.rawValue)!) {
                files.append(try save(renderer.sheet(format, session: session, participant: p), "\(p.name).\(format.rawValue)"))
            }
            if wanted.contains(.eml) {
                if let from {
                    do {
                        let mail = try renderer.mail(session: session, participant: p, from: from)
                        files.append(try save(mail.rendered, "\(p.name).eml"))
                    } catch {
                        summary.notMailable.append((p.name, "\(error)"))
                    }
                } else {
                    summary.notMailable.append((p.name, "no sender address for the .eml: give --from ADDR or set trainer_email in the session's tfvars"))
                }
            }
            summary.perParticipant.append((p.name, files))
        }
        guard sessionFiles else { return summary }
        if wanted.contains(.csv) {
            summary.sessionFiles.append(try save(ParticipantTable.csv(everyone), "participants-\(session.name).csv"))
        }
        if wanted.contains(.html) {
            summary.sessionFiles.append(try save(renderer.printable(session: session, participants: sheets), "sheets-\(session.name).html"))
            let names = Set(sheets.map(\.name))
            summary.sessionFiles.append(try save(renderer.overview(session: session, participants: everyone, withSheets: names), "index.html"))
        }
        return summary
    }

    private func save(_ text: String, _ name: String) throws -> String {
        try AtomicFile.write(Data(text.utf8), to: directory.appendingPathComponent(name), permissions: 0o600)
        return name
    }

    /// Creates the folder (and its parents) with mode 0700.
    static func makePrivateDirectory(_ url: URL) throws {
        let fm = FileManager.default
        var isDirectory: ObjCBool = false
        if fm.fileExists(atPath: url.path, isDirectory: &isDirectory) {
            guard isDirectory.boolValue else {
                throw CocoaError(.fileWriteFileExists, userInfo: [NSFilePathErrorKey: url.path])
            }
            return
        }
        try fm.createDirectory(at: url, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
    }
}
