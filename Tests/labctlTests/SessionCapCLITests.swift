import Foundation
import GRDB
import LabTestSupport
import XCTest

/// The participant cap and burst removal through the CLI (issue 23): `create-config`
/// writes `max_participants`, `keys add`/`import` past it exit 1 naming the cap and how
/// to raise it, and `keys remove --registered-after/--registered-before` removes exactly
/// the window, frees their pod networks and logs each removal.
final class SessionCapCLITests: XCTestCase {
    var lab: TestLab!

    override func setUpWithError() throws { lab = try TestLab("sessioncap", moto: false) }
    override func tearDown() { lab.remove() }

    func testCreateConfigWritesTheCapAndKeysAddAndImportPastItExitOneNamingIt() throws {
        var r = try lab.labctl(["create-config", "small", "--ssh-from", "203.0.113.0/24", "--max-participants", "2"])
        XCTAssertEqual(r.status, 0, r.stderr)
        let text = try String(contentsOf: lab.file("sessions/small.tfvars"), encoding: .utf8)
        XCTAssertTrue(text.contains("\nmax_participants = 2\n"), text)
        XCTAssertTrue(text.contains("# Participants the session takes at most"), text)
        r = try lab.labctl(["create-config", "default", "--ssh-from", "203.0.113.0/24"])
        XCTAssertTrue(try String(contentsOf: lab.file("sessions/default.tfvars"), encoding: .utf8).contains("\nmax_participants = 50\n"))
        r = try lab.labctl(["create-config", "huge", "--ssh-from", "203.0.113.0/24", "--max-participants", "5000"])
        XCTAssertEqual(r.status, 2, "out of range is a usage error: \(r.stderr)")

        for name in ["ann.one", "bob.two"] {
            let key = try KeyGen.generate(in: lab.url, name: name)
            r = try lab.labctl(["keys", "add", "small", name, "--key", key.publicLine])
            XCTAssertEqual(r.status, 0, r.stderr)
        }
        let third = try KeyGen.generate(in: lab.url, name: "cid.three")
        r = try lab.labctl(["keys", "add", "small", "cid.three", "--key", third.publicLine])
        XCTAssertEqual(r.status, 1, r.stdout + r.stderr)
        for part in ["session small is full", "2 participants", "raise max_participants in sessions/small.tfvars"] {
            XCTAssertTrue(r.stderr.contains(part), "missing \(part): \(r.stderr)")
        }
        // Replacing a key of someone already in stays possible at the cap.
        let newKey = try KeyGen.generate(in: lab.url, name: "ann.new")
        r = try lab.labctl(["keys", "add", "small", "ann.one", "--key", newKey.publicLine])
        XCTAssertEqual(r.status, 0, r.stderr)

        let dir = lab.file("participants/small")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        _ = try KeyGen.generate(in: dir, name: "dee.four")
        try FileManager.default.removeItem(at: dir.appendingPathComponent("dee.four")) // the private half
        r = try lab.labctl(["keys", "import", "small"])
        XCTAssertEqual(r.status, 1, r.stdout + r.stderr)
        XCTAssertTrue(r.stdout.contains("dee.four.pub: session small is full"), r.stdout)
        XCTAssertEqual(try lab.registry().participants(in: "small").map(\.name), ["ann.one", "bob.two"])
    }

    func testABurstIsRemovedByTimeOfRegistrationAndItsPodNetworksAreFree() throws {
        for name in ["early.bird", "spam.one", "spam.two", "late.comer"] {
            let key = try KeyGen.generate(in: lab.url, name: name)
            XCTAssertEqual(try lab.labctl(["keys", "add", "s1", name, "--key", key.publicLine]).status, 0)
        }
        // Registration times in UTC; the options below are Berlin time (UTC+1 in December).
        let times = ["early.bird": "2026-12-04 08:00:00.000", "spam.one": "2026-12-04 09:20:00.000",
                     "spam.two": "2026-12-04 09:40:00.000", "late.comer": "2026-12-04 10:00:00.000"]
        let registry = try lab.registry()
        let networks = Dictionary(uniqueKeysWithValues: try registry.participants(in: "s1").map { ($0.name, $0.podCIDR) })
        try registry.database.write { db in
            for (name, time) in times { try db.execute(sql: "UPDATE participant SET createdAt = ? WHERE name = ?", arguments: [time, name]) }
        }
        let berlin = ["TZ": "Europe/Berlin"]
        let window = ["--registered-after", "2026-12-04 10:15", "--registered-before", "2026-12-04 10:45"]

        var r = try lab.labctl(["keys", "remove", "s1"] + window + ["--dry-run"], env: berlin)
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stdout.contains("spam.one") && r.stdout.contains("spam.two"), r.stdout)
        XCTAssertFalse(r.stdout.contains("early.bird") || r.stdout.contains("late.comer"), r.stdout)
        XCTAssertTrue(r.stdout.contains("2 participant(s) would be removed"), r.stdout)
        XCTAssertEqual(try registry.participants(in: "s1").count, 4, "a dry run changes nothing")

        r = try lab.labctl(["keys", "remove", "s1"] + window, env: berlin)
        XCTAssertEqual(r.status, 2, "without a terminal it needs -y: \(r.stderr)")
        XCTAssertTrue(r.stderr.contains("-y"), r.stderr)

        r = try lab.labctl(["keys", "remove", "s1"] + window + ["-y"], env: berlin)
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stdout.contains("removed 2 participant(s) from s1"), r.stdout)
        XCTAssertEqual(try registry.participants(in: "s1").map(\.name), ["early.bird", "late.comer"])
        let audit = try registry.database.read { db in
            try String.fetchAll(db, sql: "SELECT detail FROM auditEntry WHERE action = 'removed' ORDER BY participant")
        }
        XCTAssertEqual(audit.count, 2)
        XCTAssertTrue(audit[0].contains("released \(networks["spam.one"]!)") && audit[0].contains("burst removal"), "\(audit)")

        // Their pod networks are free: the next participant gets the lowest of them.
        let next = try KeyGen.generate(in: lab.url, name: "new.one")
        r = try lab.labctl(["keys", "add", "s1", "new.one", "--key", next.publicLine])
        XCTAssertTrue(r.stdout.contains("pod CIDR \(networks["spam.one"]!)"), r.stdout + " \(networks)")

        r = try lab.labctl(["keys", "remove", "s1", "jane.doe", "--registered-after", "2026-12-04 10:15"])
        XCTAssertEqual(r.status, 2, "a name and a window together is a usage error")
        r = try lab.labctl(["keys", "remove", "s1", "--registered-after", "yesterday"])
        XCTAssertEqual(r.status, 2)
        XCTAssertTrue(r.stderr.contains("2026-12-04 10:15"), "says how to write it: \(r.stderr)")
    }
}
