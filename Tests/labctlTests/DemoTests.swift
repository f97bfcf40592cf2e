import Foundation
import LabStore
import LabTestSupport
import XCTest

/// `labctl demo` end to end, as the README runs it: real moto, real Terraform,
/// the real intake service, loopback sshd masters, verify and sheets. Then the
/// lab it leaves (`--dir`) is read back independently of the demo's own output.
final class DemoTests: XCTestCase {
    nonisolated(unsafe) static var work: TemporaryDirectory!
    nonisolated(unsafe) static var result: Shell.Output!
    nonisolated(unsafe) static var elapsed: TimeInterval = 0
    static var lab: URL { work.url.appendingPathComponent("lab") }

    override class func setUp() {
        do {
            work = try TemporaryDirectory("demo")
            let start = Date()
            result = try LabctlBinary.run(["demo", "--root", RepositoryPaths.root.path, "--dir", lab.path,
                                           "--sessions", "2", "--participants", "3", "--workers", "1", "--ready-after", "4"])
            elapsed = Date().timeIntervalSince(start)
        } catch {
            result = Shell.Output(status: -1, stdout: "", stderr: "could not run the demo: \(error)")
        }
    }

    override class func tearDown() { work?.remove() }

    private var output: String { Self.result.stdout + Self.result.stderr }

    func testDemoSucceedsAndSaysAWSIsEmulated() {
        XCTAssertEqual(Self.result.status, 0, output)
        XCTAssertTrue(Self.result.stdout.contains("AWS is emulated"), output)
        XCTAssertTrue(Self.result.stdout.contains("labctl demo finished"), output)
    }

    func testRegistryHoldsParticipantsVerificationsAndPins() throws {
        guard Self.result.status == 0 else { return XCTFail("the demo failed: see testDemoSucceedsAndSaysAWSIsEmulated") }
        let registry = try Registry(path: Self.lab.appendingPathComponent(".labctl/lab.sqlite").path)
        // 3 participants in demo-1 (1 worker each) plus the late joiner on its spare, 2 in demo-2 (0 workers).
        for (session, count, workers) in [("demo-1", 4, 1), ("demo-2", 2, 0)] {
            let people = try registry.participants(in: session)
            XCTAssertEqual(people.count, count, session)
            let verifications = try registry.verifications(session: session)
            XCTAssertEqual(verifications.count, count, session)
            XCTAssertTrue(verifications.allSatisfy(\.ready), "\(session): \(verifications)")
            XCTAssertEqual(Set(verifications.compactMap(\.nodesExpected)), [1 + workers], session)
            XCTAssertEqual(try registry.hostKeys(session: session).count, count, session)
            XCTAssertEqual(try registry.clusters(session: session).count, count, session)
        }
        // Zoë and Grace joined through HTTP (the accented name kept as typed, with an
        // address); Ada came from participants/demo-1/ada.lovelace.pub (no address).
        let people = Dictionary(uniqueKeysWithValues: try registry.participants(in: "demo-1").map { ($0.name, $0.record) })
        XCTAssertEqual(people["zoe.muller-ludenscheidt"]?.displayName, "Zoë Müller-Lüdenscheidt", "\(people)")
        XCTAssertEqual(people["zoe.muller-ludenscheidt"]?.email, "zoe.muller-ludenscheidt@example.org")
        XCTAssertNotNil(people["ada.lovelace"], "\(people.keys)")
        XCTAssertNil(people["ada.lovelace"]?.email)
    }

    /// Class day's late joiner: Hedy's key came after the apply and `labctl assign` handed
    /// her demo-1's one spare — verified ready with her own key, without a Terraform run.
    func testLateJoinerGotTheSpareAndIsReady() throws {
        guard Self.result.status == 0 else { return XCTFail("the demo failed") }
        let registry = try Registry(path: Self.lab.appendingPathComponent(".labctl/lab.sqlite").path)
        let hedy = try XCTUnwrap(try registry.participants(in: "demo-1").first { $0.name == "hedy.lamarr" })
        let spares = try registry.spares(session: "demo-1")
        XCTAssertEqual(spares.count, 1, "\(spares)")
        XCTAssertEqual(try registry.spareOwners(session: "demo-1"), [spares[0].clusterKey: hedy.discreteID])
        let verification = try XCTUnwrap(try registry.verifications(session: "demo-1").first { $0.discreteID == hedy.discreteID })
        XCTAssertTrue(verification.ready, "\(verification)")
        XCTAssertNotNil(try registry.hostKeys(session: "demo-1").first { $0.discreteID == hedy.discreteID })
        // No Terraform apply for her: demo-1 has exactly one apply log, the deploy's.
        let logs = try FileManager.default.contentsOfDirectory(atPath: Self.lab.appendingPathComponent(".labctl/logs/demo-1").path)
        XCTAssertEqual(logs.filter { $0.hasSuffix("-apply.log") }.count, 1, "\(logs)")
        XCTAssertTrue(Self.result.stdout.contains("hedy.lamarr joined demo-1 late"), output)
    }

