import Foundation
import GRDB

/// A training session known to the registry.
public struct SessionRecord: Codable, Equatable, Sendable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "session"
    public var name: String
    public var createdAt: Date
}
