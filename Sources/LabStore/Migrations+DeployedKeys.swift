import GRDB

/// Issue 23, item 5: a key replaced after the participant's cluster exists. The key is
/// part of the cluster's user data (Terraform's bootstrap hash), so the Terraform inputs
/// keep the key the cluster was built with, and the new key goes onto the nodes over
/// SSH instead; this row remembers both (one per participant, only once replaced).
enum DeployedKeyMigrations {
    static let table = "deployedKey"

    static func register(in migrator: inout DatabaseMigrator) {
        migrator.registerMigration("deployed-keys") { db in
            try db.create(table: table) { t in
                t.primaryKey("participantID", .integer).references("participant", onDelete: .cascade)
                // The key in the cluster's Terraform inputs (user data, key pair).
                t.column("builtKeyLine", .text).notNull()
                // The active key's fingerprint as last confirmed on every node; NULL: not yet.
                t.column("pushedFingerprint", .text)
                // Why the last push did not reach every node (NULL: it did, or none was tried).
                t.column("pushError", .text)
                t.column("updatedAt", .datetime).notNull()
            }
        }
    }
}