    func testTerraformStateHasOneInstancePerNode() throws {
        guard Self.result.status == 0 else { return XCTFail("the demo failed") }
        // demo-1: 3 participants + 1 spare (1 worker each); demo-2: 2 single-node clusters.
        for (session, expected) in [("demo-1", 4 * 2), ("demo-2", 2 * 1)] {
            let state = Self.lab.appendingPathComponent("terraform/session/terraform.tfstate.d/\(session)/terraform.tfstate")
            let object = try JSONSerialization.jsonObject(with: Data(contentsOf: state)) as? [String: Any]
            let resources = object?["resources"] as? [[String: Any]] ?? []
            let instances = resources.filter { $0["type"] as? String == "aws_instance" && $0["mode"] as? String == "managed" }
                .map { ($0["instances"] as? [Any])?.count ?? 0 }.reduce(0, +)
            XCTAssertEqual(instances, expected, session)
        }
        XCTAssertTrue(FileManager.default.fileExists(atPath: Self.lab.appendingPathComponent("terraform/network/terraform.tfstate").path))
    }

    func testSheetsWereRenderedForEveryParticipant() throws {
        guard Self.result.status == 0 else { return XCTFail("the demo failed") }
        let dir = Self.lab.appendingPathComponent("participant-access/demo-1")
        let files = try FileManager.default.contentsOfDirectory(atPath: dir.path)
        for ext in ["txt", "md", "html"] {
            XCTAssertEqual(files.filter { $0.hasSuffix(".\(ext)") && $0 != "index.html" && !$0.hasPrefix("sheets-") }.count, 4, "\(ext): \(files)")
        }
        // Mails only for those with an address: the two who joined over HTTP.
        XCTAssertEqual(Set(files.filter { $0.hasSuffix(".eml") }), ["zoe.muller-ludenscheidt.eml", "grace.hopper.eml"], "\(files)")
        XCTAssertTrue(files.contains("index.html") && files.contains("participants-demo-1.csv") && files.contains("sheets-demo-1.html"), "\(files)")
        let sheet = try String(contentsOf: dir.appendingPathComponent("ada.lovelace.txt"), encoding: .utf8)
        XCTAssertTrue(sheet.contains("ssh -i ~/.ssh/id_ed25519"), sheet)
        // The pinned host key's fingerprint is on the sheet.
        let registry = try Registry(path: Self.lab.appendingPathComponent(".labctl/lab.sqlite").path)
        let ada = try XCTUnwrap(try registry.participants(in: "demo-1").first { $0.name == "ada.lovelace" })
        let pin = try XCTUnwrap(try registry.hostKeys(session: "demo-1").first { $0.discreteID == ada.discreteID })
        XCTAssertTrue(sheet.contains(pin.fingerprint), sheet)
    }

    /// The demo's output here goes to a pipe: progress per phase / quarter / 10 s, not per resource.
    func testProgressIntoAPipeIsThrottled() {
        guard Self.result.status == 0 else { return XCTFail("the demo failed") }
        for (session, resources) in [("demo-1", 3 * 6), ("demo-2", 2 * 4)] {
            let lines = output.split(separator: "\n").filter { $0.contains("[\(session)] applying:") }
            XCTAssertGreaterThan(lines.count, 0, output)
            // Phase + 4 quarters + one per 10 s of a ~30 s apply; one per resource would be about `resources`.
            XCTAssertLessThanOrEqual(lines.count, 9, "\(session) (~\(resources) resources): \(lines)")
        }
    }

    func testNothingItStartedIsLeftRunning() throws {
        let pids = try String(contentsOf: Self.lab.appendingPathComponent(".labctl/demo-pids"), encoding: .utf8)
            .split(separator: "\n").compactMap { Int32($0.split(separator: " ").first ?? "") }
        XCTAssertGreaterThanOrEqual(pids.count, 2, "moto_server and labctl serve were recorded")
        for pid in pids { XCTAssertNotEqual(kill(pid, 0), 0, "process \(pid) still runs") }
        // Every loopback sshd was started with a config file inside the lab directory.
        let left = try Shell.run("pgrep", ["-f", Self.lab.path])   // pgrep never lists itself
        XCTAssertEqual(left.stdout.trimmingCharacters(in: .whitespacesAndNewlines), "", "processes still running for \(Self.lab.path)")
    }

    func testBadOptionsAreUsageErrors() throws {
        let r = try LabctlBinary.run(["demo", "--sessions", "0"])
        XCTAssertEqual(r.status, 2, r.stdout + r.stderr)
        let notEmpty = try LabctlBinary.run(["demo", "--root", RepositoryPaths.root.path, "--dir", RepositoryPaths.root.path])
        XCTAssertEqual(notEmpty.status, 2)
        XCTAssertTrue(notEmpty.stderr.contains("not empty"), notEmpty.stderr)
    }
}
