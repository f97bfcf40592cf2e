import Foundation
import GRDB
import LabCore

/// Participants' class-day states (see `ParticipantState`) and apply start times.
extension Registry {
    /// Records that the participant with `discreteID` entered `state`, unless that is
    /// already their current state. Returns whether a row was written; a discrete id
    /// that is no participant (any more) writes nothing.
    @discardableResult
    public func enterState(session: String, discreteID: String, _ state: ParticipantState,
                           at date: Date = Date(), detail: String? = nil) throws -> Bool {
        try database.write { db in
            guard let id = try Self.participantID(session: session, discreteID: discreteID, db) else { return false }
            let current = try ParticipantStateRecord.filter(ParticipantStateRecord.Columns.participantID == id)
                .order(ParticipantStateRecord.Columns.id.desc).fetchOne(db)
            if current?.state == state { return false }
            var row = ParticipantStateRecord(participantID: id, session: session, state: state, enteredAt: date, detail: detail)
            try row.insert(db)
            return true
        }
    }

    /// Every state entered in the session, oldest first, with the participant's discrete id.
    public func stateHistory(session: String) throws -> [(discreteID: String, record: ParticipantStateRecord)] {
        try database.read { db in
            let ids = Dictionary(uniqueKeysWithValues: try Row.fetchAll(db, sql: "SELECT id, discreteID FROM participant WHERE session = ?",
                                                                         arguments: [session]).map { ($0["id"] as Int64, $0["discreteID"] as String) })
            return try ParticipantStateRecord.filter(ParticipantStateRecord.Columns.session == session)
                .order(ParticipantStateRecord.Columns.id).fetchAll(db)
                .compactMap { r in ids[r.participantID].map { ($0, r) } }
        }
    }

    /// Notes that an apply of the session starts now.
    public func recordApplyStart(session: String, at date: Date = Date()) throws {
        try database.write { db in
            _ = try Self.ensureSession(session, db)
            var run = ApplyRunRecord(session: session, startedAt: date)
            try run.insert(db)
        }
    }

    /// When each apply of the session started, oldest first.
    public func applyStarts(session: String) throws -> [Date] {
        try database.read { db in
            try ApplyRunRecord.filter(ApplyRunRecord.Columns.session == session).order(ApplyRunRecord.Columns.id).fetchAll(db).map(\.startedAt)
        }
    }
}
