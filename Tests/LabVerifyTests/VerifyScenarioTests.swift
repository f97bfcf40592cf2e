import Foundation
import LabStore
import LabTestSupport
import XCTest

/// One `labctl verify --json` run over a session whose masters are real sshd
/// processes on loopback, each replaying one scenario; the tests read that run.
final class VerifyScenarioTests: XCTestCase {
    nonisolated(unsafe) static var lab: VerifyLab!
    nonisolated(unsafe) static var run: Shell.Output!
    nonisolated(unsafe) static var seconds: TimeInterval = 0
    nonisolated(unsafe) static var reports: [String: [String: Any]] = [:]
    nonisolated(unsafe) static var ids: [String: String] = [:]
    nonisolated(unsafe) static var setupError: Error?
    static let hostTimeout: TimeInterval = 3

    override class func setUp() {
        do {
            let lab = try VerifyLab(workers: 2)
            self.lab = lab
            ids["ready"] = try lab.addMaster("anna.ready", replay: .ready(workers: 2))
            ids["running"] = try lab.addMaster("ben.running", replay: .cloudInitRunning)
            ids["error"] = try lab.addMaster("cleo.error", replay: .cloudInitError("('scripts_user', RuntimeError('Runparts: 1 failures (part-001) in 1 attempted commands'))"))
            ids["nokubeadm"] = try lab.addMaster("dan.nokubeadm", replay: .kubeadmNotInitialised(workers: 2))
            ids["notready"] = try lab.addMaster("eve.notready", replay: .nodeNotReady(workers: 2))
            ids["missing"] = try lab.addMaster("finn.missing", replay: .workerMissing(workers: 2))
            ids["refused"] = try lab.addMaster("gus.refused", replay: .ready(workers: 2), operatorAuthorised: false)
            ids["nokey"] = try lab.addMaster("hana.nokey", replay: .ready(workers: 2), participantAuthorised: false)
            ids["closed"] = try lab.addClosedPort("ivo.closed")
            ids["silent"] = try lab.addSilentListener("jo.silent")
            let (r, s) = try lab.verify(["--json", "--host-timeout", "\(Int(hostTimeout))s"])
            run = r
            seconds = s
            reports = try VerifyLab.reports(r.stdout)
        } catch {
            setupError = error
        }
    }

    override class func tearDown() { lab?.stop() }

    override func setUpWithError() throws {
        if let e = Self.setupError { throw e }
    }

    func report(_ key: String) -> [String: Any]? { Self.reports[Self.ids[key]!] }
    func check(_ key: String, _ name: String) -> (status: String, reason: String) { VerifyLab.check(report(key), name) }

    func testReadyMasterPassesEveryCheckAndCountsItsNodes() throws {
        let r = try XCTUnwrap(report("ready"), Self.run.stderr)
        XCTAssertEqual(r["ready"] as? Bool, true, "\(r)")
        for name in ["tcp", "hostkey", "auth", "participant-key", "cloud-init", "kubeadm"] {
            XCTAssertEqual(VerifyLab.check(r, name).status, "pass", "\(name): \(VerifyLab.check(r, name).reason)")
        }
        XCTAssertEqual(r["nodes"] as? [String: Int], ["ready": 3, "expected": 3])
        XCTAssertEqual(r["port"] as? Int, Self.lab.masters[Self.ids["ready"]!]!.port)
        XCTAssertTrue(check("ready", "hostkey").reason.contains(Self.lab.masters[Self.ids["ready"]!]!.hostKeyFingerprint))
    }

    func testRunExitsOneWhenAnyMasterIsNotReady() {
        XCTAssertEqual(Self.run.status, 1, Self.run.stderr)
        XCTAssertEqual(Self.reports.count, Self.ids.count)
        XCTAssertEqual(Self.reports.values.filter { $0["ready"] as? Bool == true }.count, 1)
    }

