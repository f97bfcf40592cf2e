import Foundation
import LabStore
import LabTestSupport
import XCTest

/// Session lifetime on the emulator, with real Terraform, the real AWS provider and
/// the built labctl: every instance tagged ExpiresAt and ShutdownAt (end + grace, which
/// its dead-man switch reads from the instance metadata; DeadManSwitchScriptTests runs
/// that script), terminating on shutdown, with user data that holds no end; extend moves
/// the end by retagging alone (no node is reachable, none is dialled, no instance is
/// replaced) and refuses a pending change that would replace clusters; reap destroys
/// the expired session only.
/// The tests run in their letter order (reap last).
final class LifetimeTests: XCTestCase {
    nonisolated(unsafe) static var lab: TestLab!
    nonisolated(unsafe) static var applyResult: Shell.Output!
    /// The ends as a trainer writes them, and what they are in UTC (worked out by hand).
    static let currentEnd = "2099-06-01T17:00:00+02:00"
    static let currentEndUTC = "2099-06-01T15:00:00Z"
    static let currentShutdownTag = "2099-06-01T17:00:00Z"
    static let oldEnd = "2099-07-01 09:30 Europe/Berlin"
    static let oldEndUTC = "2099-07-01T07:30:00Z"
    static let oldShutdownTag = "2099-07-01T08:00:00Z" // shutdown_grace = "30m"

    override class func setUp() {
        do {
            lab = try TestLab("lifetime", sessions: [
                .init("cur", workers: 1, end: currentEnd, participants: ["ann.lee", "bob.kim"]),
                .init("old", workers: 0, end: oldEnd, participants: ["cy.dee"]),
            ])
            let old = lab.file("sessions/old.tfvars")
            try String(contentsOf: old, encoding: .utf8).replacingOccurrences(of: "shutdown_grace = \"2h\"", with: "shutdown_grace = \"30m\"")
                .write(to: old, atomically: true, encoding: .utf8)
            applyResult = try lab.deploy(["cur", "old"])
        } catch {
            applyResult = Shell.Output(status: -1, stdout: "", stderr: "setup failed: \(error)")
        }
    }

    override class func tearDown() { lab?.remove() }

    @discardableResult
    static func run(_ args: [String]) throws -> Shell.Output { try lab.run(args) }

    func labctl(_ args: [String]) throws -> Shell.Output { try Self.lab.labctl(args) }

    func fixture(_ script: String, _ args: [String] = []) throws -> [String: Any] {
        let r = try Shell.run("python3", [RepositoryPaths.fixtures.appendingPathComponent(script).path] + args,
                              environment: Self.lab.processEnvironment)
        XCTAssertEqual(r.status, 0, r.stderr)
        return try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as! [String: Any]
    }

    func liveInstances(_ inventory: [String: Any], session: String) -> [[String: Any]] {
        (inventory["instances"] as! [[String: Any]]).filter {
            ($0["tags"] as? [String: String])?["Session"] == session && $0["state"] as? String != "terminated"
        }
    }

    /// The class's apply must have worked; the tests fail (not skip) otherwise.
    func requireApplied() throws {
        guard Self.applyResult.status == 0 else {
            throw TestSupportError("apply failed: \(Self.applyResult.stdout)\(Self.applyResult.stderr)")
        }
    }

    // MARK: - apply

