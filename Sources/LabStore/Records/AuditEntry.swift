import Foundation
import GRDB

/// What changed, when, and through which interface. Holds fingerprints,
/// never key material beyond public keys' fingerprints, never secrets.
public struct AuditEntry: Codable, Equatable, Sendable, FetchableRecord, MutablePersistableRecord {
    public static let databaseTableName = "auditEntry"
    public var id: Int64?
    public var at: Date
    public var session: String
    public var participant: String?
    public var action: String
    public var detail: String
    public var interface: String

    public mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }
}

/// Where a change came from, for the audit log.
public enum Interface: String, Sendable, Codable {
    case cli, `import`, web, api, admin
}
