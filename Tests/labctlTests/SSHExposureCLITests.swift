import Foundation
import LabStore
import LabTestSupport
import XCTest

/// SSH is not open to the internet by default: create-config needs a range,
/// apply refuses none and 0.0.0.0/0 (unless --ssh-from-anywhere, audited).
/// No Terraform runs: every refusal comes before it.
final class SSHExposureCLITests: XCTestCase {
    var lab: TemporaryDirectory!

    override func setUpWithError() throws { lab = try TemporaryDirectory("ssh-exposure") }
    override func tearDown() { lab?.remove() }

    func labctl(_ args: [String], env: [String: String] = [:]) throws -> Shell.Output {
        try LabctlBinary.run(args, env: env, directory: lab.url)
    }

    func testCreateConfigWithoutARangeSaysHowToGiveOne() throws {
        var r = try labctl(["create-config", "s1"], env: ["SSH_CONNECTION": ""])
        XCTAssertEqual(r.status, 2)
        for fragment in ["create-config s1", "no SSH source range", "--ssh-from CIDR", "labctl create-config s1 --ssh-from 203.0.113.0/24"] {
            XCTAssertTrue(r.stderr.contains(fragment), "\(fragment) missing in: \(r.stderr)")
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: lab.file("sessions/s1.tfvars").path))
        r = try labctl(["create-config", "s1"], env: ["SSH_CONNECTION": "10.1.2.3 50000 10.0.0.4 22"])
        XCTAssertEqual(r.status, 2, "a private address is no suggestion")
        r = try labctl(["create-config", "s1"], env: ["SSH_CONNECTION": "198.51.100.23 50000 10.0.0.4 22"])
        XCTAssertEqual(r.status, 0, "the shell's public address is the suggestion: \(r.stderr)")
        XCTAssertTrue(r.stderr.contains("SSH is allowed from 198.51.100.23/32 only"), r.stderr)
        let text = try String(contentsOf: lab.file("sessions/s1.tfvars"), encoding: .utf8)
        XCTAssertTrue(text.contains("allowed_ssh_cidrs = [\"198.51.100.23/32\"]"), text)
        r = try labctl(["create-config", "s2", "--ssh-from", "room-42"])
        XCTAssertEqual(r.status, 2)
        XCTAssertTrue(r.stderr.contains("--ssh-from 'room-42' is not a CIDR block"), r.stderr)
    }

    func testApplyRefusesNoRangeAndEveryoneUnlessToldAndAuditsTheOverride() throws {
        XCTAssertEqual(try labctl(["create-config", "s1", "--ssh-from", "0.0.0.0/0", "--end", "2099-06-01T17:00:00+02:00"]).status, 0)
        let key = try KeyGen.generate(in: lab.url, name: "k")
        XCTAssertEqual(try labctl(["keys", "add", "s1", "ann.lee", "--file", key.publicKeyPath]).status, 0)

        var r = try labctl(["apply", "s1", "-y"])
        XCTAssertEqual(r.status, 2)
        XCTAssertTrue(r.stderr.contains("session s1 opens SSH to the whole internet (0.0.0.0/0"), r.stderr)
        XCTAssertTrue(r.stderr.contains("labctl apply s1 --ssh-from-anywhere"), r.stderr)

        // With the flag the refusal is gone and the decision audited; without a terminal
        // the confirmation question stops it before any Terraform runs.
        r = try labctl(["apply", "s1", "--ssh-from-anywhere", "--skip-preflight"])
        XCTAssertEqual(r.status, 2)
        XCTAssertTrue(r.stderr.contains("no terminal to confirm"), r.stderr)
        let registry = try Registry(path: lab.file(".labctl/lab.sqlite").path)
        let audited = try registry.auditLog(session: "s1").filter { $0.action == "ssh-from-anywhere" }
        XCTAssertEqual(audited.count, 1)
        XCTAssertTrue(audited.first?.detail.contains("0.0.0.0/0") ?? false, "\(audited)")

        let url = lab.file("sessions/s1.tfvars")
        let text = try String(contentsOf: url, encoding: .utf8)
            .replacingOccurrences(of: "allowed_ssh_cidrs = [\"0.0.0.0/0\"]", with: "")
        try text.write(to: url, atomically: true, encoding: .utf8)
        r = try labctl(["apply", "s1", "-y", "--ssh-from-anywhere", "--skip-preflight"])
        XCTAssertEqual(r.status, 2)
        for fragment in ["session s1 has no SSH source range", "sessions/s1.tfvars", "allowed_ssh_cidrs = [\"203.0.113.0/24\"]"] {
            XCTAssertTrue(r.stderr.contains(fragment), "\(fragment) missing in: \(r.stderr)")
        }
    }
}
