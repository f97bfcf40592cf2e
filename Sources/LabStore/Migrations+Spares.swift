import GRDB

/// Class day (issue 14, spares): clusters built without a participant and handed to a
/// late joiner later. A spare keeps its own pod network and kubeadm secrets for life
/// (its user data must never change, or Terraform would rebuild it), so they live on
/// the spare's row, not the participant's; assigning only sets `participantID`.
enum SpareMigrations {
    static let table = "spareCluster"

    static func register(in migrator: inout DatabaseMigrator) {
        migrator.registerMigration("classday-spares") { db in
            try db.create(table: table) { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("session", .text).notNull().indexed()
                    .references("session", column: "name", onDelete: .cascade)
                // The Terraform key (`spare_<id>`): never a participant's discrete id (no `_` there).
                t.column("clusterKey", .text).notNull()
                t.column("podCIDR", .text).notNull().unique()
                t.column("firstAddress", .integer).notNull()
                t.column("lastAddress", .integer).notNull()
                t.column("joinToken", .text).notNull()
                t.column("caCertPEM", .text).notNull()
                t.column("caKeyPEM", .text).notNull()
                t.column("caCertHash", .text).notNull()
                // Removing the participant removes their (former spare) cluster too, like anyone's.
                t.column("participantID", .integer).unique()
                    .references("participant", onDelete: .cascade)
                t.column("createdAt", .datetime).notNull()
                t.column("assignedAt", .datetime)
                t.uniqueKey(["session", "clusterKey"])
            }
            // One pod network per cluster across the VPC: spares' networks and participants'
            // networks must stay disjoint, whichever table the newcomer goes into.
            try db.execute(sql: """
                CREATE TRIGGER spareCluster_disjoint BEFORE INSERT ON \(table)
                WHEN EXISTS (SELECT 1 FROM \(PodNetworkRows.table) WHERE firstAddress <= NEW.lastAddress AND lastAddress >= NEW.firstAddress)
                  OR EXISTS (SELECT 1 FROM \(table) WHERE firstAddress <= NEW.lastAddress AND lastAddress >= NEW.firstAddress)
                BEGIN SELECT RAISE(ABORT, 'pod network overlaps one in use'); END
                """)
            try db.execute(sql: """
                CREATE TRIGGER podNetwork_disjointFromSpares BEFORE INSERT ON \(PodNetworkRows.table)
                WHEN EXISTS (SELECT 1 FROM \(table) WHERE firstAddress <= NEW.lastAddress AND lastAddress >= NEW.firstAddress)
                BEGIN SELECT RAISE(ABORT, 'pod network overlaps a spare cluster''s'); END
                """)
        }
    }
}
