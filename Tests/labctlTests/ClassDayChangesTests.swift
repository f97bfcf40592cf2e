import Foundation
import LabCore
import LabStore
import LabTestSupport
import XCTest

/// Issue 14, "changes stay local": real Terraform and the AWS provider against moto.
/// Adding or removing a participant of an applied session changes no other resource;
/// a session-wide change that would replace clusters is shown by `plan` and refused
/// by `apply` before Terraform applies anything.
final class ClassDayChangesTests: XCTestCase {
    nonisolated(unsafe) static var lab: TestLab!
    nonisolated(unsafe) static var setupError: String?

    override class func setUp() {
        do {
            lab = try TestLab("classday-changes", sessions: [.init("s1", workers: 2, participants: ["ann.lee", "bob.kim"])])
            try lab.deploy(["s1"])
        } catch {
            setupError = "\(error)"
        }
    }

    override class func tearDown() { lab?.remove() }

    override func setUpWithError() throws {
        if let e = Self.setupError { XCTFail("setup failed: \(e)") ; throw TestSupportError(e) }
    }

    @discardableResult
    static func run(_ args: [String]) throws -> Shell.Output { try lab.run(args) }

    static func addKey(_ name: String) throws { try lab.addParticipant(name, to: "s1") }

    func labctl(_ args: [String]) throws -> Shell.Output { try Self.lab.labctl(args) }

    var stateURL: URL { Self.lab.file("terraform/session/terraform.tfstate.d/s1/terraform.tfstate") }

    /// Every managed resource instance in the session's state: address → provider id.
    func resourceIDs() throws -> [String: String] {
        let state = try JSONSerialization.jsonObject(with: Data(contentsOf: stateURL)) as! [String: Any]
        var ids: [String: String] = [:]
        for r in state["resources"] as! [[String: Any]] where r["mode"] as? String == "managed" {
            for i in r["instances"] as! [[String: Any]] {
                let index = (i["index_key"] as? String).map { "[\"\($0)\"]" } ?? (i["index_key"] as? Int).map { "[\($0)]" } ?? ""
                let attrs = i["attributes"] as! [String: Any]
                ids["\(r["type"]!).\(r["name"]!)\(index)"] = attrs["id"] as? String
            }
        }
        return ids
    }

    func discreteID(_ name: String) throws -> String {
        let registry = try Registry(path: Self.lab.file(".labctl/lab.sqlite").path)
        return try XCTUnwrap(try registry.participant(session: "s1", name: name)).discreteID
    }

    /// The resources of one participant: every key of the stack is the discrete id, or
    /// starts with it (`<id>/worker-N`, `<id>|ssh|<cidr>`).
    func belongs(_ address: String, to id: String) -> Bool {
        address.contains("[\"\(id)\"]") || address.contains("[\"\(id)/") || address.contains("[\"\(id)|")
    }

    /// Terraform's own plan of the session as labctl renders it (`labctl plan` writes the
    /// var file): every planned resource change as (address, actions).
    func plannedChanges() throws -> [(address: String, actions: [String])] {
        let plan = try labctl(["plan", "s1"])
        XCTAssertEqual(plan.status, 0, plan.stdout + plan.stderr)
        let changes = try TerraformPlanJSON.resourceChanges(lab: Self.lab.url, session: "s1", environment: Self.lab.processEnvironment)
        return changes.map {
            ($0["address"] as! String, ($0["change"] as! [String: Any])["actions"] as! [String])
        }
    }

