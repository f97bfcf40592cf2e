import Foundation
import GRDB

/// A participant's public key; one active per participant, replaced ones kept as history.
public struct KeyRecord: Codable, Equatable, Sendable, FetchableRecord, MutablePersistableRecord {
    public static let databaseTableName = "participantKey"
    public var id: Int64?
    public var participantID: Int64
    public var session: String
    /// The normalised OpenSSH line (`ssh-ed25519 AAAA… comment`).
    public var keyLine: String
    public var fingerprint: String
    public var active: Bool
    public var addedAt: Date
    public var replacedAt: Date?

    public mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }
}
