import Foundation
import GRDB

/// A session's enrollment code and whether intake is open. The code is the
/// shared secret of the join link; lookups go by its digest.
public struct IntakeCodeRecord: Codable, Equatable, Sendable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "intakeCode"
    public var session: String
    public var code: String
    public var codeDigest: String
    public var isOpen: Bool
    public var createdAt: Date
    public var changedAt: Date
}

/// The digest of a participant's personal edit token (the token itself is shown once).
public struct ParticipantTokenRecord: Codable, Equatable, Sendable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "participantToken"
    public var participantID: Int64
    public var tokenDigest: String
    public var createdAt: Date
}

/// The digest of the trainer's admin token, generated on the first `labctl serve`.
public struct AdminCredentialRecord: Codable, Equatable, Sendable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "adminCredential"
    public var id: Int64 = 1
    public var tokenDigest: String
    public var createdAt: Date
}

/// A trainer's dashboard login: a digest of the session cookie (the server binds it
/// to the admin token's digest, so a rotated token ends the login) and the CSRF token
/// its forms carry.
public struct AdminLoginRecord: Codable, Equatable, Sendable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "adminLogin"
    public var digest: String
    public var csrfToken: String
    public var createdAt: Date
    public var expiresAt: Date

    /// A login made `now` that expires `lifetime` seconds later.
    public init(digest: String, csrfToken: String, lifetime: TimeInterval, now: Date = Date()) {
        self.digest = digest
        self.csrfToken = csrfToken
        createdAt = now
        expiresAt = now.addingTimeInterval(lifetime)
    }
}
