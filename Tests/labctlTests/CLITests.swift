import Foundation
import LabTestSupport
import XCTest

/// Drives the built `labctl` binary like a trainer would: exit codes, output, files.
final class KeysCLITests: XCTestCase {
    var lab: TestLab!

    override func setUpWithError() throws {
        lab = try TestLab("cli", moto: false)
        try FileManager.default.createDirectory(at: lab.file("participants/session-1"), withIntermediateDirectories: true)
    }

    override func tearDown() { lab.remove() }

    func labctl(_ args: [String], env: [String: String] = [:], input: Data? = nil) throws -> Shell.Output {
        try lab.labctl(args, env: env, input: input)
    }

    func json(_ text: String) throws -> Any { try JSONSerialization.jsonObject(with: Data(text.utf8)) }

    func testCheckPrintsOneLinePerInputAndExitsOneOnAnyInvalid() throws {
        let good = try KeyGen.generate(in: lab.url, name: "good", comment: "jane laptop")
        let rsa = try KeyGen.generate(in: lab.url, name: "rsa", type: "rsa")
        let fp = try XCTUnwrap(KeyGen.fingerprint(ofFile: good.publicKeyPath))
        var r = try labctl(["keys", "check", good.publicKeyPath])
        XCTAssertEqual(r.status, 0)
        XCTAssertEqual(r.stdout, "✓ \(good.publicKeyPath): \(fp) jane laptop\n")
        r = try labctl(["keys", "check", good.publicKeyPath, rsa.publicKeyPath, "missing.pub"])
        XCTAssertEqual(r.status, 1)
        let lines = r.stdout.split(separator: "\n")
        XCTAssertEqual(lines.count, 3)
        XCTAssertTrue(lines[1].hasPrefix("✗ \(rsa.publicKeyPath): this is an RSA key"))
        XCTAssertTrue(lines[2].hasPrefix("✗ missing.pub: cannot read it (no such file)"))
    }

    func testCheckJSONHasExactlyTheDocumentedKeysInInputOrder() throws {
        let good = try KeyGen.generate(in: lab.url, name: "good", comment: "c")
        let r = try labctl(["keys", "check", "--json", "missing.pub", "-", good.publicKeyPath], input: Data("ssh-rsa AAAA x\n".utf8))
        XCTAssertEqual(r.status, 1)
        let array = try XCTUnwrap(try json(r.stdout) as? [[String: Any]])
        XCTAssertEqual(array.map { $0["source"] as? String }, ["missing.pub", "-", good.publicKeyPath])
        for o in array { XCTAssertEqual(Set(o.keys), ["source", "valid", "type", "fingerprint", "comment", "error"]) }
        XCTAssertEqual(array[0]["valid"] as? Bool, false)
        XCTAssertTrue(array[0]["fingerprint"] is NSNull)
        XCTAssertEqual(array[1]["type"] as? String, "ssh-rsa")
        XCTAssertEqual(array[2]["valid"] as? Bool, true)
        XCTAssertTrue(array[2]["error"] is NSNull)
        XCTAssertEqual(array[2]["fingerprint"] as? String, try KeyGen.fingerprint(ofFile: good.publicKeyPath))
    }

    func testCheckExpandsAFolderToItsPubFiles() throws {
        let dir = lab.file("participants/session-1")
        _ = try KeyGen.generate(in: dir, name: "b.b")
        _ = try KeyGen.generate(in: dir, name: "a.a")
        let r = try labctl(["keys", "check", "participants/session-1"])
        XCTAssertEqual(r.status, 0, r.stdout)
        let sources = r.stdout.split(separator: "\n").map { $0.split(separator: ":")[0] }
        XCTAssertEqual(sources, ["✓ participants/session-1/a.a.pub", "✓ participants/session-1/b.b.pub"])
    }

