import Foundation
import GRDB
import LabCore

/// The participant registry: the API the rest of labctl uses to read and
/// change sessions, participants and keys. One SQLite file in WAL mode;
/// every change is one transaction, committed before it is acknowledged.
public final class Registry: Sendable {
    public let database: DatabasePool
    public let path: String
    /// Where new participants' pod networks come from.
    public let pool: PodCIDRPool

    /// Opens (creating if needed) the database at `path`: its folder is made
    /// 0700 and the file 0600, since it will hold session secrets.
    public init(path: String, pool: PodCIDRPool? = nil) throws {
        self.path = path
        do throws(PoolError) {
            if let pool { self.pool = pool } else { self.pool = try PodCIDRPool() }
        } catch { throw RegistryError.pool(error) }
        let url = URL(fileURLWithPath: path)
        let folder = url.deletingLastPathComponent().path
        let fm = FileManager.default
        do {
            if !fm.fileExists(atPath: folder) {
                try fm.createDirectory(atPath: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            }
            if !fm.fileExists(atPath: path) {
                guard fm.createFile(atPath: path, contents: nil, attributes: [.posixPermissions: 0o600]) else {
                    throw RegistryError.cannotOpen(path: path, reason: "cannot create the file")
                }
            }
            var config = Configuration()
            config.busyMode = .timeout(10)
            config.foreignKeysEnabled = true
            // Savepoints' undo records (the intake writer opens one per submission) and
            // statement journals stay in memory: on a file they cost ~50 pwrite calls per
            // submission (strace). Durability is unchanged: those records only serve a
            // rollback inside an open transaction; the WAL is still synced at every commit.
            config.prepareDatabase { db in try db.execute(sql: "PRAGMA temp_store = MEMORY") }
            database = try DatabasePool(path: path, configuration: config)
            // GRDB sets NORMAL with WAL: a commit is then not synced, and a power cut may
            // take back acknowledged submissions. FULL syncs the WAL at every commit (once per
            // intake batch: group commit), so acknowledged means on disk.
            try database.writeWithoutTransaction { try $0.execute(sql: "PRAGMA synchronous = FULL") }
            try Migrations.migrator.migrate(database)
        } catch let e as RegistryError {
            throw e
        } catch {
            throw RegistryError.cannotOpen(path: path, reason: "\(error)")
        }
    }

    // MARK: Sessions

    /// The session row, created on first use.
    @discardableResult
    public func ensureSession(_ name: String) throws -> SessionRecord {
        try SessionName.validate(name)
        return try database.write { db in try Self.ensureSession(name, db) }
    }

    static func ensureSession(_ name: String, _ db: Database) throws -> SessionRecord {
        if let existing = try SessionRecord.fetchOne(db, key: name) { return existing }
        let record = SessionRecord(name: name, createdAt: Date())
        try record.insert(db)
        return record
    }

    public func sessions() throws -> [SessionRecord] {
        try database.read { db in try SessionRecord.order(SessionRecord.Columns.name).fetchAll(db) }
    }

    /// Participant counts by session name.
    public func participantCounts() throws -> [String: Int] {
        try database.read { db in
            let rows = try Row.fetchAll(db, sql: "SELECT session, COUNT(*) AS n FROM participant GROUP BY session")
            return Dictionary(uniqueKeysWithValues: rows.map { ($0["session"] as String, $0["n"] as Int) })
        }
    }

    // MARK: Participants

    /// Adds a participant or updates their key. Idempotent: the same name
    /// with the same key changes nothing. Allocates the discrete id and the
    /// pod network inside the same transaction, so concurrent writers cannot collide.
    public func register(session: String, name: ParticipantName, displayName: String? = nil, email: String? = nil,
                         key: SSHPublicKey, via interface: Interface,
                         existing policy: ExistingNamePolicy = .replaceKey,
                         participantCap: Int? = nil) throws -> RegistrationOutcome {
        try SessionName.validate(session)
        let pool = self.pool
        return try database.write { db in
            // The cap is checked in this write transaction, so concurrent writers cannot overshoot it.
            var allocator = RegistrationAllocator(pool: pool, participantCap: { _ in participantCap })
            return try Self.register(session: session, name: name, displayName: displayName, email: email, key: key,
                                     via: interface, existing: policy, allocator: &allocator, db)
        }
    }

    /// The body of `register`, for callers that already hold a write
    /// transaction (batches). The caller reports `.added` rows to `allocator`.
    /// `fingerprint` may be computed by the caller outside the write transaction (it is a
    /// hash); `sessionExists` skips the session-row check when the caller already knows it
    /// exists (an open intake code references its session row by foreign key).
    static func register(session: String, name: ParticipantName, displayName: String?, email: String?,
                         key: SSHPublicKey, via interface: Interface, existing policy: ExistingNamePolicy,
                         allocator: inout RegistrationAllocator, fingerprint: String? = nil, sessionExists: Bool = false,
                         _ db: Database) throws -> RegistrationOutcome {
        // Every way in (CLI, files, web, API) stores only addresses the mailer can send to.
        let email = try EmailAddress.optional(email)?.value
        if !sessionExists { _ = try Self.ensureSession(session, db) }
        let now = Date()
        let fingerprint = fingerprint ?? key.fingerprint
        // Cached statements: the intake writer runs these once per submission, and
        // compiling the SQL each time cost more than SQLite running it.
        // `active` alone (not `active = 1`) so SQLite uses the partial unique index.
        let owner = try KeyRecord.fetchOne(
            db.cachedStatement(sql: "SELECT * FROM participantKey WHERE session = ? AND fingerprint = ? AND active"),
            arguments: [session, fingerprint])
        if let current = try ParticipantRecord.fetchOne(
            db.cachedStatement(sql: "SELECT * FROM participant WHERE session = ? AND name = ?"),
            arguments: [session, name.value]) {
            let activeKey = try Self.activeKey(of: current, db)
            if activeKey.fingerprint == fingerprint {
                return .unchanged(Participant(record: current, key: activeKey))
            }
            if let owner, owner.participantID != current.id {
                throw RegistryError.keyInUse(fingerprint: fingerprint, owner: try Self.discreteID(of: owner.participantID, db), session: session)
            }
            guard policy == .replaceKey else { throw RegistryError.nameTaken(name: name.value, session: session) }
            var old = activeKey
            old.active = false
            old.replacedAt = now
            try old.update(db)
            var newKey = KeyRecord(id: nil, participantID: current.id!, session: session, keyLine: key.openSSHLine,
                                   fingerprint: fingerprint, active: true, addedAt: now, replacedAt: nil)
            try newKey.insert(db)
            // After deploy the cluster keeps the key it was built with in Terraform (item 23.5).
            try Self.keepBuiltKey(of: current, replaced: activeKey, db)
            var updated = current
            updated.updatedAt = now
            if let email { updated.email = email }
            if let displayName { updated.displayName = displayName }
            try updated.update(db)
            try Self.audit(db, session: session, participant: name.value, action: "key-replaced",
                           detail: "\(old.fingerprint) -> \(fingerprint)", interface: interface)
            return .keyReplaced(Participant(record: updated, key: newKey), previousFingerprint: old.fingerprint)
        }
        if let owner {
            throw RegistryError.keyInUse(fingerprint: fingerprint, owner: try Self.discreteID(of: owner.participantID, db), session: session)
        }
        try allocator.admitNewParticipant(session: session, db)
        let cidr = try allocator.network(db)
        var record = ParticipantRecord(id: nil, session: session, name: name.value,
                                       displayName: displayName ?? Self.defaultDisplayName(name), email: email,
                                       discreteID: try allocator.discreteID(for: name, session: session, db),
                                       podCIDR: cidr, createdAt: now, updatedAt: now)
        try IntakeRows.insert(&record, db)
        try PodNetworkRows.insert(participantID: record.id!, network: cidr, db)
        var keyRecord = KeyRecord(id: nil, participantID: record.id!, session: session, keyLine: key.openSSHLine,
                                  fingerprint: fingerprint, active: true, addedAt: now, replacedAt: nil)
        try IntakeRows.insert(&keyRecord, db)
        try Self.audit(db, session: session, participant: name.value, action: "added",
                       detail: "\(record.discreteID) \(fingerprint) \(cidr)", interface: interface)
        return .added(Participant(record: record, key: keyRecord))
    }

    /// Every participant of a session with their active key, by name.
    public func participants(in session: String) throws -> [Participant] {
        try database.read { db in
            // One query for everyone (an association), not one key query per participant.
            try ParticipantRecord.all().inSession(session).including(required: ParticipantRecord.activeKey)
                .asRequest(of: ParticipantWithKey.self).fetchAll(db)
                .map { Participant(record: $0.participant, key: $0.activeKey) }
        }
    }

    public func participant(session: String, name: String) throws -> Participant? {
        try database.read { db in
            guard let record = try ParticipantRecord.all().named(name, in: session).fetchOne(db) else { return nil }
            return Participant(record: record, key: try Self.activeKey(of: record, db))
        }
    }

    /// Removes a participant and their keys; their pod network is free again.
    public func removeParticipant(session: String, name: String, via interface: Interface) throws {
        try database.write { db in
            guard let record = try ParticipantRecord.all().named(name, in: session).fetchOne(db) else {
                throw RegistryError.noSuchParticipant(name: name, session: session)
            }
            try Self.remove(record, via: interface, db)
        }
    }

    /// Deletes one participant row (keys, pin and pod network go with it), audit-logged.
    static func remove(_ record: ParticipantRecord, via interface: Interface, detail: String = "", _ db: Database) throws {
        let session = record.session, name = record.name
        // Their host-key pin goes with them (cascade); the audit log keeps what it was.
        if let pin = try HostKeyRecord.filter(SharedColumns.participantID == record.id!).fetchOne(db) {
            try Self.audit(db, session: session, participant: name, action: "host-key-retired",
                           detail: "\(record.discreteID) \(pin.keyType) \(pin.fingerprint)", interface: interface)
        }
        try record.delete(db)
        try Self.audit(db, session: session, participant: name, action: "removed",
                       detail: "\(record.discreteID) released \(record.podCIDR)\(detail)", interface: interface)
    }

    /// Removes a session with everything recorded for it (participants, keys,
    /// secrets, outputs, pins); their pod networks are free again. The audit log stays.
    public func removeSession(_ session: String, via interface: Interface) throws {
        try database.write { db in
            guard let record = try SessionRecord.fetchOne(db, key: session) else { throw RegistryError.noSuchSession(session) }
            let released = try String.fetchAll(db, sql: "SELECT podCIDR FROM participant WHERE session = ?", arguments: [session])
            try record.delete(db)
            try Self.audit(db, session: session, participant: nil, action: "session-removed",
                           detail: "released \(released.count) pod CIDR(s)", interface: interface)
        }
    }

    /// Key history of a participant, oldest first (active key last).
    public func keyHistory(session: String, name: String) throws -> [KeyRecord] {
        try database.read { db in
            guard let record = try ParticipantRecord.all().named(name, in: session).fetchOne(db) else { return [] }
            return try KeyRecord.filter(KeyRecord.Columns.participantID == record.id!).order(KeyRecord.Columns.id).fetchAll(db)
        }
    }

    public func auditLog(session: String) throws -> [AuditEntry] {
        try database.read { db in try AuditEntry.filter(AuditEntry.Columns.session == session).order(AuditEntry.Columns.id).fetchAll(db) }
    }

    // MARK: Helpers

    static func activeKey(of participant: ParticipantRecord, _ db: Database) throws -> KeyRecord {
        guard let key = try KeyRecord.filter(KeyRecord.Columns.participantID == participant.id! && KeyRecord.Columns.active).fetchOne(db) else {
            throw RegistryError.noSuchParticipant(name: participant.name, session: participant.session)
        }
        return key
    }

    /// How a participant is named to someone else (an error about a key or a spare): the discrete id.
    static func discreteID(of participantID: Int64, _ db: Database) throws -> String {
        let record = try ParticipantRecord.fetchOne(db, key: participantID)
        return record?.discreteID ?? "another participant"
    }

    static func defaultDisplayName(_ name: ParticipantName) -> String {
        name.parts.map { $0.split(separator: "-").map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined(separator: "-") }
            .joined(separator: " ")
    }

    public static func audit(_ db: Database, session: String, participant: String?, action: String, detail: String, interface: Interface) throws {
        var entry = AuditEntry(id: nil, at: Date(), session: session, participant: participant, action: action,
                               detail: detail, interface: interface.rawValue)
        try IntakeRows.insert(&entry, db)
    }
}
