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
        // What provisioning records and verification pins, read by sheets and the dashboard.
        m.registerMigration("v2-deployment") { db in
            try db.create(table: "sessionSecret") { t in
                t.primaryKey("session", .text).references("session", column: "name", onDelete: .cascade)
                t.column("operatorPrivateKey", .text).notNull()
                t.column("operatorPublicKey", .text).notNull()
                t.column("createdAt", .datetime).notNull()
            }
            try db.create(table: "clusterSecret") { t in
                t.primaryKey("participantID", .integer).references("participant", onDelete: .cascade)
                t.column("joinToken", .text).notNull()
                t.column("caCertPEM", .text).notNull()
                t.column("caKeyPEM", .text).notNull()
                t.column("caCertHash", .text).notNull()
            }
            try db.create(table: "cluster") { t in
                t.column("session", .text).notNull().references("session", column: "name", onDelete: .cascade)
                t.column("discreteID", .text).notNull()
                t.column("masterPublicIP", .text)
                t.column("masterPrivateIP", .text)
                t.column("workerPublicIPs", .jsonText).notNull()
                t.column("workerPrivateIPs", .jsonText).notNull()
                t.column("podCIDR", .text)
                t.column("masterInstanceID", .text)
                t.column("workerInstanceIDs", .jsonText).notNull()
                t.column("recordedAt", .datetime).notNull()
                t.primaryKey(["session", "discreteID"])
            }
            try db.create(table: "hostKey") { t in
                t.column("session", .text).notNull().references("session", column: "name", onDelete: .cascade)
                t.column("discreteID", .text).notNull()
                t.column("keyType", .text).notNull()
                t.column("keyBase64", .text).notNull()
                t.column("fingerprint", .text).notNull()
                t.column("pinnedAt", .datetime).notNull()
                t.primaryKey(["session", "discreteID"])
            }
            try db.create(table: "verification") { t in
                t.column("session", .text).notNull().references("session", column: "name", onDelete: .cascade)
                t.column("discreteID", .text).notNull()
                t.column("host", .text).notNull()
                t.column("port", .integer).notNull()
                t.column("ready", .boolean).notNull()
                t.column("checksJSON", .jsonText).notNull()
                t.column("nodesReady", .integer)
                t.column("nodesExpected", .integer)
                t.column("checkedAt", .datetime).notNull()
                t.primaryKey(["session", "discreteID"])
            }
        }
        IntakeMigrations.register(in: &m)
        SheetsMigrations.register(in: &m)
        ParticipantLinkMigrations.register(in: &m)
        PodNetworkMigrations.register(in: &m)
        ParticipantStateMigrations.register(in: &m)
        SpareMigrations.register(in: &m)
        LabIdentityMigrations.register(in: &m)
        DeployedKeyMigrations.register(in: &m)
        return m
    }
}
