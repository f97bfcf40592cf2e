import GRDB

/// The intake service's tables (issue #5): enrollment codes, participants'
/// personal edit tokens, the trainer's admin token and login sessions.
/// Secrets are stored as SHA-256 digests only, except the enrollment code,
/// which is shared with a whole class on purpose and shown on the dashboard.
enum IntakeMigrations {
    static func register(in migrator: inout DatabaseMigrator) {
        migrator.registerMigration("v5-intake") { db in
            try db.create(table: "intakeCode") { t in
                t.primaryKey("session", .text).references("session", column: "name", onDelete: .cascade)
                t.column("code", .text).notNull()
                t.column("codeDigest", .text).notNull().unique()
                t.column("isOpen", .boolean).notNull()
                t.column("createdAt", .datetime).notNull()
                t.column("changedAt", .datetime).notNull()
            }
            try db.create(table: "participantToken") { t in
                t.primaryKey("participantID", .integer).references("participant", onDelete: .cascade)
                t.column("tokenDigest", .text).notNull().unique()
                t.column("createdAt", .datetime).notNull()
            }
            try db.create(table: "adminCredential") { t in
                t.primaryKey("id", .integer).check { $0 == 1 }
                t.column("tokenDigest", .text).notNull()
                t.column("createdAt", .datetime).notNull()
            }
            try db.create(table: "adminLogin") { t in
                t.primaryKey("digest", .text)
                t.column("csrfToken", .text).notNull()
                t.column("createdAt", .datetime).notNull()
                t.column("expiresAt", .datetime).notNull().indexed()
            }
        }
    }
}
