import Foundation
import GRDB
import LabCore

/// Intake: enrollment codes, self-service enrollment in batches, personal edit tokens.
extension Registry {
    // MARK: Enrollment codes

    /// Opens intake for `session`, creating its code on first use (or a new one with `rotate`).
    /// The session row is created if needed.
    @discardableResult
    public func openIntake(session: String, rotate: Bool = false, via interface: Interface = .cli) throws -> IntakeCodeRecord {
        try SessionName.validate(session)
        return try database.write { db in
            _ = try Self.ensureSession(session, db)
            let now = Date()
            var record: IntakeCodeRecord
            if let existing = try IntakeCodeRecord.fetchOne(db, key: session) {
                record = existing
                if rotate {
                    let code = SecretToken.generate(byteCount: 16)
                    record.code = code.value
                    record.codeDigest = code.digest
                }
            } else {
                let code = SecretToken.generate(byteCount: 16)
                record = IntakeCodeRecord(session: session, code: code.value, codeDigest: code.digest,
                                          isOpen: true, createdAt: now, changedAt: now)
            }
            let changed = !record.isOpen || rotate
            record.isOpen = true
            record.changedAt = now
            try record.save(db)
            if changed || record.createdAt == now {
                try Self.audit(db, session: session, participant: nil, action: rotate ? "intake-opened-new-code" : "intake-opened",
                               detail: "", interface: interface)
            }
            return record
        }
    }

    /// Closes intake: the code stops working until `openIntake` again. Returns nil if it was never opened.
    @discardableResult
    public func closeIntake(session: String, via interface: Interface = .cli) throws -> IntakeCodeRecord? {
        try database.write { db in
            guard var record = try IntakeCodeRecord.fetchOne(db, key: session) else { return nil }
            if record.isOpen {
                record.isOpen = false
                record.changedAt = Date()
                try record.update(db)
                try Self.audit(db, session: session, participant: nil, action: "intake-closed", detail: "", interface: interface)
            }
            return record
        }
    }

    public func intake(session: String) throws -> IntakeCodeRecord? {
        try database.read { db in try IntakeCodeRecord.fetchOne(db, key: session) }
    }

    public func intakes() throws -> [IntakeCodeRecord] {
        try database.read { db in try IntakeCodeRecord.order(SharedColumns.session).fetchAll(db) }
    }

    /// The session whose intake is open under `code`, or nil (unknown and closed look the same).
    public func openSession(forCode code: String) async throws -> String? {
        guard SecretToken.isWellFormed(code) else { return nil }
        let digest = SecretToken.digest(of: code)
        return try await database.read { db in
            try String.fetchOne(db, sql: "SELECT session FROM intakeCode WHERE codeDigest = ? AND isOpen", arguments: [digest])
        }
    }

    // MARK: Personal edit tokens

    /// The participant a personal edit token belongs to (looked up by its digest).
    public func participant(forEditToken token: String) async throws -> Participant? {
        guard SecretToken.isWellFormed(token) else { return nil }
        let digest = SecretToken.digest(of: token)
        return try await database.read { db in try Self.participant(forTokenDigest: digest, db) }
    }

    static func participant(forTokenDigest digest: String, _ db: Database) throws -> Participant? {
        guard let id = try Int64.fetchOne(db, sql: "SELECT participantID FROM participantToken WHERE tokenDigest = ?", arguments: [digest]),
              let record = try ParticipantRecord.fetchOne(db, key: id) else { return nil }
        return Participant(record: record, key: try activeKey(of: record, db))
    }

    // MARK: Batches

    /// Applies intake operations in ONE write transaction (group commit): each
    /// runs in its own savepoint, so a refused one changes nothing and the
    /// others still apply. Returns when the transaction has committed — only
    /// then may a result be acknowledged. Throws if the commit itself failed
    /// (then nothing in the batch happened). The operations come prepared by
    /// their callers (hashes, fresh tokens: `PreparedIntake`), so the one serial
    /// writer only touches SQLite; this blocks the calling thread until the
    /// batch committed (the intake's writer runs it on a queue of its own).
    /// `participantCap` gives a session's `max_participants` (nil: none); it is asked at most
    /// once per session and batch, and the session's count is taken inside the same transaction.
    public func applyIntake(prepared: [PreparedIntake],
                            participantCap: @escaping (String) -> Int? = { _ in nil }) throws -> [Result<IntakeOutcome, IntakeRefusal>] {
        let pool = self.pool
        return try database.write { db in try Self.applyIntake(prepared, pool: pool, participantCap: participantCap, db) }
    }

