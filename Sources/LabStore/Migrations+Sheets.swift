import GRDB

/// The sheets' own table: what `labctl sheets --send` delivered to whom, so that a
/// re-run sends only what was not sent.
enum SheetsMigrations {
    static func register(in migrator: inout DatabaseMigrator) {
        migrator.registerMigration("v6-sheets") { db in
            try db.create(table: "sheetDelivery") { t in
                // Per participant row: removing a participant forgets their deliveries, and a
                // participant added again under the same name is a new person to mail.
                t.primaryKey("participantID", .integer).references("participant", onDelete: .cascade)
                t.column("session", .text).notNull().indexed()
                t.column("participant", .text).notNull()
                t.column("recipient", .text).notNull()
                t.column("status", .text).notNull()
                t.column("detail", .text).notNull()
                t.column("messageID", .text)
                t.column("attempts", .integer).notNull()
                t.column("attemptedAt", .datetime).notNull()
            }
        }
    }
}
