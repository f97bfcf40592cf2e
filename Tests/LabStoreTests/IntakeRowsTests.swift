import Foundation
import GRDB
import LabTestSupport
import XCTest
@testable import LabCore
@testable import LabStore

/// The intake writer's hand-written INSERTs must store exactly the rows GRDB's
/// record inserts store (every column, dates as text), and its cached savepoint
/// must undo exactly one operation's writes.
final class IntakeRowsTests: RegistryTestCase {
    private var other: Registry!

    override func setUpWithError() throws {
        try super.setUpWithError()
        other = try Registry(path: dir.file("other.sqlite").path)
        for r in [registry!, other!] { try r.ensureSession("s1") }
    }

    override func tearDown() {
        other = nil
        super.tearDown()
    }

    /// The same records, inserted by GRDB into `registry` and by `IntakeRows` into `other`.
    private func insertBothWays() throws -> (grdb: [Int64?], ours: [Int64?]) {
        let at = Date(timeIntervalSince1970: 1_764_499_200.123_456)
        let participants = [
            ParticipantRecord(id: nil, session: "s1", name: "jane.doe", displayName: "Jane Doe", email: nil,
                              discreteID: "jane.do", podCIDR: "10.112.0.0/20", createdAt: at, updatedAt: at.addingTimeInterval(1.5)),
            ParticipantRecord(id: nil, session: "s1", name: "ann.lee", displayName: "Ann Lee", email: "ann@example.org",
                              discreteID: "ann.le", podCIDR: "10.112.16.0/20", createdAt: at, updatedAt: at),
        ]
        let key = KeyRecord(id: nil, participantID: 1, session: "s1", keyLine: "ssh-ed25519 AAAA jane@laptop",
                            fingerprint: "SHA256:abc", active: false, addedAt: at, replacedAt: at.addingTimeInterval(60))
        let activeKey = KeyRecord(id: nil, participantID: 2, session: "s1", keyLine: "ssh-ed25519 AAAB ann@laptop",
                                  fingerprint: "SHA256:def", active: true, addedAt: at, replacedAt: nil)
        let audits = [
            AuditEntry(id: nil, at: at, session: "s1", participant: nil, action: "intake-opened", detail: "", interface: "cli"),
            AuditEntry(id: nil, at: at, session: "s1", participant: "jane.doe", action: "added", detail: "jane.do x", interface: "api"),
        ]
        let token = ParticipantTokenRecord(participantID: 2, tokenDigest: "digest-of-token", createdAt: at)

        let grdb = try registry.database.write { db -> [Int64?] in
            var ids: [Int64?] = []
            for var p in participants { try p.insert(db); ids.append(p.id) }
            for var k in [key, activeKey] { try k.insert(db); ids.append(k.id) }
            for var a in audits { try a.insert(db); ids.append(a.id) }
            try token.insert(db)
            return ids
        }
        let ours = try other.database.write { db -> [Int64?] in
            var ids: [Int64?] = []
            for var p in participants { try IntakeRows.insert(&p, db); ids.append(p.id) }
            for var k in [key, activeKey] { try IntakeRows.insert(&k, db); ids.append(k.id) }
            for var a in audits { try IntakeRows.insert(&a, db); ids.append(a.id) }
            try IntakeRows.insert(token, db)
            return ids
        }
        return (grdb, ours)
    }

    func testHandWrittenInsertsStoreTheSameRowsAsRecordInserts() throws {
        let ids = try insertBothWays()
        XCTAssertEqual(ids.ours, ids.grdb, "the ids given back to the records")
        XCTAssertFalse(ids.ours.contains(nil))
        // Every column as SQLite stores it (type and value), not as the records decode it.
        for table in ["participant", "participantKey", "auditEntry", "participantToken", "participantState"] {
            let sql = "SELECT * FROM \(table) ORDER BY rowid"
            let expected = try registry.database.read { db in try Row.fetchAll(db, sql: sql) }
            let actual = try other.database.read { db in try Row.fetchAll(db, sql: sql) }
            XCTAssertEqual(actual, expected, table)
            if table != "participantState" { XCTAssertFalse(expected.isEmpty, table) }
            let types = "SELECT " + (expected.first?.columnNames.map { "typeof(\($0))" }.joined(separator: ", ") ?? "1") + " FROM \(table) ORDER BY rowid"
            XCTAssertEqual(try other.database.read { db in try Row.fetchAll(db, sql: types) },
                           try registry.database.read { db in try Row.fetchAll(db, sql: types) }, "\(table) column types")
        }
    }

    struct Refused: Error {}

    /// A refused operation leaves nothing behind; those before and after it stay.
    func testCachedSavepointUndoesOnlyTheFailedOperation() throws {
        let names = try registry.database.write { db -> [String] in
            func add(_ name: String) throws {
                try db.execute(sql: "INSERT INTO auditEntry (at, session, action, detail, interface) VALUES ('2026-01-01 00:00:00.000', 's1', ?, '', 'cli')",
                               arguments: [name])
            }
            XCTAssertEqual(try db.inCachedSavepoint { try add("first"); return 1 }, 1)
            XCTAssertThrowsError(try db.inCachedSavepoint { try add("refused-a"); try add("refused-b"); throw Refused() }) {
                XCTAssertTrue($0 is Refused, "the body's own error, not the rollback's")
            }
            try db.inCachedSavepoint { try add("third") }
            return try String.fetchAll(db, sql: "SELECT action FROM auditEntry ORDER BY id")
        }
        XCTAssertEqual(names, ["first", "third"])
        // And the transaction committed (no savepoint left open).
        XCTAssertEqual(try registry.database.read { db in try String.fetchAll(db, sql: "SELECT action FROM auditEntry ORDER BY id") },
                       ["first", "third"])
    }
}
