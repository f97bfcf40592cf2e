import Foundation
import GRDB
import LabTestSupport
import XCTest
@testable import LabCore
@testable import LabStore

final class RegistryTests: RegistryTestCase {
    /// In a folder the registry must create.
    override var databaseName: String { "state/lab.sqlite" }

    func key(_ name: String, comment: String = "") throws -> SSHPublicKey {
        try PublicKeyParser.parse(KeyGen.generate(in: dir.url, name: name, comment: comment).publicLine)
    }

    func name(_ s: String) throws -> ParticipantName { try ParticipantName(canonical: s) }

    func testDatabaseFileIsPrivate() throws {
        let attrs = try FileManager.default.attributesOfItem(atPath: dir.file("state/lab.sqlite").path)
        XCTAssertEqual((attrs[.posixPermissions] as! NSNumber).intValue & 0o777, 0o600)
        let folder = try FileManager.default.attributesOfItem(atPath: dir.file("state").path)
        XCTAssertEqual((folder[.posixPermissions] as! NSNumber).intValue & 0o777, 0o700)
        let mode = try registry.database.read { db in try String.fetchOne(db, sql: "PRAGMA journal_mode") }
        XCTAssertEqual(mode, "wal")
    }

    /// Commits sync the WAL (FULL): GRDB's WAL default, NORMAL, leaves a commit in the page
    /// cache, so a power cut could take back a submission that was already answered 201.
    func testTheWriterSyncsEveryCommit() throws {
        let level = try registry.database.writeWithoutTransaction { db in try Int.fetchOne(db, sql: "PRAGMA synchronous") }
        XCTAssertEqual(level, 2, "PRAGMA synchronous on the writer: 2 = FULL, 1 = NORMAL")
    }

    func testAddsParticipantWithDiscreteIDAndPodCIDR() throws {
        let outcome = try registry.register(session: "s1", name: name("john.doe"), email: "j@example.org", key: key("j"), via: .cli)
        guard case .added(let p) = outcome else { return XCTFail("\(outcome)") }
        XCTAssertEqual(p.discreteID, "john.do")
        XCTAssertEqual(p.podCIDR, "10.112.0.0/21")
        XCTAssertEqual(p.record.displayName, "John Doe")
        XCTAssertEqual(try registry.participants(in: "s1").map(\.name), ["john.doe"])
    }

    func testSameKeyAgainChangesNothing() throws {
        let k = try key("j")
        _ = try registry.register(session: "s1", name: name("john.doe"), key: k, via: .cli)
        let again = try registry.register(session: "s1", name: name("john.doe"), key: k, via: .import)
        guard case .unchanged = again else { return XCTFail("\(again)") }
        XCTAssertEqual(try registry.auditLog(session: "s1").count, 1)
    }

    func testReplacingAKeyKeepsHistoryAndIdentity() throws {
        let first = try registry.register(session: "s1", name: name("john.doe"), key: key("a"), via: .cli).participant
        let second = try key("b")
        let outcome = try registry.register(session: "s1", name: name("john.doe"), key: second, via: .cli)
        guard case .keyReplaced(let p, let previous) = outcome else { return XCTFail("\(outcome)") }
        XCTAssertEqual(previous, first.fingerprint)
        XCTAssertEqual(p.discreteID, first.discreteID)
        XCTAssertEqual(p.podCIDR, first.podCIDR)
        let history = try registry.keyHistory(session: "s1", name: "john.doe")
        XCTAssertEqual(history.map(\.active), [false, true])
        XCTAssertNotNil(history[0].replacedAt)
        XCTAssertEqual(history[1].fingerprint, second.fingerprint)
    }

    func testSelfServiceCannotOverwriteATakenName() throws {
        _ = try registry.register(session: "s1", name: name("john.doe"), key: key("a"), via: .cli)
        XCTAssertThrowsError(try registry.register(session: "s1", name: name("john.doe"), key: key("b"), via: .web, existing: .refuse)) {
            XCTAssertEqual($0 as? RegistryError, .nameTaken(name: "john.doe", session: "s1"))
        }
    }

    func testSameKeyCannotBelongToTwoParticipantsOfOneSession() throws {
        let k = try key("shared")
        _ = try registry.register(session: "s1", name: name("alice.smith"), key: k, via: .cli)
        XCTAssertThrowsError(try registry.register(session: "s1", name: name("bob.jones"), key: k, via: .cli)) {
            XCTAssertEqual($0 as? RegistryError, .keyInUse(fingerprint: k.fingerprint, owner: "alice.sm", session: "s1"))
            XCTAssertTrue("\($0)".contains("already registered to alice.sm"))
        }
        // Across sessions it may.
        XCTAssertNoThrow(try registry.register(session: "s2", name: name("bob.jones"), key: k, via: .cli))
    }

