import GRDB

/// Cluster, host-key pin and verification rows belong to a participant row: removing
/// the participant removes them (a later participant given the same discrete id must
/// never inherit an old pin or an old "ready").
enum ParticipantLinkMigrations {
    static let tables = ["cluster", "hostKey", "verification"]

    static func register(in migrator: inout DatabaseMigrator) {
        migrator.registerMigration("v7-participant-links") { db in
            for table in tables {
                try db.alter(table: table) { t in
                    t.add(column: "participantID", .integer).references("participant", onDelete: .cascade)
                }
                try db.execute(sql: """
                    UPDATE \(table) SET participantID =
                      (SELECT p.id FROM participant p WHERE p.session = \(table).session AND p.discreteID = \(table).discreteID)
                    """)
                // Rows of participants removed before this migration: nobody may inherit them.
                try db.execute(sql: "DELETE FROM \(table) WHERE participantID IS NULL")
                try db.create(index: "\(table)_on_participantID", on: table, columns: ["participantID"])
            }
        }
    }
}
