import GRDB

/// The registry's schema. Migrations are append-only: never edit a shipped one,
/// add the next `vN-…` instead.
enum Migrations {
    static var migrator: DatabaseMigrator {
        var m = DatabaseMigrator()
        m.registerMigration("v1-registry") { db in
            try db.create(table: "session") { t in
                t.primaryKey("name", .text)
                t.column("createdAt", .datetime).notNull()
            }
            try db.create(table: "participant") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("session", .text).notNull().indexed()
                    .references("session", column: "name", onDelete: .cascade)
                t.column("name", .text).notNull()
                t.column("displayName", .text).notNull()
                t.column("email", .text)
                t.column("discreteID", .text).notNull()
                // One pod network per cluster across every session sharing the VPC.
                t.column("podCIDR", .text).notNull().unique()
                t.column("createdAt", .datetime).notNull()
                t.column("updatedAt", .datetime).notNull()
                t.uniqueKey(["session", "name"])
                t.uniqueKey(["session", "discreteID"])
            }
            try db.create(table: "participantKey") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("participantID", .integer).notNull().indexed()
                    .references("participant", onDelete: .cascade)
                t.column("session", .text).notNull()
                t.column("keyLine", .text).notNull()
                t.column("fingerprint", .text).notNull()
                t.column("active", .boolean).notNull()
                t.column("addedAt", .datetime).notNull()
                t.column("replacedAt", .datetime)
            }
            // The same key cannot be active for two participants of one session.
            try db.execute(sql: """
                CREATE UNIQUE INDEX participantKey_activeFingerprint
                ON participantKey(session, fingerprint) WHERE active
                """)
            try db.execute(sql: """
                CREATE UNIQUE INDEX participantKey_onePerParticipant
                ON participantKey(participantID) WHERE active
                """)
            try db.create(table: "auditEntry") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("at", .datetime).notNull()
                t.column("session", .text).notNull().indexed()
                t.column("participant", .text)
                t.column("action", .text).notNull()
                t.column("detail", .text).notNull()
                t.column("interface", .text).notNull()
            }
        }
        return m
    }
}