    static func applyIntake(_ prepared: [PreparedIntake], pool: PodCIDRPool, participantCap: @escaping (String) -> Int? = { _ in nil },
                            _ db: Database) throws -> [Result<IntakeOutcome, IntakeRefusal>] {
        var allocator = RegistrationAllocator(pool: pool, participantCap: participantCap)
        // Code digest -> open session, for this transaction only (a close commits in another one).
        var sessions: [String: String?] = [:]
        var results: [Result<IntakeOutcome, IntakeRefusal>] = []
        results.reserveCapacity(prepared.count)
        for prepared in prepared {
            let operation = prepared.operation
            var outcome: IntakeOutcome?
            var refusal: IntakeRefusal?
            do {
                outcome = try db.inCachedSavepoint {
                    try Self.apply(operation, prepared: prepared, sessions: &sessions, allocator: &allocator, db)
                }
            } catch let e as IntakeRefusal {
                refusal = e
            } catch let e as RegistryError {
                refusal = .registry(e)
            } catch {
                refusal = .storage("\(type(of: error)): \((error as? DatabaseError)?.resultCode.description ?? "")")
            }
            if let outcome {
                if case .enrolled(let p, _) = outcome, let first = p.record.name.split(separator: ".").first {
                    allocator.didAdd(p.record, first: String(first))
                }
                results.append(.success(outcome))
            } else {
                results.append(.failure(refusal ?? .storage("no outcome")))
            }
        }
        return results
    }

    static func apply(_ operation: IntakeOperation, prepared: PreparedIntake, sessions: inout [String: String?],
                      allocator: inout RegistrationAllocator, _ db: Database) throws -> IntakeOutcome {
        switch operation {
        case let .enroll(_, name, displayName, email, key, interface):
            guard let digest = prepared.codeDigest, let token = prepared.token, let tokenDigest = prepared.tokenDigest else { throw IntakeRefusal.unknownOrClosedCode }
            if sessions[digest] == nil {
                sessions[digest] = .some(try String.fetchOne(
                    db.cachedStatement(sql: "SELECT session FROM intakeCode WHERE codeDigest = ? AND isOpen"), arguments: [digest]))
            }
            guard let session = sessions[digest] ?? nil else { throw IntakeRefusal.unknownOrClosedCode }
            // The open code's row references the session row (foreign key), so it exists.
            let outcome = try register(session: session, name: name, displayName: displayName, email: email, key: key,
                                       via: interface, existing: .refuse, allocator: &allocator,
                                       fingerprint: prepared.fingerprint, sessionExists: true, db)
            guard case .added(let participant) = outcome else {
                // The same name with the same key: without the personal link nobody may claim it.
                throw RegistryError.nameTaken(name: name.value, session: session)
            }
            try IntakeRows.insert(ParticipantTokenRecord(participantID: participant.record.id!, tokenDigest: tokenDigest, createdAt: Date()), db)
            return .enrolled(participant, editToken: token)
        case let .replaceKey(token, key, interface):
            guard SecretToken.isWellFormed(token),
                  let current = try participant(forTokenDigest: SecretToken.digest(of: token), db) else {
                throw IntakeRefusal.unknownToken
            }
            let name = try ParticipantName(canonical: current.name)
            let outcome = try register(session: current.record.session, name: name, displayName: nil, email: nil, key: key,
                                       via: interface, existing: .replaceKey, allocator: &allocator,
                                       fingerprint: prepared.fingerprint, db)
            switch outcome {
            case .keyReplaced(let p, let previous): return .keyReplaced(p, previousFingerprint: previous)
            case .unchanged(let p), .added(let p): return .unchanged(p)
            }
        }
    }

    // MARK: Admin credential and logins

    /// The stored digest of the admin token, if one was generated.
    public func adminTokenDigest() throws -> String? {
        try database.read { db in try AdminCredentialRecord.fetchOne(db, key: 1)?.tokenDigest }
    }

    /// Stores the digest of a new admin token, replacing any previous one and
    /// ending every dashboard login made with it.
    public func storeAdminTokenDigest(_ digest: String) throws {
        try database.write { db in
            try AdminCredentialRecord(tokenDigest: digest, createdAt: Date()).save(db)
            try AdminLoginRecord.deleteAll(db)
        }
    }

    public func createAdminLogin(_ login: AdminLoginRecord) async throws {
        try await database.write { db in
            try AdminLoginRecord.filter(AdminLoginRecord.Columns.expiresAt < Date()).deleteAll(db)
            try login.insert(db)
        }
    }

    /// The unexpired login whose cookie has this digest.
    public func adminLogin(digest: String) async throws -> AdminLoginRecord? {
        try await database.read { db in
            try AdminLoginRecord.filter(AdminLoginRecord.Columns.digest == digest && AdminLoginRecord.Columns.expiresAt > Date()).fetchOne(db)
        }
    }

    public func deleteAdminLogin(digest: String) async throws {
        try await database.write { db in _ = try AdminLoginRecord.deleteOne(db, key: digest) }
    }
}