    func testA_ApplyRefusesASessionWithoutEndUnlessNoEndAndExplainsOldFreeText() throws {
        try Self.run(["create-config", "noend", "--ssh-from", "198.51.100.0/24"])
        let key = try KeyGen.generate(in: Self.lab.url, name: "noend")
        try Self.run(["keys", "add", "noend", "dee.dee", "--file", key.publicKeyPath])
        var r = try labctl(["apply", "noend", "-y"])
        XCTAssertEqual(r.status, 2)
        XCTAssertTrue(r.stderr.contains("sessions/noend.tfvars: no session_end"), r.stderr)
        XCTAssertTrue(r.stderr.contains("--no-end"), r.stderr)

        // The free text older tfvars carried: refused with the exact replacement.
        let url = Self.lab.file("sessions/noend.tfvars")
        let text = try String(contentsOf: url, encoding: .utf8)
        try (text + "session_end = \"Friday 4 December 2026, 17:00 CET\"\n").write(to: url, atomically: true, encoding: .utf8)
        r = try labctl(["apply", "noend", "-y", "--no-end", "--skip-preflight"])
        XCTAssertEqual(r.status, 2)
        XCTAssertTrue(r.stderr.contains("session_end \"Friday 4 December 2026, 17:00 CET\" is not a point in time"), r.stderr)
        XCTAssertTrue(r.stderr.contains("session_end = \"2026-12-04 17:00 Europe/Berlin\""), r.stderr)
        // status still reads the file and shows the problem.
        r = try labctl(["status", "noend", "--json"])
        XCTAssertEqual(r.status, 0, r.stderr)
        let row = try XCTUnwrap((try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [[String: Any]])?.first)
        XCTAssertEqual(row["lifetime"] as? String, "unreadable")
        try FileManager.default.removeItem(at: url)
    }

    // MARK: - tags, shutdown behaviour, dead-man timer

    func testB_EveryInstanceCarriesExpiresAtAndTerminatesOnShutdownWithItsDisk() throws {
        try requireApplied()
        let inv = try fixture("lifetime_inventory.py")
        for (session, expires, shutdown, count) in [("cur", Self.currentEndUTC, Self.currentShutdownTag, 4),
                                                    ("old", Self.oldEndUTC, Self.oldShutdownTag, 1)] {
            let instances = liveInstances(inv, session: session)
            XCTAssertEqual(instances.count, count, session)
            for i in instances {
                XCTAssertEqual((i["tags"] as! [String: String])["ExpiresAt"], expires, "\(i["id"]!)")
                XCTAssertEqual((i["tags"] as! [String: String])["ShutdownAt"], shutdown, "\(i["id"]!)")
                XCTAssertEqual(i["metadata_tags"] as? String, "enabled", "\(i["id"]!): the node can read its tags")
                // With an end the backstop schedule terminates it (BackstopTests): a power-off stops it.
                XCTAssertEqual(i["shutdown_behavior"] as? String, "stop", "\(i["id"]!)")
                XCTAssertEqual(i["delete_on_termination"] as? [Bool], [true], "\(i["id"]!)")
            }
        }
        for kind in ["security_groups", "key_pairs"] {
            for item in inv[kind] as! [[String: Any]] {
                let tags = item["tags"] as! [String: String]
                guard let session = tags["Session"] else { continue }
                XCTAssertEqual(tags["ExpiresAt"], session == "cur" ? Self.currentEndUTC : Self.oldEndUTC, "\(kind) \(item)")
            }
        }
    }

    func testC_UserDataHoldsNoEndAndArmsTheDeadManSwitchFromTheTag() throws {
        try requireApplied()
        let dir = Self.lab.file("userdata")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let inv = try fixture("lifetime_inventory.py", [dir.path])
        // The script DeadManSwitchScriptTests runs, less its full-line comments (locals.tf).
        let helper = try String(contentsOf: DeadManSwitchScriptTests.script, encoding: .utf8)
            .components(separatedBy: "\n").filter { !$0.trimmingCharacters(in: .whitespaces).hasPrefix("# ") }.joined(separator: "\n")
        for session in ["cur", "old"] {
            for i in liveInstances(inv, session: session) {
                let id = i["id"] as! String
                // The end lives in the tags only: a new end changes no user data.
                let userData = try String(contentsOfFile: i["user_data_file"] as! String, encoding: .utf8)
                XCTAssertFalse(userData.contains("2099-"), "\(id): an end in the user data")
                // The power-off units are the script's to write, from the tag.
                XCTAssertNil(i["timer_on_calendar"], "\(id): a power-off timer in the user data")
                XCTAssertNil(i["service_exec_start"], id)
                XCTAssertEqual(i["helper"] as? String, helper, id)
                XCTAssertEqual(i["read_end_exec_start"] as? String, "/usr/local/sbin/labctl-shutdown-at", id)
                XCTAssertEqual(i["read_end_timer"] as? [String: String], ["OnBootSec": "1min", "OnUnitActiveSec": "5min"], id)
                // Started before the bootstrap, whose failure cannot stop it; OnBootSec already past
                // at that point fires it at once (systemd.timer(5)).
                let runcmd = i["runcmd"] as! [String]
                let arm = runcmd.firstIndex(of: "systemctl enable --now labctl-end.timer")
                let bootstrap = runcmd.firstIndex(of: "/usr/local/sbin/labctl-bootstrap")
                XCTAssertNotNil(arm, "\(id): \(runcmd)")
                XCTAssertLessThan(arm ?? .max, bootstrap ?? .min, "armed before the bootstrap can fail")
                let schema = try Shell.run("cloud-init", ["schema", "--config-file", i["user_data_file"] as! String])
                XCTAssertEqual(schema.status, 0, "\(id): \(schema.stdout)\(schema.stderr)")
            }
        }
    }

