import Foundation
import LabCore
import LabStore
import LabTestSupport
import XCTest

/// Pinning across runs, `--wait`, a 50-master run and the usage errors, against real sshd.
final class VerifyLifecycleTests: XCTestCase {
    var lab: VerifyLab!

    override func tearDown() { lab?.stop() }

    func testHostKeyIsPinnedOnFirstSightAndAChangedKeyFailsWithNothingElseAttempted() throws {
        lab = try VerifyLab()
        let id = try lab.addMaster("kim.rekey", replay: .ready(workers: 1))
        let master = lab.masters[id]!
        let first = try lab.verify(["--json"]).output
        XCTAssertEqual(first.status, 0, first.stdout + first.stderr)
        let original = try XCTUnwrap(KeyGen.fingerprint(ofFile: master.hostKeyPublicPath.path))
        XCTAssertEqual(try lab.registry.hostKeys(session: lab.session).map(\.fingerprint), [original])
        XCTAssertTrue(VerifyLab.check(try VerifyLab.reports(first.stdout)[id], "hostkey").reason.contains("pinned on first sight"))

        try master.rekey()
        let rekeyed = try XCTUnwrap(KeyGen.fingerprint(ofFile: master.hostKeyPublicPath.path))
        XCTAssertNotEqual(rekeyed, original)
        let second = try lab.verify(["--json"]).output
        XCTAssertEqual(second.status, 1)
        let r = try VerifyLab.reports(second.stdout)[id]
        XCTAssertEqual(VerifyLab.check(r, "hostkey").status, "fail")
        XCTAssertEqual(VerifyLab.check(r, "hostkey").reason, "host key changed (pinned \(original), got \(rekeyed))")
        for name in ["auth", "participant-key", "cloud-init", "kubeadm"] {
            XCTAssertEqual(VerifyLab.check(r, name).status, "skipped", name)
        }
        XCTAssertTrue(r?["nodes"].map { ($0 as? [String: Any])?["ready"] is NSNull } ?? false, "no kubectl output may be read")
        // The pin is not silently replaced.
        XCTAssertEqual(try lab.registry.hostKeys(session: lab.session).map(\.fingerprint), [original])
        // Table output names the next step.
        let table = try lab.verify().output
        XCTAssertTrue(table.stdout.contains("--forget-host-key"), table.stdout)

        // A deliberate re-deploy: forget the old key, the new one is pinned.
        let third = try lab.verify(["--json", "--forget-host-key", id]).output
        XCTAssertEqual(third.status, 0, third.stdout + third.stderr)
        XCTAssertEqual(try lab.registry.hostKeys(session: lab.session).map(\.fingerprint), [rekeyed])
    }

    func testWaitRechecksABootingMasterUntilItIsReady() throws {
        lab = try VerifyLab()
        let id = try lab.addMaster("lea.booting", replay: .becomesReady(workers: 1, cloudInitDoneAfter: 2, nodesReadyAfter: 4))
        let once = try lab.verify(["--json"]).output
        XCTAssertEqual(once.status, 1)
        XCTAssertEqual(VerifyLab.check(try VerifyLab.reports(once.stdout)[id], "cloud-init").status, "pending")

        let (r, seconds) = try lab.verify(["--wait", "--timeout", "40s", "--json"])
        XCTAssertEqual(r.status, 0, r.stderr)
        let progress = r.stderr.split(separator: "\n").filter { $0.hasPrefix("ready ") }.map(String.init)
        XCTAssertGreaterThanOrEqual(progress.count, 2, r.stderr)
        XCTAssertTrue(progress.first?.hasPrefix("ready 0/1, pending 1: ") ?? false, r.stderr)
        XCTAssertTrue(progress.contains { $0.contains("on \(id)") }, r.stderr)
        XCTAssertEqual(progress.last, "ready 1/1", r.stderr)
        XCTAssertGreaterThan(seconds, 1.0)
        XCTAssertEqual(try VerifyLab.reports(r.stdout)[id]?["ready"] as? Bool, true)
        XCTAssertEqual(try lab.registry.verifications(session: lab.session).first?.ready, true)
    }

    func testWaitGivesUpAtTheTimeoutAndExitsOne() throws {
        lab = try VerifyLab()
        try lab.addMaster("max.stuck", replay: .cloudInitRunning)
        let (r, seconds) = try lab.verify(["--wait", "--timeout", "3s"])
        XCTAssertEqual(r.status, 1)
        XCTAssertLessThan(seconds, 12)
        XCTAssertTrue(r.stderr.contains("pending 1: cloud-init running"), r.stderr)
        XCTAssertTrue(r.stdout.contains("0/1 ready"), r.stdout)
    }

