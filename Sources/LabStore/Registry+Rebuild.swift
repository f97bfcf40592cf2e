import Foundation
import GRDB

/// Host-key pins of clusters replaced on purpose (`labctl rebuild`).
extension Registry {
    /// Forgets the participant's pinned host key because their master is being replaced,
    /// keeping what it was in the audit log ("host-key-retired", as when a participant
    /// is removed). Returns the retired fingerprint, nil when nothing was pinned.
    @discardableResult
    public func retireHostKey(session: String, discreteID: String, reason: String, via interface: Interface = .cli) throws -> String? {
        try database.write { db in
            guard let pin = try HostKeyRecord.fetchOne(db, key: ["session": session, "discreteID": discreteID]) else { return nil }
            try pin.delete(db)
            try Self.audit(db, session: session, participant: try Self.participantName(session: session, discreteID: discreteID, db),
                           action: "host-key-retired",
                           detail: "\(discreteID) \(pin.keyType) \(pin.fingerprint) (\(reason))", interface: interface)
            return pin.fingerprint
        }
    }

    /// Forgets the participant's last verification: it described instances that are gone,
    /// and sheets must not go out for the new ones before a verify says they are ready.
    public func forgetVerification(session: String, discreteID: String) throws {
        try database.write { db in
            _ = try VerificationRecord.deleteOne(db, key: ["session": session, "discreteID": discreteID])
        }
    }
}
