import GRDB

/// Class day (issue 14): each participant's state history and when each apply started,
/// for the room table (`labctl status <session>`, the dashboard) and time-to-ready.
enum ParticipantStateMigrations {
    static func register(in migrator: inout DatabaseMigrator) {
        migrator.registerMigration("classday-participant-states") { db in
            try db.create(table: "participantState") { t in
                t.autoIncrementedPrimaryKey("id")
                // Removing a participant forgets their history; the audit log keeps what matters.
                t.column("participantID", .integer).notNull().indexed()
                    .references("participant", onDelete: .cascade)
                t.column("session", .text).notNull().indexed()
                t.column("state", .text).notNull()
                t.column("enteredAt", .datetime).notNull()
                t.column("detail", .text)
            }
            // Every way a key comes in (CLI, file import, web form, API, batches) writes
            // participantKey: a trigger records "key received" for all of them, in the
            // same transaction, without each writer having to remember it.
            try db.execute(sql: """
                CREATE TRIGGER participantState_keyReceived AFTER INSERT ON participantKey
                WHEN NEW.active
                BEGIN
                  INSERT INTO participantState(participantID, session, state, enteredAt, detail)
                  VALUES (NEW.participantID, NEW.session, 'key-received', NEW.addedAt, NEW.fingerprint);
                END
                """)
            // Participants registered before this migration: their key's arrival is known.
            try db.execute(sql: """
                INSERT INTO participantState(participantID, session, state, enteredAt, detail)
                SELECT participantID, session, 'key-received', addedAt, fingerprint FROM participantKey WHERE active
                """)
            try db.create(table: "applyRun") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("session", .text).notNull().indexed()
                    .references("session", column: "name", onDelete: .cascade)
                t.column("startedAt", .datetime).notNull()
            }
        }
    }
}
