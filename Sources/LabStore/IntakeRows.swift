import Foundation
import GRDB

/// The rows every accepted submission adds, inserted with hand-written cached
/// statements. The intake's one serial writer runs these once per submission:
/// a profile of `scripts/bench/intake.sh` showed GRDB's record insert (Codable
/// encoding into a persistence container, the INSERT built per call) and
/// `inSavepoint`'s SAVEPOINT/RELEASE compiled anew for every operation as the
/// writer's biggest costs after SQLite itself. The columns and values are the
/// records' own (dates as `StoredDate`, byte-identical to GRDB's), so readers
/// see the same rows; `IntakeRowsTests` compares them with record inserts.
enum IntakeRows {
    /// Inserts `record` (its `id` must be nil) and sets its `id`.
    static func insert(_ record: inout ParticipantRecord, _ db: Database) throws {
        try db.cachedStatement(sql: """
            INSERT INTO participant (session, name, displayName, email, discreteID, podCIDR, createdAt, updatedAt)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            """).execute(arguments: [record.session, record.name, record.displayName, record.email, record.discreteID,
                                     record.podCIDR, StoredDate.string(record.createdAt), StoredDate.string(record.updatedAt)])
        record.id = db.lastInsertedRowID
    }

    /// Inserts `record` (its `id` must be nil) and sets its `id`.
    static func insert(_ record: inout KeyRecord, _ db: Database) throws {
        try db.cachedStatement(sql: """
            INSERT INTO participantKey (participantID, session, keyLine, fingerprint, active, addedAt, replacedAt)
            VALUES (?, ?, ?, ?, ?, ?, ?)
            """).execute(arguments: [record.participantID, record.session, record.keyLine, record.fingerprint, record.active,
                                     StoredDate.string(record.addedAt), record.replacedAt.map(StoredDate.string)])
        record.id = db.lastInsertedRowID
    }

    static func insert(_ entry: inout AuditEntry, _ db: Database) throws {
        try db.cachedStatement(sql: """
            INSERT INTO auditEntry (at, session, participant, action, detail, interface) VALUES (?, ?, ?, ?, ?, ?)
            """).execute(arguments: [StoredDate.string(entry.at), entry.session, entry.participant, entry.action,
                                     entry.detail, entry.interface])
        entry.id = db.lastInsertedRowID
    }

    static func insert(_ record: ParticipantTokenRecord, _ db: Database) throws {
        try db.cachedStatement(sql: "INSERT INTO participantToken (participantID, tokenDigest, createdAt) VALUES (?, ?, ?)")
            .execute(arguments: [record.participantID, record.tokenDigest, StoredDate.string(record.createdAt)])
    }
}

extension Database {
    /// Runs `body` in a savepoint, like GRDB's `inSavepoint` (a thrown error
    /// undoes the body's writes and nothing else, and is rethrown), with the
    /// SAVEPOINT and RELEASE statements compiled once per connection instead
    /// of once per call. Only inside a transaction (the intake batch's).
    func inCachedSavepoint<T>(_ body: () throws -> T) throws -> T {
        precondition(isInsideTransaction, "inCachedSavepoint is for batches inside a transaction")
        try cachedStatement(sql: "SAVEPOINT intakeOperation").execute()
        let value: T
        do {
            value = try body()
        } catch {
            // The refusal is what the caller needs; a failed rollback shows in the batch's commit.
            try? execute(sql: "ROLLBACK TRANSACTION TO SAVEPOINT intakeOperation")
            try? execute(sql: "RELEASE SAVEPOINT intakeOperation")
            throw error
        }
        try cachedStatement(sql: "RELEASE SAVEPOINT intakeOperation").execute()
        return value
    }
}