    func testPrivateKeyOnStdinIsRefusedAndNotEchoed() throws {
        let pair = try KeyGen.generate(in: lab.url, name: "secret")
        let text = try String(contentsOfFile: pair.privateKeyPath, encoding: .utf8)
        let r = try labctl(["keys", "check", "-"], input: Data(text.utf8))
        XCTAssertEqual(r.status, 1)
        XCTAssertTrue(r.stdout.contains("PRIVATE key"))
        let body = text.split(separator: "\n")[1]
        XCTAssertFalse(r.stdout.contains(body) || r.stderr.contains(body))
    }

    func testUsageErrorsExitTwo() throws {
        XCTAssertEqual(try labctl(["keys", "check"]).status, 2)
        XCTAssertEqual(try labctl(["keys", "frobnicate"]).status, 2)
        XCTAssertEqual(try labctl(["keys", "add", "session-1", "jane.doe"]).status, 2)
        let bad = try labctl(["keys", "add", "Bad Session", "jane.doe", "--key", "x"])
        XCTAssertEqual(bad.status, 2)
        XCTAssertTrue(bad.stderr.contains("not a valid session name"))
    }

    func testImportReportsEveryFileAndReRunChangesNothing() throws {
        let dir = lab.file("participants/session-1")
        for n in ["jane.doe", "john.doe", "john.dover"] { _ = try KeyGen.generate(in: dir, name: n) }
        _ = try KeyGen.generate(in: dir, name: "old.rsa", type: "rsa")
        for n in ["jane.doe", "john.doe", "john.dover", "old.rsa"] { try FileManager.default.removeItem(at: dir.appendingPathComponent(n)) }
        var r = try labctl(["keys", "import", "session-1"])
        XCTAssertEqual(r.status, 1, r.stdout + r.stderr)
        XCTAssertTrue(r.stdout.contains("session-1: 3 added, 0 replaced, 0 unchanged, 1 invalid (4 files)"), r.stdout)
        XCTAssertTrue(r.stdout.contains("✗ participants/session-1/old.rsa.pub: this is an RSA key"), r.stdout)
        try FileManager.default.removeItem(at: dir.appendingPathComponent("old.rsa.pub"))
        r = try labctl(["keys", "import", "session-1"])
        XCTAssertEqual(r.status, 0)
        XCTAssertTrue(r.stdout.contains("0 added, 0 replaced, 3 unchanged, 0 invalid"), r.stdout)

        r = try labctl(["keys", "list", "session-1", "--json"])
        let rows = try XCTUnwrap(try json(r.stdout) as? [[String: Any]])
        XCTAssertEqual(rows.map { $0["name"] as? String }, ["jane.doe", "john.doe", "john.dover"])
        XCTAssertEqual(rows.map { $0["discrete_id"] as? String }, ["jane.do", "john.do", "john.dov"])
        XCTAssertEqual(Set(rows.map { $0["pod_cidr"] as! String }).count, 3)
        // The admin API's participant object; `email` is left out when none was given (key files carry none).
        for row in rows { XCTAssertEqual(Set(row.keys), ["name", "display_name", "discrete_id", "fingerprint", "pod_cidr", "added_at"]) }
        let db = lab.file(".labctl/lab.sqlite").path
        let mode = try FileManager.default.attributesOfItem(atPath: db)[.posixPermissions] as! NSNumber
        XCTAssertEqual(mode.intValue & 0o777, 0o600)
    }