    func testJSONHasTheDocumentedShape() throws {
        for (_, r) in Self.reports {
            XCTAssertEqual(Set(r.keys), ["discrete_id", "host", "port", "ready", "checks", "nodes"])
            let checks = try XCTUnwrap(r["checks"] as? [String: [String: Any]])
            XCTAssertEqual(Set(checks.keys), ["tcp", "hostkey", "auth", "participant-key", "cloud-init", "kubeadm"])
            for (_, c) in checks {
                XCTAssertEqual(Set(c.keys), ["status", "reason"])
                XCTAssertTrue(["pass", "pending", "fail", "skipped"].contains(c["status"] as? String ?? ""))
            }
            let nodes = try XCTUnwrap(r["nodes"] as? [String: Any])
            XCTAssertEqual(nodes["expected"] as? Int, 3)
        }
    }

    func testResultsAndPinsAreStoredInTheRegistry() throws {
        let rows = try Self.lab.registry.verifications(session: Self.lab.session)
        XCTAssertEqual(rows.count, Self.ids.count)
        for row in rows {
            let stored = try JSONSerialization.jsonObject(with: JSONEncoder().encode(row.checks)) as? NSDictionary
            let printed = Self.reports[row.discreteID]?["checks"] as? NSDictionary
            XCTAssertEqual(stored, printed, row.discreteID)
            XCTAssertEqual(row.ready, Self.reports[row.discreteID]?["ready"] as? Bool)
            XCTAssertEqual(row.nodesExpected, 3)
        }
        XCTAssertEqual(rows.first { $0.discreteID == Self.ids["ready"] }?.nodesReady, 3)
        // Every master that completed a handshake is pinned, with the fingerprint ssh-keygen computes.
        let pins = Dictionary(uniqueKeysWithValues: try Self.lab.registry.hostKeys(session: Self.lab.session).map { ($0.discreteID, $0) })
        XCTAssertEqual(Set(pins.keys), Set(Self.lab.masters.keys))
        for (id, master) in Self.lab.masters {
            XCTAssertEqual(pins[id]?.fingerprint, try KeyGen.fingerprint(ofFile: master.hostKeyPublicPath.path), id)
            XCTAssertEqual(pins[id]?.keyType, "ssh-ed25519")
            let pub = try String(contentsOf: master.hostKeyPublicPath, encoding: .utf8).split(separator: " ")[1]
            XCTAssertEqual(pins[id]?.keyBase64, String(pub))
        }
    }

    func testCloudInitRunningIsPendingAndKubeadmWaitsForIt() {
        XCTAssertEqual(check("running", "cloud-init").status, "pending")
        XCTAssertTrue(check("running", "cloud-init").reason.contains("running"))
        XCTAssertEqual(check("running", "kubeadm").status, "pending")
        XCTAssertEqual(check("running", "auth").status, "pass")
        XCTAssertEqual(report("running")?["ready"] as? Bool, false)
    }

    func testCloudInitErrorFailsWithItsErrorText() {
        XCTAssertEqual(check("error", "cloud-init").status, "fail")
        XCTAssertTrue(check("error", "cloud-init").reason.contains("Runparts: 1 failures (part-001)"), check("error", "cloud-init").reason)
        XCTAssertEqual(check("error", "kubeadm").status, "fail")
    }

    func testKubeadmNotInitialisedFailsNamingAdminConf() {
        XCTAssertEqual(check("nokubeadm", "cloud-init").status, "pass")
        XCTAssertEqual(check("nokubeadm", "kubeadm").status, "fail")
        XCTAssertTrue(check("nokubeadm", "kubeadm").reason.contains("/etc/kubernetes/admin.conf"))
        XCTAssertTrue(report("nokubeadm")?["nodes"].map { ($0 as? [String: Any])?["ready"] is NSNull } ?? false)
    }