    func testDiscreteIDsAreStableAndExtendOnCollision() throws {
        let doe = try registry.register(session: "s1", name: name("john.doe"), key: key("1"), via: .cli).participant
        let dover = try registry.register(session: "s1", name: name("john.dover"), key: key("2"), via: .cli).participant
        XCTAssertEqual([doe.discreteID, dover.discreteID], ["john.do", "john.dov"])
        // Another session starts from scratch.
        XCTAssertEqual(try registry.register(session: "s2", name: name("john.dover"), key: key("3"), via: .cli).participant.discreteID, "john.do")
        // Replacing keys never reassigns.
        _ = try registry.register(session: "s1", name: name("john.doe"), key: key("4"), via: .cli)
        XCTAssertEqual(try registry.participant(session: "s1", name: "john.doe")?.discreteID, "john.do")
    }

    func testPodCIDRsUniqueAcrossSessionsAndReleasedOnRemoval() throws {
        let a = try registry.register(session: "s1", name: name("a.a"), key: key("1"), via: .cli).participant
        let b = try registry.register(session: "s2", name: name("b.b"), key: key("2"), via: .cli).participant
        XCTAssertEqual([a.podCIDR, b.podCIDR], ["10.112.0.0/21", "10.112.8.0/21"])
        try registry.removeParticipant(session: "s1", name: "a.a", via: .cli)
        let c = try registry.register(session: "s2", name: name("c.c"), key: key("3"), via: .cli).participant
        XCTAssertEqual(c.podCIDR, "10.112.0.0/21", "the released network is handed out again")
        XCTAssertThrowsError(try registry.removeParticipant(session: "s1", name: "a.a", via: .cli)) {
            XCTAssertEqual($0 as? RegistryError, .noSuchParticipant(name: "a.a", session: "s1"))
        }
    }

    func testExhaustedPoolIsAClearError() throws {
        registry = try Registry(path: dir.file("small.sqlite").path, pool: try PodCIDRPool(spec: "172.20.0.0/16", clusterPrefix: 16))
        _ = try registry.register(session: "s1", name: name("a.a"), key: key("1"), via: .cli)
        XCTAssertThrowsError(try registry.register(session: "s1", name: name("b.b"), key: key("2"), via: .cli)) {
            XCTAssertEqual($0 as? RegistryError, .pool(.exhausted(size: 1, pool: "172.20.0.0/16", clusterPrefix: 16)))
        }
        XCTAssertEqual(try registry.participants(in: "s1").count, 1, "nothing half-written")
    }

    func testAuditLogRecordsFingerprintsOnly() throws {
        let k = try key("a")
        _ = try registry.register(session: "s1", name: name("john.doe"), key: k, via: .web)
        try registry.removeParticipant(session: "s1", name: "john.doe", via: .admin)
        let log = try registry.auditLog(session: "s1")
        XCTAssertEqual(log.map(\.action), ["added", "removed"])
        XCTAssertEqual(log.map(\.interface), ["web", "admin"])
        XCTAssertTrue(log[0].detail.contains(k.fingerprint))
        XCTAssertFalse(log.contains { $0.detail.contains(k.base64) })
    }

    func testConcurrentRegistrationsFromManyThreadsAndTwoConnections() throws {
        let other = try Registry(path: dir.file("state/lab.sqlite").path)
        let keys = try (0..<24).map { try key("c\($0)") }
        let errors = ErrorBox()
        let first: Registry = registry
        DispatchQueue.concurrentPerform(iterations: keys.count) { i in
            do {
                let r = i % 2 == 0 ? first : other
                _ = try r.register(session: "s\(i % 3)", name: try ParticipantName(canonical: "user\(i).same"), key: keys[i], via: .api)
            } catch { errors.append("\(error)") }
        }
        XCTAssertEqual(errors.items, [])
        let all = try (0..<3).flatMap { try registry.participants(in: "s\($0)") }
        XCTAssertEqual(all.count, 24)
        XCTAssertEqual(Set(all.map(\.podCIDR)).count, 24)
        for s in 0..<3 {
            let ids = try registry.participants(in: "s\(s)").map(\.discreteID)
            XCTAssertEqual(Set(ids).count, ids.count)
        }
        let integrity = try registry.database.read { try String.fetchOne($0, sql: "PRAGMA integrity_check") }
        XCTAssertEqual(integrity, "ok")
    }
}

// @unchecked Sendable: every access holds its lock.
final class ErrorBox: @unchecked Sendable {
    private let lock = NSLock()
    private(set) var items: [String] = []
    func append(_ s: String) { lock.lock(); items.append(s); lock.unlock() }
}
