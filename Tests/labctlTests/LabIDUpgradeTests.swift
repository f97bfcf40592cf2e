import Foundation
import LabTestSupport
import XCTest

/// A deployed lab whose id changes under it, as a lab made before lab ids adopts its first
/// one (issue 27.5): the session no longer finds the network and says to run `labctl network
/// apply`; that retags the network in place, and the session's next apply retags its
/// resources in place, replacing no instance and keeping its key pair's name.
final class LabIDUpgradeTests: XCTestCase {
    func testANewIDRetagsInPlaceAndReplacesNothing() throws {
        let lab = try TestLab("labid-upgrade", sessions: [.init("up", participants: ["ann.lee"])])
        defer { lab.remove() }
        try lab.deploy(["up"])
        let before = try inventory(lab)
        let old = try lab.labID()
        XCTAssertEqual(before.keyPairs, ["\(old).up.ann.le"], "<lab id>.<session>.<discrete id>")

        // The registry gets another id (a lab's first id after the upgrade is the same step).
        let fresh = "lab-zzzzzzzz"
        let set = try Shell.run("python3", ["-c", """
            import sqlite3, sys
            db = sqlite3.connect(sys.argv[1]); db.execute("UPDATE labSetting SET value = ? WHERE key = 'labId'", (sys.argv[2],)); db.commit()
            """, lab.file(".labctl/lab.sqlite").path, fresh])
        XCTAssertEqual(set.status, 0, set.stderr)

        let stale = try lab.labctl(["plan", "up"])
        XCTAssertNotEqual(stale.status, 0)
        let said = stale.stdout + stale.stderr + (try logs(lab))
        XCTAssertTrue(said.contains("run `labctl network apply` first"), said)

        try lab.run(["network", "apply", "-y"])
        try lab.run(["apply", "up", "-y", "--skip-preflight"])
        let after = try inventory(lab)
        XCTAssertEqual(after.vpcs, before.vpcs, "the network is retagged, not rebuilt")
        XCTAssertEqual(after.instances.keys.sorted(), before.instances.keys.sorted(), "no instance replaced")
        XCTAssertEqual(Set(after.instances.values.map { $0["LabId"] ?? "" }), [fresh])
        XCTAssertEqual(after.keyPairs, before.keyPairs, "the key pair keeps the name it was made with")
    }

    struct Inventory { var vpcs: [String: String]; var instances: [String: [String: String]]; var keyPairs: [String] }

    func inventory(_ lab: TestLab) throws -> Inventory {
        let r = try Shell.run("python3", [RepositoryPaths.fixtures.appendingPathComponent("aws_inventory.py").path], environment: lab.processEnvironment)
        XCTAssertEqual(r.status, 0, r.stderr)
        let doc = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        let vpcs = (doc["vpcs"] as? [[String: Any]] ?? []).map { ($0["id"] as! String, ($0["tags"] as? [String: String])?["LabId"] ?? "") }
        let instances = (doc["instances"] as? [[String: Any]] ?? []).map { ($0["id"] as! String, $0["tags"] as? [String: String] ?? [:]) }
        return Inventory(vpcs: Dictionary(uniqueKeysWithValues: vpcs).mapValues { _ in "vpc" },
                         instances: Dictionary(uniqueKeysWithValues: instances),
                         keyPairs: (doc["key_pairs"] as? [[String: Any]] ?? []).compactMap { $0["name"] as? String }.sorted())
    }

    /// Every Terraform log of the lab (a plan's error is in its log).
    func logs(_ lab: TestLab) throws -> String {
        let dir = lab.file(".labctl/logs")
        let files = FileManager.default.enumerator(atPath: dir.path)?.compactMap { $0 as? String } ?? []
        return files.compactMap { try? String(contentsOf: dir.appendingPathComponent($0), encoding: .utf8) }.joined(separator: "\n")
    }
}