    /// What Terraform would do when a participant joins or leaves an applied session: it
    /// creates or destroys only that participant's resources and replaces nothing of the
    /// others (their ids stay). The emulator's known in-place quirks (a security group
    /// list, rule fix-ups, terraform/README.md) are updates, never replacements.
    func testAddingOrRemovingAParticipantPlansOnlyTheirResources() throws {
        try Self.addKey("cy.dee")
        let cy = try discreteID("cy.dee")
        let joining = try plannedChanges()
        let created = joining.filter { $0.actions.contains("create") }
        XCTAssertEqual(created.filter { $0.address.hasPrefix("aws_instance.") }.count, 3, "cy's master and 2 workers: \(created)")
        for c in joining where c.actions.contains("create") || c.actions.contains("delete") {
            XCTAssertTrue(belongs(c.address, to: cy), "\(c.address) would be \(c.actions) when \(cy) joins")
        }
        XCTAssertTrue(created.allSatisfy { $0.actions == ["create"] })

        let bob = try discreteID("bob.kim")
        try Self.run(["keys", "remove", "s1", "cy.dee"])
        try Self.run(["keys", "remove", "s1", "bob.kim"])
        let leaving = try plannedChanges()
        let deleted = leaving.filter { $0.actions.contains("delete") }
        XCTAssertEqual(deleted.filter { $0.address.hasPrefix("aws_instance.") }.count, 3, "bob's master and 2 workers: \(deleted)")
        for c in leaving where c.actions.contains("create") || c.actions.contains("delete") {
            XCTAssertEqual(c.actions, ["delete"], "\(c.address)")
            XCTAssertTrue(belongs(c.address, to: bob), "\(c.address) would be \(c.actions) when \(bob) leaves")
        }
    }