    // MARK: - status

    func testD_StatusShowsTimeLeftAndTheEnd() throws {
        try requireApplied()
        let r = try labctl(["status", "cur", "--json"])
        XCTAssertEqual(r.status, 0, r.stderr)
        let row = try XCTUnwrap((try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [[String: Any]])?.first)
        XCTAssertEqual(row["lifetime"] as? String, "running")
        let left = try XCTUnwrap(row["seconds_left"] as? Int)
        let expected = Int(ISO8601DateFormatter().date(from: Self.currentEndUTC)!.timeIntervalSinceNow)
        XCTAssertLessThanOrEqual(abs(left - expected), 120)
        let table = try labctl(["status", "cur"])
        XCTAssertTrue(table.stdout.contains("left"), table.stdout)
    }

    // MARK: - extend

    /// The recorded masters are moto's public-looking addresses: no node is reachable over
    /// SSH, and extend dials none (it has no SSH step; nothing here maps them to loopback).
    func testE_ExtendRetagsWithoutReachingANodeAndReplacesNoInstance() throws {
        try requireApplied()
        let before = liveInstances(try fixture("lifetime_inventory.py"), session: "cur")
        XCTAssertEqual(before.count, 4)
        let oldBefore = liveInstances(try fixture("lifetime_inventory.py"), session: "old").map { $0["tags"] as! [String: String] }
        let url = Self.lab.file("sessions/cur.tfvars")
        let original = try String(contentsOf: url, encoding: .utf8)

        // A pending change that would rebuild every cluster: extend plans like apply and refuses.
        let line = try XCTUnwrap(original.split(separator: "\n").first { $0.hasPrefix("kubernetes_version") })
        let pending = original.replacingOccurrences(of: String(line), with: "kubernetes_version = \"\(line.contains("1.33.6") ? "1.34.2" : "1.33.6")\"")
        try pending.write(to: url, atomically: true, encoding: .utf8)
        let refused = try labctl(["extend", "cur", "--until", "2099-06-02T18:30:00+02:00"])
        XCTAssertEqual(refused.status, 2, refused.stdout + refused.stderr)
        XCTAssertTrue(refused.stderr.contains("replaces 2 clusters"), refused.stderr)
        XCTAssertTrue(refused.stderr.contains("labctl extend cur --until \"2099-06-02T18:30:00+02:00\" --replace-clusters"), refused.stderr)
        XCTAssertEqual(try String(contentsOf: url, encoding: .utf8), pending, "the old session_end is put back")
        try original.write(to: url, atomically: true, encoding: .utf8)

        let r = try labctl(["extend", "cur", "--until", "2099-06-02T18:30:00+02:00", "--json"])
        XCTAssertEqual(r.status, 0, r.stdout + r.stderr)
        let report = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as! [String: Any]
        XCTAssertEqual(report["terraform"] as? String, "applied", "\(report)")
        XCTAssertEqual(report["shutdown_at"] as? String, "2099-06-02 18:30:00 UTC")
        XCTAssertNil(report["nodes"], "no node step")
        let tfvars = try String(contentsOf: url, encoding: .utf8)
        XCTAssertTrue(tfvars.contains("session_end = \"2099-06-02T18:30:00+02:00\""), tfvars)

        // The tags moved, in place: the same instances, retagged.
        let inv = try fixture("lifetime_inventory.py")
        let after = liveInstances(inv, session: "cur")
        XCTAssertEqual(Set(after.map { $0["id"] as! String }), Set(before.map { $0["id"] as! String }), "no instance replaced")
        for i in after {
            let tags = i["tags"] as! [String: String]
            XCTAssertEqual(tags["ExpiresAt"], "2099-06-02T16:30:00Z", "\(i["id"]!)")
            XCTAssertEqual(tags["ShutdownAt"], "2099-06-02T18:30:00Z", "\(i["id"]!): what its dead-man switch reads")
        }
        for kind in ["security_groups", "key_pairs"] {
            for item in inv[kind] as! [[String: Any]] where (item["tags"] as! [String: String])["Session"] == "cur" {
                XCTAssertEqual((item["tags"] as! [String: String])["ExpiresAt"], "2099-06-02T16:30:00Z", "\(kind) \(item)")
            }
        }
        XCTAssertEqual(liveInstances(inv, session: "old").map { $0["tags"] as! [String: String] }, oldBefore, "the other session is untouched")
        let logs = try FileManager.default.contentsOfDirectory(atPath: Self.lab.file(".labctl/logs/cur").path).filter { $0.hasSuffix("-apply.log") }.sorted()
        let log = try String(contentsOf: Self.lab.file(".labctl/logs/cur/\(logs.last!)"), encoding: .utf8)
        XCTAssertTrue(log.contains("Apply complete! Resources: 0 added,") && log.contains(" changed, 0 destroyed."), String(log.suffix(600)))
    }

