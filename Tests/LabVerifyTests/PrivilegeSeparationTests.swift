import Foundation
import LabTestSupport
import XCTest

/// A new machine has no /run/sshd (Debian creates it through systemd-tmpfiles only);
/// a loopback master must start there all the same, and a real ssh client log in.
final class PrivilegeSeparationTests: XCTestCase {
    var dir: TemporaryDirectory!
    override func setUpWithError() throws { dir = try TemporaryDirectory("privsep") }
    override func tearDown() { dir.remove() }

    func testMasterStartsWhereRunSSHDIsMissing() throws {
        guard geteuid() == 0 else { throw XCTSkip("only a root sshd needs /run/sshd; this test runs as root (CI)") }
        let path = PrivilegeSeparation.debianDirectory
        // No sshd of the tests runs between suites, so the empty directory can go.
        if FileManager.default.fileExists(atPath: path) {
            XCTAssertEqual(rmdir(path), 0, "could not remove \(path): \(String(cString: strerror(errno)))")
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: path))

        let key = try KeyGen.generate(in: dir.url, name: "id")
        let master = try LoopbackMaster(directory: dir.file("master"), authorizedKeys: [key.publicLine], replay: .ready(workers: 0))
        defer { master.stop() }

        let attributes = try FileManager.default.attributesOfItem(atPath: path)
        XCTAssertEqual(attributes[.type] as? FileAttributeType, .typeDirectory)
        XCTAssertEqual((attributes[.posixPermissions] as? NSNumber)?.intValue, 0o755)
        XCTAssertEqual((attributes[.ownerAccountID] as? NSNumber)?.intValue, 0)

        let login = try Shell.run("ssh", ["-i", key.privateKeyPath, "-p", "\(master.port)", "-o", "BatchMode=yes",
                                          "-o", "StrictHostKeyChecking=no", "-o", "UserKnownHostsFile=/dev/null",
                                          "-o", "ConnectTimeout=10", "\(master.loginUser)@127.0.0.1", "echo logged-in"])
        XCTAssertEqual(login.status, 0, login.stderr)
        XCTAssertEqual(login.stdout, "logged-in\n")
    }

    func testMissingDirectoryIsReadFromSSHDsMessage() {
        XCTAssertEqual(PrivilegeSeparation.missingDirectory(in: "Missing privilege separation directory: /var/empty\n"), "/var/empty")
        XCTAssertEqual(PrivilegeSeparation.missingDirectory(in: "sshd: x\nMissing privilege separation directory: /run/sshd"), "/run/sshd")
        XCTAssertNil(PrivilegeSeparation.missingDirectory(in: "Bind to port 22 on 127.0.0.1 failed: Address already in use."))
        XCTAssertNil(PrivilegeSeparation.missingDirectory(in: "Missing privilege separation directory: "))
    }
}
