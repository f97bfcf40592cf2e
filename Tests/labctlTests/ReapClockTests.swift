import Foundation
import LabCore
import LabTestSupport
import XCTest

/// `labctl reap` judges ends by this machine's clock: before it destroys a due session it
/// reads AWS's clock (the EC2 endpoint's Date header) and refuses when the two are more
/// than 5 minutes apart or AWS's cannot be read. Here the endpoint is a loopback stub with
/// a clock of its own; the due session's state is a local state file (no Terraform runs,
/// since the refusal comes first). LifetimeTests shows a reap against moto, whose clock
/// agrees, destroying as before.
final class ReapClockTests: XCTestCase {
    var lab: TestLab!
    let stateFile = "terraform/session/terraform.tfstate.d/gone/terraform.tfstate"

    override func setUpWithError() throws {
        lab = try TestLab("reapclock", moto: false, sessions: [.init("gone", participants: ["ann.lee"])])
        let url = lab.file("sessions/gone.tfvars")
        let yesterday = ISO8601DateFormatter().string(from: Date().addingTimeInterval(-86_400))
        let text = try String(contentsOf: url, encoding: .utf8)
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
            .map { $0.hasPrefix("session_end") ? "session_end = \"\(yesterday)\"" : String($0) }
        try lines.joined(separator: "\n").write(to: url, atomically: true, encoding: .utf8)
        try FileManager.default.createDirectory(at: lab.file(stateFile).deletingLastPathComponent(), withIntermediateDirectories: true)
        try lab.write(stateFile, """
            {"version": 4, "terraform_version": "1.11.0", "serial": 3, "lineage": "test", "outputs": {},
             "resources": [{"mode": "managed", "type": "aws_security_group", "name": "cluster",
                            "provider": "provider[\\"registry.terraform.io/hashicorp/aws\\"]",
                            "instances": [{"schema_version": 1, "attributes": {"id": "sg-0123"}}]}]}
            """)
    }

    override func tearDown() { lab?.remove() }

    /// The clock stub, `offset` seconds off; stopped by the caller.
    func clockStub(offset: Int) throws -> (ChildProcess, String) {
        let stub = try ChildProcess(Python.executable, [RepositoryPaths.tool("skewed-clock-stub.py").path, String(offset)],
                                    input: .pipe, output: .capture, error: .inherit, registry: nil)
        let said = stub.waitForOutput(timeout: 60) { text in text.firstIndex(of: "\n").map { String(text[..<$0]) } } ?? ""
        guard said.hasPrefix("READY "), let port = Int(said.dropFirst(6)) else {
            stub.stop()
            throw TestSupportError("skewed-clock-stub.py did not start (said '\(said)')")
        }
        return (stub, "http://127.0.0.1:\(port)")
    }

    func reapEntry(_ r: Shell.Output) throws -> [String: Any] {
        let entries = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as! [[String: Any]]
        return try XCTUnwrap(entries.first { $0["session"] as? String == "gone" }, r.stdout + r.stderr)
    }

    func testAClockAnHourAheadOfAWSDestroysNothing() throws {
        let (stub, endpoint) = try clockStub(offset: -3600)
        defer { stub.closeInput(); stub.stop() }
        let before = try Data(contentsOf: lab.file(stateFile))
        let r = try lab.labctl(["reap", "-y", "--json"], env: ["AWS_ENDPOINT_URL": endpoint])
        XCTAssertEqual(r.status, 1, r.stdout + r.stderr)
        let entry = try reapEntry(r)
        XCTAssertEqual(entry["action"] as? String, "failed")
        let detail = entry["detail"] as? String ?? ""
        XCTAssertTrue(detail.contains("due, but not destroyed") && detail.contains("ahead of AWS's"), detail)
        XCTAssertTrue(detail.contains("59 min") || detail.contains("60 min"), "names how far apart: \(detail)")
        XCTAssertEqual(try Data(contentsOf: lab.file(stateFile)), before, "the state was not touched")
        XCTAssertNil(try? FileManager.default.contentsOfDirectory(atPath: lab.file(".labctl/backups").path).first, "no destroy began")
    }

    func testAClockThatCannotBeReadDestroysNothing() throws {
        // A port that refuses: the stub, stopped.
        let (stub, endpoint) = try clockStub(offset: 0)
        stub.closeInput(); stub.stop()
        let r = try lab.labctl(["reap", "-y", "--json"], env: ["AWS_ENDPOINT_URL": endpoint])
        XCTAssertEqual(r.status, 1, r.stdout + r.stderr)
        let entry = try reapEntry(r)
        XCTAssertEqual(entry["action"] as? String, "failed")
        XCTAssertTrue((entry["detail"] as? String ?? "").contains("AWS's clock could not be read"), "\(entry)")
    }

    /// A dry run only reports: it reads no clock and still says what would go.
    func testADryRunNeedsNoClock() throws {
        let r = try lab.labctl(["reap", "--dry-run", "--json"], env: ["AWS_ENDPOINT_URL": "http://127.0.0.1:9"])
        XCTAssertEqual(r.status, 0, r.stdout + r.stderr)
        XCTAssertEqual(try reapEntry(r)["action"] as? String, "would_destroy")
    }
}
