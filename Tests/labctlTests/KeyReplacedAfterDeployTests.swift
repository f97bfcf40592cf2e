import Foundation
import LabCore
import LabStore
import LabTestSupport
import XCTest

/// Issue 23, item 5: a key replaced after apply. Real Terraform and the AWS provider on
/// moto build the session; the participants' nodes are loopback sshd nodes. `labctl keys
/// add` puts the new key on master and worker over SSH (the old one taken off: the new
/// key logs in, the old one no longer does), and the following `labctl plan` and
/// `extend` replace nothing. An unreachable node keeps the key stored, `status` names
/// it with `labctl keys push`, which puts it there once the nodes answer.
/// The tests run in name order (testA…testD), each building on the one before.
final class KeyReplacedAfterDeployTests: XCTestCase {
    nonisolated(unsafe) static var lab: TestLab!
    nonisolated(unsafe) static var setupError: String?
    /// The loopback nodes started so far, by name (they stop with the lab).
    nonisolated(unsafe) static var nodes: [String: LoopbackMaster] = [:]
    static func node(_ name: String) -> LoopbackMaster? { nodes[name] }

    override class func setUp() {
        do {
            lab = try TestLab("keypush", sessions: [.init("s1", workers: 1, participants: ["ann.lee", "bob.kim"])])
            try lab.deploy(["s1"])
        } catch {
            setupError = "\(error)"
        }
    }

    override class func tearDown() { lab?.remove() }

    override func setUpWithError() throws {
        if let e = Self.setupError { XCTFail("setup failed: \(e)"); throw TestSupportError(e) }
    }

    var lab: TestLab { Self.lab }
    var registry: Registry { get throws { try lab.registry() } }

    func id(_ name: String) throws -> String { try XCTUnwrap(try registry.participant(session: "s1", name: name)).discreteID }

    /// A master and a worker on loopback that the operator key and `keys` open (as cloud-init
    /// left them), and an inventory file naming them under the participant's id.
    func nodes(for name: String, keys: [String]) throws -> (master: LoopbackMaster, worker: LoopbackMaster, inventory: URL) {
        let operatorKey = try lab.operatorPublicKey("s1")
        let master = try lab.loopbackNode("\(name)-master", authorizedKeys: [operatorKey] + keys, replay: .ready(workers: 1))
        let worker = try lab.loopbackNode("\(name)-worker-1", authorizedKeys: [operatorKey] + keys, replay: .ready(workers: 1))
        Self.nodes[name + "-master"] = master
        Self.nodes[name + "-worker-1"] = worker
        let inventory = lab.file("\(name)-inventory.json")
        let id = try id(name)
        try JSONSerialization.data(withJSONObject: [id: ["host": master.host, "port": master.port],
                                                    "\(id)/worker-1": ["host": worker.host, "port": worker.port]]).write(to: inventory)
        return (master, worker, inventory)
    }

    func blob(_ pair: KeyGen.Pair) -> String { String(pair.publicLine.split(separator: " ")[1]) }

    func newKey(_ name: String) throws -> KeyGen.Pair { try KeyGen.generate(in: lab.file("keys"), name: name) }