    func testAddListRemoveAndExport() throws {
        let key = try KeyGen.generate(in: lab.url, name: "zoe", comment: "zoe@laptop")
        var r = try labctl(["keys", "add", "session-1", "Zoë Müller-Lüdenscheidt", "--file", key.publicKeyPath, "--email", "zoe@example.org"])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stdout.contains("added zoe.muller-ludenscheidt to session-1: id zoe.mu, pod CIDR 10.112.0.0/21"), r.stdout)
        r = try labctl(["keys", "add", "session-1", "other.person", "--key", key.publicLine])
        XCTAssertEqual(r.status, 1)
        XCTAssertTrue(r.stderr.contains("already registered to zoe.mu"), r.stderr)
        r = try labctl(["keys", "export", "session-1"])
        XCTAssertEqual(r.status, 0)
        let exported = try String(contentsOf: lab.file("participants/session-1/zoe.muller-ludenscheidt.pub"), encoding: .utf8)
        XCTAssertEqual(exported, key.publicLine + "\n")
        r = try labctl(["keys", "remove", "session-1", "zoe.muller-ludenscheidt"])
        XCTAssertEqual(r.status, 0)
        r = try labctl(["keys", "export", "session-1"])
        XCTAssertTrue(r.stdout.contains("removed participants/session-1/zoe.muller-ludenscheidt.pub"), r.stdout)
        r = try labctl(["keys", "remove", "session-1", "zoe.muller-ludenscheidt"])
        XCTAssertEqual(r.status, 1)
        XCTAssertTrue(r.stderr.contains("labctl keys list session-1"))
    }

    func testCreateConfigAndList() throws {
        var r = try labctl(["create-config", "session-1", "--workers", "2", "--master-type", "t3.large",
                            "--ssh-from", "203.0.113.0/24", "--ssh-from", "198.51.100.7/32"])
        XCTAssertEqual(r.status, 0, r.stderr)
        r = try labctl(["create-config", "session-2", "--workers", "0", "--ssh-from", "203.0.113.0/24"])
        XCTAssertEqual(r.status, 0)
        r = try labctl(["create-config", "session-2", "--ssh-from", "203.0.113.0/24"])
        XCTAssertEqual(r.status, 2)
        XCTAssertTrue(r.stderr.contains("--force"))
        XCTAssertEqual(try labctl(["create-config", "s3", "--master-type", "huge", "--ssh-from", "203.0.113.0/24"]).status, 2)
        let tfvars = try String(contentsOf: lab.file("sessions/session-1.tfvars"), encoding: .utf8)
        XCTAssertTrue(tfvars.contains("allowed_ssh_cidrs = [\"203.0.113.0/24\", \"198.51.100.7/32\"]"), tfvars)
        XCTAssertFalse(tfvars.contains("\"0.0.0.0/0\""), tfvars)
        XCTAssertTrue(tfvars.contains("worker_count         = 2"))
        XCTAssertTrue(tfvars.contains("# "))
        r = try labctl(["list", "--json"])
        let rows = try XCTUnwrap(try json(r.stdout) as? [[String: Any]])
        XCTAssertEqual(rows.map { $0["session"] as? String }, ["session-1", "session-2"])
        XCTAssertEqual(rows.map { $0["worker_count"] as? Int }, [2, 0])
        XCTAssertEqual(rows.first?["master_instance_type"] as? String, "t3.large")
        XCTAssertFalse(FileManager.default.fileExists(atPath: lab.file(".labctl/lab.sqlite").path), "list must not create the database")

        try "session_name = \"session-3\"\nworker_count = var.n\n".write(to: lab.file("sessions/session-3.tfvars"), atomically: true, encoding: .utf8)
        r = try labctl(["list"])
        XCTAssertEqual(r.status, 1)
        XCTAssertTrue(r.stderr.contains("sessions/session-3.tfvars:2: unsupported expression 'var'"), r.stderr)
    }

    func testRootAndDatabaseResolution() throws {
        let key = try KeyGen.generate(in: lab.url, name: "k")
        let sub = lab.file("participants/session-1")
        // From a subfolder, the lab root is found by walking up.
        var r = try LabctlBinary.run(["keys", "add", "session-1", "a.b", "--file", key.publicKeyPath], directory: sub)
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(FileManager.default.fileExists(atPath: lab.file(".labctl/lab.sqlite").path))
        // LABCTL_DB and --db choose another database.
        let other = lab.file("elsewhere/x.sqlite").path
        r = try LabctlBinary.run(["keys", "list", "session-1", "--json"], env: ["LABCTL_DB": other], directory: sub)
        XCTAssertEqual((try json(r.stdout) as? [Any])?.count, 0)
        XCTAssertTrue(FileManager.default.fileExists(atPath: other))
        r = try LabctlBinary.run(["keys", "list", "session-1", "--json", "--root", lab.path])
        XCTAssertTrue(r.stdout.contains("\"a.b\""), r.stdout)
    }
}