    // MARK: - reap

    func testG_ReapDestroysTheExpiredSessionAndLeavesTheCurrentOne() throws {
        try requireApplied()
        // "old" ended yesterday.
        let url = Self.lab.file("sessions/old.tfvars")
        let yesterday = ISO8601DateFormatter().string(from: Date().addingTimeInterval(-86_400))
        let text = try String(contentsOf: url, encoding: .utf8)
            .replacingOccurrences(of: "session_end = \"\(Self.oldEnd)\"", with: "session_end = \"\(yesterday)\"")
        XCTAssertTrue(text.contains(yesterday), text)
        try text.write(to: url, atomically: true, encoding: .utf8)

        var r = try labctl(["reap", "--dry-run", "--json"])
        XCTAssertEqual(r.status, 0, r.stderr)
        var entries = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as! [[String: Any]]
        XCTAssertEqual(entries.first { $0["session"] as? String == "old" }?["action"] as? String, "would_destroy")
        XCTAssertEqual(entries.first { $0["session"] as? String == "cur" }?["action"] as? String, "not_due")
        XCTAssertEqual(liveInstances(try fixture("lifetime_inventory.py"), session: "old").count, 1, "a dry run destroys nothing")

        r = try labctl(["reap"])
        XCTAssertEqual(r.status, 2, "no terminal and no -y: \(r.stderr)")

        r = try labctl(["reap", "-y", "--json"])
        XCTAssertEqual(r.status, 0, r.stdout + r.stderr)
        entries = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as! [[String: Any]]
        let old = try XCTUnwrap(entries.first { $0["session"] as? String == "old" })
        XCTAssertEqual(old["action"] as? String, "destroyed", "\(old)")
        XCTAssertTrue((old["log"] as? String ?? "").hasPrefix(".labctl/logs/old/"), "\(old)")
        let inv = try fixture("lifetime_inventory.py")
        XCTAssertEqual(liveInstances(inv, session: "old").count, 0)
        XCTAssertEqual(liveInstances(inv, session: "cur").count, 4, "the current session is untouched")
        let backups = try FileManager.default.contentsOfDirectory(atPath: Self.lab.file(".labctl/backups").path)
        XCTAssertTrue(backups.contains { $0.hasPrefix("old-") }, "\(backups)")
        let audit = try Self.lab.registry().auditLog(session: "old")
        XCTAssertTrue(audit.contains { $0.action == "reaped" })

        r = try labctl(["reap", "-y", "--json"])
        entries = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as! [[String: Any]]
        XCTAssertNil(entries.first { $0["session"] as? String == "old" }, "nothing left to reap: \(entries)")
    }
}
