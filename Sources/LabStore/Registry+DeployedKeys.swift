import Foundation
import GRDB

/// Keys replaced after deploy (issue 23, item 5): the key a cluster was built with stays
/// in its Terraform inputs, the replacement goes onto the nodes over SSH.
extension Registry {
    /// Called inside the key replacement's transaction: when the participant has a
    /// recorded cluster, the key it was built with is kept (the first time only: a
    /// second replacement keeps the original) and the new key is marked not yet pushed.
    static func keepBuiltKey(of participant: ParticipantRecord, replaced previous: KeyRecord, _ db: Database) throws {
        let deployed = try Bool.fetchOne(
            db.cachedStatement(sql: "SELECT EXISTS (SELECT 1 FROM cluster WHERE session = ? AND discreteID = ?)"),
            arguments: [participant.session, participant.discreteID]) ?? false
        guard deployed else { return }
        if var row = try DeployedKeyRecord.fetchOne(db, key: participant.id!) {
            row.pushError = nil
            row.updatedAt = Date()
            try row.update(db)
        } else {
            try DeployedKeyRecord(participantID: participant.id!, builtKeyLine: previous.keyLine, pushedFingerprint: nil,
                                  pushError: nil, updatedAt: Date()).insert(db)
        }
    }

    /// The session's rows by participant row id.
    public func deployedKeys(session: String) throws -> [Int64: DeployedKeyRecord] {
        try database.read { db in
            let rows = try DeployedKeyRecord.fetchAll(db, sql: """
                SELECT d.* FROM deployedKey d JOIN participant p ON p.id = d.participantID WHERE p.session = ?
                """, arguments: [session])
            return Dictionary(uniqueKeysWithValues: rows.map { ($0.participantID, $0) })
        }
    }

    public func deployedKey(participantID: Int64) throws -> DeployedKeyRecord? {
        try database.read { db in try DeployedKeyRecord.fetchOne(db, key: participantID) }
    }

    /// Records a push of `fingerprint` (the active key): confirmed on every node, or why not. Audited.
    public func recordKeyPush(session: String, participant: Participant, error: String?, via interface: Interface) throws {
        try database.write { db in
            guard var row = try DeployedKeyRecord.fetchOne(db, key: participant.record.id!) else { return }
            row.pushedFingerprint = error == nil ? participant.fingerprint : row.pushedFingerprint
            row.pushError = error
            row.updatedAt = Date()
            try row.update(db)
            try Self.audit(db, session: session, participant: participant.name, action: error == nil ? "key-pushed" : "key-push-failed",
                           detail: "\(participant.fingerprint)\(error.map { ": \($0)" } ?? "")", interface: interface)
        }
    }

    /// Marks the active key as no longer confirmed on these participants' clusters (new
    /// instances booted with the built key), with the reason the room and /me show.
    public func keyPushNeeded(participantIDs: [Int64], reason: String) throws {
        guard !participantIDs.isEmpty else { return }
        try database.write { db in
            for var row in try DeployedKeyRecord.fetchAll(db, keys: participantIDs) {
                row.pushedFingerprint = nil
                row.pushError = reason
                row.updatedAt = Date()
                try row.update(db)
            }
        }
    }

    /// Forgets the built keys of participants whose clusters are (being) built anew with
    /// their active key (`labctl rebuild`), or who have no cluster any more.
    public func forgetBuiltKeys(participantIDs: [Int64]) throws {
        guard !participantIDs.isEmpty else { return }
        try database.write { db in _ = try DeployedKeyRecord.deleteAll(db, keys: participantIDs) }
    }
}
