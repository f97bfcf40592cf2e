import Foundation
import GRDB

/// Deployment state: secrets, Terraform outputs, pinned host keys, verification results.
extension Registry {
    public func sessionSecret(_ session: String) throws -> SessionSecretRecord? {
        try database.read { db in try SessionSecretRecord.fetchOne(db, key: session) }
    }

    /// Stores the session's secret once; a second call keeps the first (secrets are generated once per session).
    @discardableResult
    public func storeSessionSecretIfAbsent(_ secret: SessionSecretRecord) throws -> SessionSecretRecord {
        try database.write { db in
            _ = try Self.ensureSession(secret.session, db)
            if let existing = try SessionSecretRecord.fetchOne(db, key: secret.session) { return existing }
            try secret.insert(db)
            try Self.audit(db, session: secret.session, participant: nil, action: "secrets-generated",
                           detail: "operator key \(secret.operatorPublicKey.split(separator: " ").prefix(2).joined(separator: " ").suffix(12))",
                           interface: .cli)
            return secret
        }
    }

    public func clusterSecret(participantID: Int64) throws -> ClusterSecretRecord? {
        try database.read { db in try ClusterSecretRecord.fetchOne(db, key: participantID) }
    }

    @discardableResult
    public func storeClusterSecretIfAbsent(_ secret: ClusterSecretRecord) throws -> ClusterSecretRecord {
        try database.write { db in
            if let existing = try ClusterSecretRecord.fetchOne(db, key: secret.participantID) { return existing }
            try secret.insert(db)
            return secret
        }
    }

    /// Replaces the session's recorded clusters with Terraform's latest outputs.
    public func recordClusters(session: String, _ clusters: [ClusterRecord]) throws {
        try database.write { db in
            _ = try Self.ensureSession(session, db)
            try ClusterRecord.filter(SharedColumns.session == session).deleteAll(db)
            for var c in clusters {
                c.participantID = try Self.participantID(session: session, discreteID: c.discreteID, db)
                try c.insert(db)
            }
        }
    }

    public func clusters(session: String) throws -> [ClusterRecord] {
        try database.read { db in try ClusterRecord.filter(SharedColumns.session == session).order(SharedColumns.discreteID).fetchAll(db) }
    }

    public func hostKeys(session: String) throws -> [HostKeyRecord] {
        try database.read { db in try HostKeyRecord.filter(SharedColumns.session == session).order(SharedColumns.discreteID).fetchAll(db) }
    }

    /// Pins a host key on first sight. Returns the pinned record (the existing one if already pinned).
    @discardableResult
    public func pinHostKeyIfAbsent(_ key: HostKeyRecord) throws -> HostKeyRecord { try pinHostKey(key).pinned }

    /// Pins a host key on first sight, in one transaction; `isNew` tells whether this call pinned it.
    public func pinHostKey(_ key: HostKeyRecord) throws -> (pinned: HostKeyRecord, isNew: Bool) {
        try database.write { db in
            _ = try Self.ensureSession(key.session, db)
            if let existing = try HostKeyRecord.fetchOne(db, key: ["session": key.session, "discreteID": key.discreteID]) {
                return (existing, false)
            }
            var key = key
            key.participantID = try Self.participantID(session: key.session, discreteID: key.discreteID, db)
            try key.insert(db)
            try Self.audit(db, session: key.session, participant: try Self.participantName(session: key.session, discreteID: key.discreteID, db),
                           action: "host-key-pinned", detail: "\(key.discreteID) \(key.fingerprint)", interface: .cli)
            return (key, true)
        }
    }

    /// Forgets a pinned host key (after a deliberate re-deploy), audited.
    public func unpinHostKey(session: String, discreteID: String) throws {
        try database.write { db in
            _ = try HostKeyRecord.deleteOne(db, key: ["session": session, "discreteID": discreteID])
            try Self.audit(db, session: session, participant: try Self.participantName(session: session, discreteID: discreteID, db),
                           action: "host-key-unpinned", detail: discreteID, interface: .cli)
        }
    }

    public func saveVerifications(_ results: [VerificationRecord]) throws {
        try database.write { db in
            for var r in results {
                _ = try Self.ensureSession(r.session, db)
                r.participantID = try Self.participantID(session: r.session, discreteID: r.discreteID, db)
                try r.save(db)
            }
        }
    }

    public func verifications(session: String) throws -> [VerificationRecord] {
        try database.read { db in try VerificationRecord.filter(SharedColumns.session == session).order(SharedColumns.discreteID).fetchAll(db) }
    }

    /// The row id of the participant with this discrete id in the session, if any.
    static func participantID(session: String, discreteID: String, _ db: Database) throws -> Int64? {
        try Int64.fetchOne(db, sql: "SELECT id FROM participant WHERE session = ? AND discreteID = ?", arguments: [session, discreteID])
    }

    /// The participant's name for an audit entry's `participant` (always the name, as
    /// the intake's entries have it); nil for a cluster no participant owns (a spare).
    static func participantName(session: String, discreteID: String, _ db: Database) throws -> String? {
        try String.fetchOne(db, sql: "SELECT name FROM participant WHERE session = ? AND discreteID = ?", arguments: [session, discreteID])
    }
}