    func testANotReadyNodeKeepsTheClusterPendingAndIsNamed() {
        XCTAssertEqual(check("notready", "kubeadm").status, "pending")
        XCTAssertTrue(check("notready", "kubeadm").reason.contains("ip-10-1-0-21"), check("notready", "kubeadm").reason)
        XCTAssertTrue(check("notready", "kubeadm").reason.contains("ip-10-1-0-21 (KubeletNotReady)"), check("notready", "kubeadm").reason)
        XCTAssertEqual(report("notready")?["nodes"] as? [String: Int], ["ready": 2, "expected": 3])
    }

    func testAMissingWorkerFails() {
        XCTAssertEqual(check("missing", "kubeadm").status, "fail")
        XCTAssertTrue(check("missing", "kubeadm").reason.contains("2 of 3 nodes"), check("missing", "kubeadm").reason)
        XCTAssertEqual(report("missing")?["nodes"] as? [String: Int], ["ready": 2, "expected": 3])
    }

    func testRefusedOperatorKeyFailsAuthAndSkipsTheRest() {
        XCTAssertEqual(check("refused", "hostkey").status, "pass")
        XCTAssertEqual(check("refused", "auth").status, "fail")
        XCTAssertTrue(check("refused", "auth").reason.contains("refused"))
        for name in ["participant-key", "cloud-init", "kubeadm"] { XCTAssertEqual(check("refused", name).status, "skipped") }
    }

    func testMissingParticipantKeyFailsWithItsFingerprint() throws {
        let fp = try XCTUnwrap(KeyGen.fingerprint(ofFile: Self.lab.participantKeys[Self.ids["nokey"]!]!.publicKeyPath))
        XCTAssertEqual(check("nokey", "participant-key").status, "fail")
        XCTAssertTrue(check("nokey", "participant-key").reason.contains(fp))
        XCTAssertEqual(check("nokey", "kubeadm").status, "pass")
        // The options prefix in authorized_keys does not hide a present key.
        XCTAssertEqual(check("ready", "participant-key").status, "pass")
    }

    func testClosedPortFailsTCPAndSkipsEverythingElse() {
        XCTAssertEqual(check("closed", "tcp").status, "fail")
        XCTAssertTrue(check("closed", "tcp").reason.contains("refused"), check("closed", "tcp").reason)
        for name in ["hostkey", "auth", "participant-key", "cloud-init", "kubeadm"] { XCTAssertEqual(check("closed", name).status, "skipped") }
    }

    func testSilentListenerFailsWithinTheHostDeadlineWithoutStallingTheRun() {
        XCTAssertEqual(check("silent", "tcp").status, "pass")
        XCTAssertEqual(check("silent", "hostkey").status, "fail")
        XCTAssertTrue(check("silent", "hostkey").reason.contains("no SSH handshake within 3 s"), check("silent", "hostkey").reason)
        // All ten masters in parallel: the whole run is bounded by one host deadline plus start-up.
        XCTAssertLessThan(Self.seconds, Self.hostTimeout + 4, "the run took \(Self.seconds) s")
        XCTAssertGreaterThanOrEqual(Self.seconds, Self.hostTimeout - 0.2)
    }

    func testTableShowsOneRowPerParticipantAndTheDetail() throws {
        let r = try Self.lab.verify(["--participant", "anna.ready", "--participant", Self.ids["running"]!]).output
        XCTAssertEqual(r.status, 1)
        let lines = r.stdout.split(separator: "\n").map(String.init)
        XCTAssertTrue(lines[0].hasPrefix("PARTICIPANT"), r.stdout)
        for column in ["MASTER", "SSH", "KEY", "CLOUD-INIT", "KUBEADM", "NODES", "DETAIL"] { XCTAssertTrue(lines[0].contains(column)) }
        XCTAssertEqual(lines.count, 4, r.stdout)
        XCTAssertTrue(lines[1].contains("anna.ready") && lines[1].contains("3/3") && lines[1].hasSuffix("ready"), lines[1])
        XCTAssertTrue(lines[2].contains("running") && lines[2].contains("cloud-init"), lines[2])
        XCTAssertEqual(lines[3].hasPrefix("1/2 ready"), true, lines[3])
    }
}
