import Foundation
import GRDB
import LabTestSupport
import XCTest
@testable import LabCore
@testable import LabStore

/// Registries from before the prefix setting: their /16s stay, new /21s go around them,
/// and the database refuses overlapping networks whatever their size.
final class PodNetworkMigrationTests: XCTestCase {
    var dir: TemporaryDirectory!

    override func setUpWithError() throws { dir = try TemporaryDirectory("PodNetworkMigrationTests") }
    override func tearDown() { dir.remove() }

    func key(_ name: String) throws -> SSHPublicKey {
        try PublicKeyParser.parse(KeyGen.generate(in: dir.url, name: name).publicLine)
    }

    /// A database at the last schema before the migration, with two /16 participants.
    func oldRegistry() throws -> String {
        let path = dir.file("old.sqlite").path
        let queue = try DatabaseQueue(path: path)
        try Migrations.migrator.migrate(queue, upTo: "v7-participant-links")
        try queue.write { db in
            try db.execute(sql: "INSERT INTO session (name, createdAt) VALUES ('old', ?)", arguments: [Date()])
            for (i, cidr) in ["10.112.0.0/16", "10.114.0.0/16"].enumerated() {
                try db.execute(sql: """
                    INSERT INTO participant (session, name, displayName, discreteID, podCIDR, createdAt, updatedAt)
                    VALUES ('old', ?, 'X', ?, ?, ?, ?)
                    """, arguments: ["p\(i).old", "p\(i).ol", cidr, Date(), Date()])
            }
        }
        try queue.close()
        return path
    }

    func testOldSixteensKeepTheirNetworksAndNewClustersFitAroundThem() throws {
        let registry = try Registry(path: try oldRegistry())
        let kept = try registry.database.read { try String.fetchAll($0, sql: "SELECT podCIDR FROM participant ORDER BY id") }
        XCTAssertEqual(kept, ["10.112.0.0/16", "10.114.0.0/16"], "no re-numbering")
        // 10.112.0.0/16 is taken: the next /21 is the first one of 10.113.0.0/16.
        var added: [String] = []
        for i in 0..<33 {
            added.append(try registry.register(session: "new", name: ParticipantName(canonical: "n\(i).new"), key: key("n\(i)"), via: .cli)
                .participant.podCIDR)
        }
        XCTAssertEqual(added.first, "10.113.0.0/21")
        XCTAssertEqual(added[31], "10.113.248.0/21")
        XCTAssertEqual(added[32], "10.115.0.0/21", "10.114.0.0/16 is skipped as a whole")
        let olds = [IPv4CIDR("10.112.0.0/16")!, IPv4CIDR("10.114.0.0/16")!]
        for text in added {
            let net = try XCTUnwrap(IPv4CIDR(text))
            XCTAssertEqual(net.prefix, 21)
            XCTAssertFalse(olds.contains { $0.overlaps(net) }, text)
        }
        let capacity = try registry.podNetworkCapacity()
        XCTAssertEqual(capacity.total, 144 * 32)
        XCTAssertEqual(capacity.free, 144 * 32 - 2 * 32 - 33)

        // Removing an old participant frees its whole /16.
        try registry.removeParticipant(session: "old", name: "p0.old", via: .cli)
        XCTAssertEqual(try registry.podNetworkCapacity().free, 144 * 32 - 32 - 33)
        XCTAssertEqual(try registry.register(session: "new", name: ParticipantName(canonical: "late.comer"), key: key("late"), via: .cli)
            .participant.podCIDR, "10.112.0.0/21")
    }

    func testTheDatabaseRefusesAnOverlappingNetworkOfAnotherSize() throws {
        let registry = try Registry(path: try oldRegistry())
        let overlapping = try registry.database.write { db -> Bool in
            do {
                try db.execute(sql: """
                    INSERT INTO participant (session, name, displayName, discreteID, podCIDR, createdAt, updatedAt)
                    VALUES ('old', 'sneaky.one', 'X', 'sneaky.on', '10.114.8.0/21', ?, ?)
                    """, arguments: [Date(), Date()])
                try PodNetworkRows.insert(participantID: db.lastInsertedRowID, network: "10.114.8.0/21", db)
                return false
            } catch let error as DatabaseError {
                XCTAssertTrue(error.message?.contains("overlaps") ?? false, "\(error)")
                return true
            }
        }
        XCTAssertTrue(overlapping, "a /21 inside an old /16 is refused by the trigger")
    }
}
