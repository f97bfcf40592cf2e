import Foundation
import GRDB
import LabCore

/// A burst of registrations (a leaked join link): the participants of a session who
/// registered in a time window, listed and removed in one step (issue 23).
extension Registry {
    /// The window [`from`, `before`): registered at or after `from` and before `before`; a nil bound is open.
    public struct RegistrationWindow: Sendable, Equatable {
        public var from: Date?
        public var before: Date?
        public init(from: Date?, before: Date?) {
            self.from = from
            self.before = before
        }
    }

    /// Who registered in `session` within `window`, oldest first (with their active key).
    public func participants(in session: String, registered window: RegistrationWindow) throws -> [Participant] {
        try database.read { db in try Self.burst(session, window, db) }
    }

    /// Removes everyone `participants(in:registered:)` lists, in one transaction: their keys,
    /// host-key pins and pod networks go with them, and each removal is audit-logged.
    /// Returns who was removed.
    @discardableResult
    public func removeParticipants(in session: String, registered window: RegistrationWindow,
                                   via interface: Interface) throws -> [Participant] {
        try database.write { db in
            let burst = try Self.burst(session, window, db)
            for p in burst {
                try Self.remove(p.record, via: interface, detail: " (registered \(StoredDate.string(p.record.createdAt)) UTC, burst removal)", db)
            }
            return burst
        }
    }

    static func burst(_ session: String, _ window: RegistrationWindow, _ db: Database) throws -> [Participant] {
        let createdAt = Column("createdAt")
        var request = ParticipantRecord.filter(ParticipantRecord.Columns.session == session)
        if let from = window.from { request = request.filter(createdAt >= from) }
        if let before = window.before { request = request.filter(createdAt < before) }
        return try request.order(createdAt, ParticipantRecord.Columns.id)
            .including(required: ParticipantRecord.activeKey)
            .asRequest(of: ParticipantWithKey.self).fetchAll(db)
            .map { Participant(record: $0.participant, key: $0.activeKey) }
    }
}
