import Foundation
import LabStore
import LabTestSupport
import XCTest

/// Session lifetime on the emulator, with real Terraform, the real AWS provider and
/// the built labctl: every instance tagged ExpiresAt, terminating on shutdown, with a
/// dead-man timer in its user data that cloud-init and systemd accept; extend moves the
/// end (tags by Terraform, no instance replaced, timers over SSH on loopback masters,
/// an unreachable one reported); reap destroys the expired session only.
/// The tests run in their letter order (reap last).
final class LifetimeTests: XCTestCase {
    nonisolated(unsafe) static var lab: TestLab!
    nonisolated(unsafe) static var applyResult: Shell.Output!
    /// The ends as a trainer writes them, and what they are in UTC (worked out by hand).
    static let currentEnd = "2099-06-01T17:00:00+02:00"
    static let currentEndUTC = "2099-06-01T15:00:00Z"
    static let currentSwitchOff = "2099-06-01 17:00:00 UTC" // + the default grace of 2 h
    static let oldEnd = "2099-07-01 09:30 Europe/Berlin"
    static let oldEndUTC = "2099-07-01T07:30:00Z"
    static let oldSwitchOff = "2099-07-01 08:00:00 UTC" // shutdown_grace = "30m"

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
        for (session, expires, count) in [("cur", Self.currentEndUTC, 4), ("old", Self.oldEndUTC, 1)] {
            let instances = liveInstances(inv, session: session)
            XCTAssertEqual(instances.count, count, session)
            for i in instances {
                XCTAssertEqual((i["tags"] as! [String: String])["ExpiresAt"], expires, "\(i["id"]!)")
                XCTAssertEqual(i["shutdown_behavior"] as? String, "terminate", "\(i["id"]!)")
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

    func testC_UserDataArmsADeadManTimerThatCloudInitAndSystemdAccept() throws {
        try requireApplied()
        let dir = Self.lab.file("userdata")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let inv = try fixture("lifetime_inventory.py", [dir.path])
        for (session, switchOff) in [("cur", Self.currentSwitchOff), ("old", Self.oldSwitchOff)] {
            for i in liveInstances(inv, session: session) {
                let id = i["id"] as! String
                let onCalendar = try XCTUnwrap(i["timer_on_calendar"] as? String, "\(id): no OnCalendar= in the timer unit")
                // systemd's own parser: the next (only) elapse is the switch-off time.
                let cal = try Shell.run("systemd-analyze", ["calendar", "--iterations=1", onCalendar])
                XCTAssertEqual(cal.status, 0, cal.stdout + cal.stderr)
                let next = cal.stdout.split(separator: "\n").first { $0.contains("Next elapse:") }
                    .map { String($0.split(separator: ":", maxSplits: 1)[1]).trimmingCharacters(in: .whitespaces) }
                XCTAssertEqual(next?.split(separator: " ").dropFirst().joined(separator: " "), switchOff, "\(id): \(cal.stdout)")
                XCTAssertEqual(i["service_exec_start"] as? String, "/usr/bin/systemctl --no-block poweroff", id)
                let runcmd = i["runcmd"] as! [String]
                let arm = runcmd.firstIndex(of: "systemctl enable --now labctl-shutdown.timer")
                let bootstrap = runcmd.firstIndex(of: "/usr/local/sbin/labctl-bootstrap")
                XCTAssertNotNil(arm, "\(id): \(runcmd)")
                XCTAssertLessThan(arm ?? .max, bootstrap ?? .min, "armed before the bootstrap can fail")
                XCTAssertEqual(i["has_helper"] as? Bool, true)
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

    func testE_ExtendMovesTagsAndLoopbackTimersReplacesNoInstanceAndReportsAnUnreachableNode() throws {
        try requireApplied()
        let before = Set(liveInstances(try fixture("lifetime_inventory.py"), session: "cur").map { $0["id"] as! String })
        let ids = try Self.lab.registry().participants(in: "cur").map(\.discreteID)
        XCTAssertEqual(ids.count, 2)
        let started = try Self.lab.loopbackMasters(session: "cur", for: [ids[0]], unreachable: [ids[1]], replay: .ready(workers: 1))
        let master = try XCTUnwrap(started.masters[ids[0]])
        defer { master.stop() }
        let inventoryFile = started.inventory

        // --no-apply: moto cannot update the tags of a security group rule (ModifySecurityGroupRules),
        // so the tag move is shown by the plan below instead of an apply.
        let r = try labctl(["extend", "cur", "--until", "2099-06-02T18:30:00+02:00", "--inventory", inventoryFile.path,
                            "--user", master.loginUser, "--host-timeout", "5s", "--json", "--no-apply"])
        XCTAssertEqual(r.status, 1, "one node unreachable: \(r.stdout)\(r.stderr)")
        let report = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as! [String: Any]
        XCTAssertEqual(report["shutdown_at"] as? String, "2099-06-02 18:30:00 UTC")
        let nodes = report["nodes"] as! [[String: Any]]
        let reached = try XCTUnwrap(nodes.first { $0["node"] as? String == "\(ids[0]) master" })
        XCTAssertEqual(reached["ok"] as? Bool, true, "\(reached)")
        let unreachable = try XCTUnwrap(nodes.first { $0["node"] as? String == "\(ids[1]) master" })
        XCTAssertEqual(unreachable["ok"] as? Bool, false)
        XCTAssertTrue((unreachable["detail"] as? String ?? "").contains("unreachable"), "\(unreachable)")
        // The loopback master's helper was really called with the new time over SSH.
        XCTAssertEqual(master.shutdownAt, "2099-06-02 18:30:00 UTC")
        let tfvars = try String(contentsOf: Self.lab.file("sessions/cur.tfvars"), encoding: .utf8)
        XCTAssertTrue(tfvars.contains("session_end = \"2099-06-02T18:30:00+02:00\""), tfvars)

        // What Terraform would do for the new end: tags in place, not one instance replaced.
        let plan = try labctl(["plan", "cur"])
        XCTAssertEqual(plan.status, 0, plan.stdout + plan.stderr)
        let logs = try FileManager.default.contentsOfDirectory(atPath: Self.lab.file(".labctl/logs/cur").path).filter { $0.hasSuffix("-plan.log") }.sorted()
        let log = try String(contentsOf: Self.lab.file(".labctl/logs/cur/\(logs.last!)"), encoding: .utf8)
        XCTAssertTrue(log.contains("Plan: 0 to add,") && log.contains(" to change, 0 to destroy"), String(log.suffix(600)))
        XCTAssertTrue(log.contains("\"2099-06-02T16:30:00Z\""), "the ExpiresAt tags move")
        XCTAssertFalse(log.contains("must be replaced"), String(log.suffix(600)))
        XCTAssertEqual(Set(liveInstances(try fixture("lifetime_inventory.py"), session: "cur").map { $0["id"] as! String }), before)

        // Put the end back where the other tests expect it.
        let back = try labctl(["extend", "cur", "--until", Self.currentEnd, "--no-apply", "--inventory", inventoryFile.path,
                               "--user", master.loginUser, "--host-timeout", "2s", "--json"])
        XCTAssertEqual(back.status, 1, back.stderr)
        XCTAssertEqual(master.shutdownAt, Self.currentSwitchOff)
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
