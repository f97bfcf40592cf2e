import Foundation
import LabTestSupport
import XCTest

final class WrapperAndCostTests: XCTestCase {
    var lab: TestLab!

    override func setUpWithError() throws { lab = try TestLab("wrapper", moto: false) }

    override func tearDown() { lab.remove() }

    func testOldScriptVerbsStillWork() throws {
        let script = RepositoryPaths.root.appendingPathComponent("scripts/manage-session.sh").path
        var env = ProcessInfo.processInfo.environment
        env["LABCTL_BIN"] = LabctlBinary.path
        env["LABCTL_ROOT"] = lab.path
        var r = try Shell.run(script, ["create-config", "session-1", "--workers", "2", "--ssh-from", "203.0.113.0/24"], environment: env)
        XCTAssertEqual(r.status, 0, r.stderr)
        r = try Shell.run(script, ["list"], environment: env)
        XCTAssertTrue(r.stdout.contains("session-1"), r.stdout)
        r = try Shell.run(script, ["frobnicate"], environment: env)
        XCTAssertEqual(r.status, 2)
    }

    func testCostJSONForASession() throws {
        XCTAssertEqual(try LabctlBinary.run(["create-config", "s1", "--workers", "1", "--ssh-from", "203.0.113.0/24"], directory: lab.url).status, 0)
        for n in ["a.a", "b.b"] {
            let k = try KeyGen.generate(in: lab.url, name: n)
            XCTAssertEqual(try LabctlBinary.run(["keys", "add", "s1", n, "--file", k.publicKeyPath], directory: lab.url).status, 0)
        }
        let r = try LabctlBinary.run(["cost", "s1", "--hours", "10", "--json"], directory: lab.url)
        XCTAssertEqual(r.status, 0, r.stderr)
        let rows = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as! [[String: Any]]
        let estimate = rows[0]["estimate"] as! [String: Any]
        XCTAssertEqual(estimate["participants"] as? Int, 2)
        // 2 × (t3.medium + t3.small + 60 GB gp3 + 2 public IPv4), by hand.
        let hourly = 2 * (0.0456 + 0.0228 + 60 * 0.088 / 730 + 0.01)
        XCTAssertEqual(rows[0]["for_hours"] as! Double, hourly * 10, accuracy: 1e-9)
        // create-config writes cpu_credits = "unlimited": its worst-case surplus, 2 clusters × (t3.medium + t3.small),
        // each 2 vCPUs × 80 % above baseline × $0.05 = $0.08/h per node: $0.32/h for the session.
        let credits = try XCTUnwrap(estimate["cpu_credits"] as? [String: Any])
        XCTAssertEqual(credits["mode"] as? String, "unlimited")
        XCTAssertEqual(credits["max_surplus_per_session_hour"] as? Double ?? 0, 0.32, accuracy: 1e-9)
        XCTAssertEqual((rows[0]["budget"] as? [String: Any])?["cpu_surplus_hourly_usd"] as? Double ?? 0, 0.32, accuracy: 1e-9,
                       "the budget counts the worst case")
        var text = try LabctlBinary.run(["cost", "s1"], directory: lab.url)
        XCTAssertEqual(text.status, 0, text.stderr)
        XCTAssertTrue(text.stdout.contains("s1: cpu credits: unlimited — nodes bootstrap at full speed"), text.stdout)
        XCTAssertTrue(text.stdout.contains("$0.05 per vCPU-hour, at most $0.16/h per cluster, $0.32/h for the session ($2.56 per 8-hour day)"), text.stdout)
        XCTAssertTrue(text.stdout.contains("with up to $0.3200/h CPU surplus"), "the budget line names it: \(text.stdout)")
        let file = lab.url.appendingPathComponent("sessions/s1.tfvars")
        let tfvars = try String(contentsOf: file, encoding: .utf8)
        XCTAssertTrue(tfvars.contains("cpu_credits = \"unlimited\""), tfvars)
        try tfvars.replacingOccurrences(of: "cpu_credits = \"unlimited\"", with: "cpu_credits = \"standard\"").write(to: file, atomically: true, encoding: .utf8)
        text = try LabctlBinary.run(["cost", "s1"], directory: lab.url)
        XCTAssertTrue(text.stdout.contains("s1: cpu credits: standard — no surplus charges"), text.stdout)
        XCTAssertTrue(text.stdout.contains("every node bootstraps at its baseline"), text.stdout)
        XCTAssertFalse(text.stdout.contains("CPU surplus ×"), "no surplus in the budget: \(text.stdout)")
        let unknown = try LabctlBinary.run(["create-config", "s2", "--master-type", "x9.huge", "--ssh-from", "203.0.113.0/24"], directory: lab.url)
        XCTAssertEqual(unknown.status, 0)
        let bad = try LabctlBinary.run(["cost", "s2"], directory: lab.url)
        XCTAssertEqual(bad.status, 2)
        XCTAssertTrue(bad.stderr.contains("no price for instance type x9.huge"), bad.stderr)
    }
}
