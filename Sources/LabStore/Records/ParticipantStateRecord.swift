import Foundation
import GRDB
import LabCore

/// One state a participant entered, and when (`participantState`, append-only).
public struct ParticipantStateRecord: Codable, Equatable, Sendable, FetchableRecord, MutablePersistableRecord {
    public static let databaseTableName = "participantState"
    public var id: Int64?
    public var participantID: Int64
    public var session: String
    public var state: ParticipantState
    public var enteredAt: Date
    /// What caused it: a fingerprint, an instance id, the failing check.
    public var detail: String?

    public init(participantID: Int64, session: String, state: ParticipantState, enteredAt: Date, detail: String?) {
        self.participantID = participantID
        self.session = session
        self.state = state
        self.enteredAt = enteredAt
        self.detail = detail
    }

    public mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }

    public enum Columns {
        public static let id = Column("id"), participantID = Column("participantID"), session = Column("session")
    }
}

/// When an apply of a session started: the clock time-to-ready runs from.
public struct ApplyRunRecord: Codable, Equatable, Sendable, FetchableRecord, MutablePersistableRecord {
    public static let databaseTableName = "applyRun"
    public var id: Int64?
    public var session: String
    public var startedAt: Date

    public init(session: String, startedAt: Date) {
        self.session = session
        self.startedAt = startedAt
    }

    public mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }

    public enum Columns { public static let id = Column("id"), session = Column("session") }
}

/// Stored as its raw text ("key-received", "ready", …).
extension ParticipantState: DatabaseValueConvertible {}