    func testFiftyMastersInOneRun() throws {
        lab = try VerifyLab()
        for i in 0..<50 { try lab.addMaster("user\(i).fifty", replay: .ready(workers: 1)) }
        let (r, seconds) = try lab.verify(["--json", "--parallel", "16"])
        XCTAssertEqual(r.status, 0, r.stderr)
        let reports = try VerifyLab.reports(r.stdout)
        XCTAssertEqual(reports.count, 50)
        XCTAssertTrue(reports.values.allSatisfy { $0["ready"] as? Bool == true })
        XCTAssertEqual(Set(reports.keys), Set(lab.masters.keys))
        XCTAssertEqual(try lab.registry.verifications(session: lab.session).filter(\.ready).count, 50)
        XCTAssertEqual(try lab.registry.hostKeys(session: lab.session).count, 50)
        XCTAssertLessThan(seconds, 60)
    }

    func testUsageAndEnvironmentErrorsExitTwoAndSayWhatToDo() throws {
        lab = try VerifyLab(storeOperatorKey: false)
        let id = try lab.addMaster("nia.errors", replay: .ready(workers: 1))
        // No operator key in the registry yet.
        var r = try lab.verify().output
        XCTAssertEqual(r.status, 2)
        XCTAssertTrue(r.stderr.contains("labctl apply session-1") && r.stderr.contains("--identity"), r.stderr)
        // --identity with the operator's private key file works instead.
        r = try lab.verify(["--identity", lab.operatorKey.privateKeyPath, "--json"]).output
        XCTAssertEqual(r.status, 0, r.stderr)
        // A public key is refused as identity.
        r = try lab.verify(["--identity", lab.operatorKey.publicKeyPath]).output
        XCTAssertEqual(r.status, 2)
        XCTAssertTrue(r.stderr.contains("not a private key"), r.stderr)
        // Unreadable and malformed inventories name the file.
        r = try lab.verify(["--identity", lab.operatorKey.privateKeyPath], inventoryFile: lab.dir.file("nope.json").path).output
        XCTAssertEqual(r.status, 2)
        XCTAssertTrue(r.stderr.contains("nope.json: cannot read the inventory"), r.stderr)
        try lab.dir.write("bad.json", "[1, 2]")
        r = try lab.verify(["--identity", lab.operatorKey.privateKeyPath], inventoryFile: lab.dir.file("bad.json").path).output
        XCTAssertEqual(r.status, 2)
        XCTAssertTrue(r.stderr.contains("bad.json: not a valid inventory"), r.stderr)
        // Unknown participant.
        r = try lab.verify(["--identity", lab.operatorKey.privateKeyPath, "--participant", "nobody.here"]).output
        XCTAssertEqual(r.status, 2)
        XCTAssertTrue(r.stderr.contains("nobody.here") && r.stderr.contains("labctl keys list"), r.stderr)
        // Without the session file, worker_count is unknown unless --expect-workers says it.
        try FileManager.default.removeItem(at: lab.dir.file("sessions/session-1.tfvars"))
        r = try lab.verify(["--identity", lab.operatorKey.privateKeyPath]).output
        XCTAssertEqual(r.status, 2)
        XCTAssertTrue(r.stderr.contains("--expect-workers"), r.stderr)
        r = try lab.verify(["--identity", lab.operatorKey.privateKeyPath, "--expect-workers", "2", "--json"]).output
        XCTAssertEqual(r.status, 1, "1 worker replayed, 2 expected")
        XCTAssertEqual(VerifyLab.check(try VerifyLab.reports(r.stdout)[id], "kubeadm").status, "fail")
        // A session nobody joined, and a bad flag.
        r = try lab.labctl(["verify", "session-2"])
        XCTAssertEqual(r.status, 2)
        XCTAssertTrue(r.stderr.contains("no participants"), r.stderr)
        XCTAssertEqual(try lab.labctl(["verify", "session-1", "--parallel", "0"]).status, 2)
        XCTAssertEqual(try lab.labctl(["verify", "session-1", "--timeout", "soon"]).status, 2)
    }

    func testRecordedAddressesAreUsedWithoutAnInventory() throws {
        lab = try VerifyLab()
        let id = try lab.addMaster("olga.recorded", replay: .ready(workers: 1))
        // No outputs recorded yet: exit 2 with the next step.
        var r = try lab.labctl(["verify", "session-1", "--user", lab.loginUser])
        XCTAssertEqual(r.status, 2)
        XCTAssertTrue(r.stderr.contains("labctl output session-1") || r.stderr.contains("labctl apply session-1"), r.stderr)
        try lab.registry.recordClusters(session: lab.session, [ClusterRecord(session: lab.session, address: ClusterAddress(discreteID: id, masterPublicIP: "127.0.0.1",
                                                                             masterPrivateIP: nil, workerPublicIPs: [], workerPrivateIPs: [],
                                                                             podCIDR: nil, masterInstanceID: nil, workerInstanceIDs: []))])
        // Recorded masters listen on port 22, which the tests never dial: the inventory
        // keeps the address and overrides only where it has an entry.
        r = try lab.labctl(["verify", "session-1", "--user", lab.loginUser, "--participant", id, "--inventory", try lab.writeInventory(), "--json"])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertEqual(try VerifyLab.reports(r.stdout)[id]?["host"] as? String, "127.0.0.1")
    }
}
