import GRDB

/// Issue 27.5: a lab's identity (`LabID`), made once and never regenerated: one row of
/// a key/value table of lab-wide settings, so later lab-wide values need no new table.
enum LabIdentityMigrations {
    static let table = "labSetting"

    static func register(in migrator: inout DatabaseMigrator) {
        migrator.registerMigration("lab-identity") { db in
            try db.create(table: table) { t in
                t.primaryKey("key", .text)
                t.column("value", .text).notNull()
                t.column("createdAt", .datetime).notNull()
            }
        }
    }
}
