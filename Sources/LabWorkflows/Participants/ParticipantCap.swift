import Foundation
import LabCore

/// A session's participant cap (`max_participants` in `sessions/<name>.tfvars`), as the
/// intake and `labctl keys add`/`import` enforce it. A session without a file, or a file
/// without the setting, gets `SessionConfig.defaultMaxParticipants`: a session whose join
/// link leaks is capped even before anyone wrote its tfvars.
public struct ParticipantCap: Sendable {
    /// nil: the server knows no lab directory; every session gets the default.
    public let files: LabFiles?

    public init(files: LabFiles?) { self.files = files }

    /// The cap; a file that cannot be read as a session config throws its message (file:line).
    public func cap(for session: String) throws -> Int {
        guard let files, let text = try? String(contentsOf: files.sessionFile(session), encoding: .utf8) else {
            return SessionConfig.defaultMaxParticipants
        }
        return try SessionConfig.parse(text, file: files.display(files.sessionFile(session)), expectedSession: session).maxParticipants
    }

    /// For the intake, which cannot stop to ask: a file it cannot read counts as the default.
    public func capOrDefault(for session: String) -> Int {
        (try? cap(for: session)) ?? SessionConfig.defaultMaxParticipants
    }
}
