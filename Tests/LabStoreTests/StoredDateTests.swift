import Foundation
import GRDB
import LabTestSupport
import XCTest
@testable import LabCore
@testable import LabStore

/// The hand-written date text of the intake's hot records must be exactly what
/// GRDB's own DateFormatter writes, or SQL comparisons and other readers break.
final class StoredDateTests: RegistryTestCase {

    /// GRDB's default text for `date` (its DateFormatter), the reference.
    private func grdbText(_ date: Date) -> String? { String.fromDatabaseValue(date.databaseValue) }

    func testSameTextAsGRDBForEdgeDates() {
        let edges: [TimeInterval] = [
            0, -0.0005, -1, -86_400, 0.0009999, 0.001, 59.9999, 951_782_400,  // 2000-02-29
            951_868_799.9995, 1_709_164_800.123456, 4_102_444_799.999, 253_402_300_799.999,  // 9999-12-31
            -2_208_988_800.5, -62_135_596_800,  // 0001-01-01
        ]
        for t in edges {
            let date = Date(timeIntervalSince1970: t)
            XCTAssertEqual(StoredDate.string(date), grdbText(date), "at \(t)")
        }
        let now = Date()
        XCTAssertEqual(StoredDate.string(now), grdbText(now))
    }

    func testSameTextAsGRDBForRandomDates() {
        var rng = SystemRandomNumberGenerator()
        for _ in 0..<20_000 {
            // 1800..2400 with sub-millisecond fractions.
            let date = Date(timeIntervalSince1970: Double.random(in: -5_364_662_400 ... 13_569_465_600, using: &rng))
            XCTAssertEqual(StoredDate.string(date), grdbText(date), "at \(date.timeIntervalSince1970)")
        }
    }

    /// A registered participant's rows carry GRDB's text, and read back as the same instant (to the millisecond).
    func testRegisteredRowsStoreGRDBText() throws {
        let key = try KeyGen.generate(in: dir.url, name: "jane")
        let jane = try registry.register(session: "s1", name: ParticipantName(canonical: "jane.doe"),
                                         key: PublicKeyParser.parse(key.publicLine), via: .cli).participant
        let (created, added, audited) = try registry.database.read { db in
            (try String.fetchOne(db, sql: "SELECT createdAt FROM participant")!,
             try String.fetchOne(db, sql: "SELECT addedAt FROM participantKey")!,
             try String.fetchOne(db, sql: "SELECT at FROM auditEntry WHERE action = 'added'")!)
        }
        XCTAssertEqual(created, grdbText(jane.record.createdAt))
        XCTAssertEqual(added, grdbText(jane.key.addedAt))
        XCTAssertNotNil(Date.fromDatabaseValue(audited.databaseValue))
        let reread = try XCTUnwrap(registry.participant(session: "s1", name: "jane.doe"))
        XCTAssertEqual(reread.record.createdAt.timeIntervalSince1970, jane.record.createdAt.timeIntervalSince1970, accuracy: 0.001)
    }
}
