import Foundation
import GRDB

/// One participant of one session, with the pod network and discrete id they keep.
public struct ParticipantRecord: Codable, Equatable, Sendable, FetchableRecord, MutablePersistableRecord {
    public static let databaseTableName = "participant"
    public var id: Int64?
    public var session: String
    /// Canonical `first.last`.
    public var name: String
    public var displayName: String
    public var email: String?
    /// `first.la`: used in AWS names and tags; never reassigned.
    public var discreteID: String
    public var podCIDR: String
    public var createdAt: Date
    public var updatedAt: Date

    public mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }

    static let activeKey = hasOne(KeyRecord.self, key: "activeKey", using: ForeignKey(["participantID"])).filter(KeyRecord.Columns.active == true)
}

/// A participant row with its active key, fetched in one query (`ParticipantRecord.activeKey`).
struct ParticipantWithKey: Decodable, FetchableRecord {
    var participant: ParticipantRecord
    var activeKey: KeyRecord
}