    func testASessionWideChangeIsShownByPlanAndRefusedByApply() throws {
        let url = Self.lab.file("sessions/s1.tfvars")
        let original = try String(contentsOf: url, encoding: .utf8)
        defer { try? original.write(to: url, atomically: true, encoding: .utf8) }
        // Another Kubernetes release: every master's and worker's user data changes.
        let line = try XCTUnwrap(original.split(separator: "\n").first { $0.hasPrefix("kubernetes_version") })
        let other = line.contains("1.33.6") ? "1.34.2" : "1.33.6"
        try original.replacingOccurrences(of: String(line), with: "kubernetes_version = \"\(other)\"").write(to: url, atomically: true, encoding: .utf8)
        let registry = try Registry(path: Self.lab.file(".labctl/lab.sqlite").path)
        let expected = try registry.participants(in: "s1").map { "s1-\($0.discreteID)" }.sorted()
        XCTAssertGreaterThanOrEqual(expected.count, 2)

        let plan = try labctl(["plan", "s1"])
        XCTAssertEqual(plan.status, 0, plan.stdout + plan.stderr)
        XCTAssertTrue(plan.stdout.contains("replaces \(expected.count) clusters: \(expected.joined(separator: ", "))"), plan.stdout)
        XCTAssertTrue(plan.stdout.contains("--replace-clusters"), plan.stdout)

        let stateBefore = try Data(contentsOf: stateURL)
        let logs = Self.lab.file(".labctl/logs/s1")
        let applyLogsBefore = try FileManager.default.contentsOfDirectory(atPath: logs.path).filter { $0.hasSuffix("-apply.log") }
        let apply = try labctl(["apply", "s1", "-y", "--skip-preflight"])
        XCTAssertEqual(apply.status, 2, apply.stdout + apply.stderr)
        XCTAssertTrue(apply.stderr.contains("replaces \(expected.count) clusters: \(expected.joined(separator: ", "))"), apply.stderr)
        XCTAssertTrue(apply.stderr.contains("--replace-clusters") && apply.stderr.contains("Nothing was applied"), apply.stderr)
        XCTAssertEqual(try Data(contentsOf: stateURL), stateBefore, "the state was not touched")
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: logs.path).filter { $0.hasSuffix("-apply.log") }, applyLogsBefore,
                       "no terraform apply started")
        // The review's plan files (they hold the secrets) are gone.
        let vars = try FileManager.default.contentsOfDirectory(atPath: Self.lab.file(".labctl/vars").path)
        XCTAssertFalse(vars.contains { $0.contains("tfplan") }, "\(vars)")

        // Back to the applied settings: nothing to replace, plan says so.
        try original.write(to: url, atomically: true, encoding: .utf8)
        let calm = try labctl(["plan", "s1"])
        XCTAssertTrue(calm.stdout.contains("s1: replaces no cluster"), calm.stdout)
    }

    /// Named to run first (XCTest runs a class's tests alphabetically): the plan test
    /// below changes the registry without applying it.
    func testARebuildReplacesOnlyThatParticipantsInstancesAndRetiresThePin() throws {
        let ann = try discreteID("ann.lee")
        let registry = try Registry(path: Self.lab.file(".labctl/lab.sqlite").path)
        // What a verify pinned before the cluster broke (the key of a real sshd host key).
        let pair = try KeyGen.generate(in: Self.lab.url, name: "old-host-key")
        let fields = pair.publicLine.split(separator: " ")
        let fingerprint = try Shell.run("ssh-keygen", ["-l", "-f", pair.publicKeyPath]).stdout.split(separator: " ")[1]
        try registry.pinHostKey(HostKeyRecord(session: "s1", discreteID: ann, keyType: String(fields[0]), keyBase64: String(fields[1]),
                                              fingerprint: String(fingerprint)))
        let before = try resourceIDs()

        let r = try labctl(["rebuild", "s1", "ann.lee", "-y"])
        XCTAssertEqual(r.status, 0, r.stdout + r.stderr)
        XCTAssertTrue(r.stdout.contains("ann.lee (\(ann)): rebuilt; host key \(fingerprint) retired"), r.stdout)
        let after = try resourceIDs()
        XCTAssertEqual(Set(after.keys), Set(before.keys), "nothing added or removed")
        let annInstances = before.keys.filter { $0.hasPrefix("aws_instance.") && belongs($0, to: ann) }
        XCTAssertEqual(annInstances.count, 3, "master and 2 workers")
        for (address, id) in before {
            if annInstances.contains(address) {
                XCTAssertNotEqual(after[address], id, "\(address) was not replaced")
            } else {
                XCTAssertEqual(after[address], id, "\(address) changed, but only \(ann)'s instances were to be replaced")
            }
        }
        XCTAssertNil(try registry.hostKeys(session: "s1").first { $0.discreteID == ann }, "the old pin is gone")
        let audit = try registry.auditLog(session: "s1").last { $0.action == "host-key-retired" }
        XCTAssertEqual(audit?.participant, "ann.lee")
        XCTAssertTrue(audit?.detail.contains(String(fingerprint)) ?? false, "\(String(describing: audit))")
        // The recorded inventory follows the new instances (verify and sheets read it).
        let cluster = try XCTUnwrap(try registry.clusters(session: "s1").first { $0.discreteID == ann })
        XCTAssertEqual(cluster.masterInstanceID, after["aws_instance.master[\"\(ann)\"]"])
        let states = try registry.stateHistory(session: "s1").filter { $0.discreteID == ann }.map(\.record.state)
        XCTAssertEqual(Array(states.suffix(2)), [.rebuilt, .provisioned])

        let unknown = try labctl(["rebuild", "s1", "zed.nobody", "-y"])
        XCTAssertEqual(unknown.status, 2)
        XCTAssertTrue(unknown.stderr.contains("zed.nobody") && unknown.stderr.contains("labctl keys list"), unknown.stderr)
    }

    func testStatusShowsTheRoom() throws {
        let r = try labctl(["status", "s1", "--json"])
        XCTAssertEqual(r.status, 0, r.stderr)
        let rows = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as! [[String: Any]]
        let room = try XCTUnwrap(rows.first?["room"] as? [String: Any])
        let people = try XCTUnwrap(room["participants"] as? [[String: Any]])
        let registry = try Registry(path: Self.lab.file(".labctl/lab.sqlite").path)
        XCTAssertEqual(people.map { $0["name"] as? String }, try registry.participants(in: "s1").map(\.name))
        // Applied on the emulator, never verified (nothing dials its addresses).
        for p in people { XCTAssertEqual(p["state"] as? String, "provisioned", "\(p)") }
        let ttr = try XCTUnwrap(room["time_to_ready"] as? [String: Any])
        XCTAssertEqual(ttr["count"] as? Int, 0)
        XCTAssertTrue(ttr["p50_seconds"] is NSNull)
        XCTAssertEqual(room["settled"] as? Bool, false)

        let text = try labctl(["status", "s1"])
        XCTAssertTrue(text.stdout.contains("Room s1") && text.stdout.contains("PARTICIPANT") && text.stdout.contains("provisioned"), text.stdout)
        XCTAssertTrue(text.stdout.contains("Time to ready: nobody verified ready"), text.stdout)
        // Without a session named, the overview keeps its shape.
        let all = try JSONSerialization.jsonObject(with: Data(try labctl(["status", "--json"]).stdout.utf8)) as! [[String: Any]]
        XCTAssertNil(all.first?["room"])
    }
}