    /// `labctl verify` logging in with `identity` (libssh2): the report's `auth` check.
    func login(_ name: String, identity: KeyGen.Pair, master: LoopbackMaster) throws -> String? {
        let own = lab.file("\(name)-own.json")
        try JSONSerialization.data(withJSONObject: [try id(name): ["host": master.host, "port": master.port]]).write(to: own)
        let v = try lab.labctl(["verify", "s1", "--participant", name, "--inventory", own.path, "--user", master.loginUser,
                                "--identity", identity.privateKeyPath, "--host-timeout", "5s", "--json"])
        let reports = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(v.stdout.utf8)) as? [[String: Any]], v.stdout + v.stderr)
        let checks = try XCTUnwrap(reports.first?["checks"] as? [String: [String: Any]], v.stdout)
        return checks["auth"]?["status"] as? String
    }

    /// The instances' ids in the session's state, by Terraform address.
    func instanceIDs() throws -> [String: String] {
        let url = lab.file("terraform/session/terraform.tfstate.d/s1/terraform.tfstate")
        let state = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any])
        var ids: [String: String] = [:]
        for r in state["resources"] as? [[String: Any]] ?? [] where r["type"] as? String == "aws_instance" {
            for i in r["instances"] as? [[String: Any]] ?? [] {
                ids["\(r["name"]!)[\(i["index_key"] ?? "")]"] = (i["attributes"] as? [String: Any])?["id"] as? String
            }
        }
        return ids
    }

    // MARK: -

    func testA_AKeyReplacedAfterApplyGoesOntoMasterAndWorkerAndTheOldOneIsOff() throws {
        let old = try XCTUnwrap(lab.keys["s1/ann.lee"])
        let (master, worker, inventory) = try nodes(for: "ann.lee", keys: [old.publicLine])
        XCTAssertEqual(try login("ann.lee", identity: old, master: master), "pass", "the fixture: the old key opens the master")
        let new = try newKey("ann-new")

        let r = try lab.labctl(["keys", "add", "s1", "ann.lee", "--file", new.publicKeyPath, "--inventory", inventory.path,
                                "--user", master.loginUser, "--host-timeout", "5s"])
        XCTAssertEqual(r.status, 0, r.stdout + r.stderr)
        XCTAssertTrue(r.stdout.contains("replaced the key of ann.lee"), r.stdout)
        XCTAssertTrue(r.stdout.contains("is on their cluster"), r.stdout)
        let operatorBlob = try lab.operatorPublicKey("s1").split(separator: " ")[1]
        for node in [master, worker] {
            let keys = try String(contentsOf: node.authorizedKeysPath, encoding: .utf8)
            XCTAssertTrue(keys.contains(blob(new)), "\(node.directory.lastPathComponent): \(keys)")
            XCTAssertFalse(keys.contains(blob(old)), "\(node.directory.lastPathComponent): \(keys)")
            XCTAssertTrue(keys.contains(operatorBlob), "the operator key stays")
        }
        XCTAssertEqual(try login("ann.lee", identity: new, master: master), "pass", "the new key logs in")
        XCTAssertEqual(try login("ann.lee", identity: old, master: master), "fail", "the old key no longer does")

        // Terraform keeps the key the cluster was built with; the registry the new one.
        let ann = try XCTUnwrap(try registry.participant(session: "s1", name: "ann.lee"))
        XCTAssertEqual(ann.key.keyLine.split(separator: " ")[1], Substring(blob(new)))
        let row = try XCTUnwrap(try registry.deployedKey(participantID: ann.record.id!))
        XCTAssertEqual(row.builtKeyLine.split(separator: " ")[1], Substring(blob(old)))
        XCTAssertFalse(row.isPending(activeFingerprint: ann.fingerprint))
        let status = try lab.labctl(["status", "s1"])
        XCTAssertFalse(status.stdout.contains("not on the cluster yet"), status.stdout)
    }

    func testB_AnUnreachableNodeKeepsTheKeyStoredAndStatusSaysWhatToRun() throws {
        let old = try XCTUnwrap(lab.keys["s1/bob.kim"])
        let bob = try id("bob.kim")
        let closed = lab.file("closed-inventory.json")
        try JSONSerialization.data(withJSONObject: [bob: ["host": "127.0.0.1", "port": try FreePort.find()]]).write(to: closed)
        let new = try newKey("bob-new")

        let r = try lab.labctl(["keys", "add", "s1", "bob.kim", "--file", new.publicKeyPath, "--inventory", closed.path,
                                "--host-timeout", "2s"])
        XCTAssertEqual(r.status, 1, r.stdout + r.stderr)
        XCTAssertTrue(r.stdout.contains("replaced the key of bob.kim"), r.stdout)
        XCTAssertTrue(r.stderr.contains("stored but not on every node"), r.stderr)
        XCTAssertTrue(r.stderr.contains("labctl keys push s1 bob.kim"), r.stderr)
        XCTAssertEqual(try registry.participant(session: "s1", name: "bob.kim")?.fingerprint, try KeyGen.fingerprint(ofFile: new.publicKeyPath))

        let status = try lab.labctl(["status", "s1"])
        XCTAssertTrue(status.stdout.contains("bob.kim: new key"), status.stdout)
        XCTAssertTrue(status.stdout.contains("not on the cluster yet"), status.stdout)
        XCTAssertTrue(status.stdout.contains("labctl keys push s1 bob.kim"), status.stdout)
        let json = try lab.labctl(["status", "s1", "--json"])
        XCTAssertTrue(json.stdout.contains("key_not_on_cluster"), json.stdout)

        // The nodes answer again: the retry puts the key there and takes the old one off.
        let (master, worker, inventory) = try nodes(for: "bob.kim", keys: [old.publicLine])
        let push = try lab.labctl(["keys", "push", "s1", "bob.kim", "--inventory", inventory.path, "--user", master.loginUser,
                                   "--host-timeout", "5s"])
        XCTAssertEqual(push.status, 0, push.stdout + push.stderr)
        for node in [master, worker] {
            let keys = try String(contentsOf: node.authorizedKeysPath, encoding: .utf8)
            XCTAssertTrue(keys.contains(blob(new)) && !keys.contains(blob(old)), keys)
        }
        XCTAssertFalse(try lab.labctl(["status", "s1"]).stdout.contains("not on the cluster yet"))
    }

    /// A changed file in `keys import` is a replacement too: onto the nodes the same way.
    func testC_AKeyImportedAfterApplyGoesOntoTheNodesToo() throws {
        let (master, worker) = (try XCTUnwrap(Self.node("ann.lee-master")), try XCTUnwrap(Self.node("ann.lee-worker-1")))
        let current = try XCTUnwrap(try registry.participant(session: "s1", name: "ann.lee")).key.keyLine
        let next = try newKey("ann-imported")
        let folder = lab.file("import")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: next.publicKeyPath, toPath: folder.appendingPathComponent("ann.lee.pub").path)
        let r = try lab.labctl(["keys", "import", "s1", folder.path, "--inventory", lab.file("ann.lee-inventory.json").path,
                                "--user", master.loginUser, "--host-timeout", "5s"])
        XCTAssertEqual(r.status, 0, r.stdout + r.stderr)
        XCTAssertTrue(r.stdout.contains("is on their cluster"), r.stdout)
        let currentBlob = String(current.split(separator: " ")[1])
        for node in [master, worker] {
            let keys = try String(contentsOf: node.authorizedKeysPath, encoding: .utf8)
            XCTAssertTrue(keys.contains(blob(next)) && !keys.contains(currentBlob), keys)
        }
    }

    /// Without the kept key both clusters' user data would change: plan would show two
    /// replacements and extend would refuse.
    func testD_PlanAndExtendReplaceNothing() throws {
        let before = try instanceIDs()
        XCTAssertEqual(before.count, 4, "\(before)")
        let plan = try lab.labctl(["plan", "s1"])
        XCTAssertEqual(plan.status, 0, plan.stdout + plan.stderr)
        let changes = try TerraformPlanJSON.resourceChanges(lab: lab.url, session: "s1", environment: lab.processEnvironment)
        let replaced = changes.filter { (($0["change"] as? [String: Any])?["actions"] as? [String] ?? []).contains("delete") }
        XCTAssertEqual(replaced.map { $0["address"] as? String ?? "" }, [], "nothing replaced")
        XCTAssertFalse(changes.contains { ($0["address"] as? String ?? "").hasPrefix("aws_key_pair.") &&
            (($0["change"] as? [String: Any])?["actions"] as? [String]) != ["no-op"] }, "the key pairs stay as built")

        let extend = try lab.labctl(["extend", "s1", "--until", "2099-06-02T18:30:00+02:00"])
        XCTAssertEqual(extend.status, 0, extend.stdout + extend.stderr)
        XCTAssertEqual(try instanceIDs(), before, "extend replaced no instance")
    }
}
