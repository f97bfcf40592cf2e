import Foundation
import LabTestSupport
import XCTest
@testable import LabCore
@testable import LabProvision

final class SecretsTests: XCTestCase {
    var dir: TemporaryDirectory!
    override func setUpWithError() throws { dir = try TemporaryDirectory("secrets") }
    override func tearDown() { dir.remove() }

    /// ssh-keygen reads the generated private key and derives the same public key.
    func testOperatorKeyIsAValidOpenSSHPrivateKey() throws {
        let key = OperatorKey.generate(comment: "labctl-operator@session-1")
        let file = dir.file("op")
        FileManager.default.createFile(atPath: file.path, contents: Data(key.privateKeyPEM.utf8), attributes: [.posixPermissions: 0o600])
        let derived = try Shell.run("ssh-keygen", ["-y", "-f", file.path])
        XCTAssertEqual(derived.status, 0, derived.stderr)
        XCTAssertEqual(derived.stdout.trimmingCharacters(in: .whitespacesAndNewlines), key.publicKeyLine)
        XCTAssertEqual(try PublicKeyParser.parse(key.publicKeyLine).comment, "labctl-operator@session-1")
        XCTAssertNotEqual(OperatorKey.generate(comment: "x").publicKeyLine, OperatorKey.generate(comment: "x").publicKeyLine)
    }

    /// openssl agrees: a CA certificate, and the hash computed the way kubeadm documents it.
    func testClusterCAIsACertificateAuthorityWithKubeadmHash() throws {
        let ca = try ClusterCA.generate(clusterName: "session-1-ann.le")
        try ca.certificatePEM.write(to: dir.file("ca.crt"), atomically: true, encoding: .utf8)
        try ca.privateKeyPEM.write(to: dir.file("ca.key"), atomically: true, encoding: .utf8)
        let text = try Shell.run("openssl", ["x509", "-in", dir.file("ca.crt").path, "-noout", "-text"])
        XCTAssertEqual(text.status, 0, text.stderr)
        XCTAssertTrue(text.stdout.contains("CA:TRUE"))
        XCTAssertTrue(text.stdout.contains("Certificate Sign"))
        let pipeline = "openssl x509 -pubkey -in \(dir.file("ca.crt").path) | openssl pkey -pubin -outform der | openssl dgst -sha256 -hex | sed 's/^.* //'"
        let hash = try Shell.run("/bin/sh", ["-c", pipeline])
        XCTAssertEqual("sha256:" + hash.stdout.trimmingCharacters(in: .whitespacesAndNewlines), ca.certificateHash)
        // The key belongs to the certificate.
        let keyPub = try Shell.run("/bin/sh", ["-c", "openssl pkey -in \(dir.file("ca.key").path) -pubout"])
        let certPub = try Shell.run("/bin/sh", ["-c", "openssl x509 -in \(dir.file("ca.crt").path) -pubkey -noout"])
        XCTAssertEqual(keyPub.stdout, certPub.stdout)
        XCTAssertNotNil(ca.joinToken.range(of: "^[a-z0-9]{6}\\.[a-z0-9]{16}$", options: .regularExpression))
    }
}

final class ProgressParserTests: XCTestCase {
    func testFollowsAnApplyAndKeepsTheErrorsMessage() {
        var p = ProgressParser()
        for line in ["Plan: 3 to add, 1 to change, 0 to destroy.",
                     "aws_key_pair.participant[\"ann.le\"]: Creating...",
                     "aws_key_pair.participant[\"ann.le\"]: Creation complete after 1s [id=s1-ann.le]",
                     "aws_instance.master[\"ann.le\"]: Modifying... [id=i-1]",
                     "aws_instance.master[\"ann.le\"]: Modifications complete after 2s"] { p.consume(line) }
        XCTAssertEqual(p.planned, 4)
        XCTAssertEqual(p.done, 2)
        XCTAssertEqual(p.line, "applying: 2/4 resources")
        for line in ["", "Error: Resource precondition failed", "", "  on data.tf line 12, in data \"aws_vpc\" \"network\":",
                     "  12:     condition = length(x) == 1", "", "The shared network is not deployed: run `labctl network apply` first."] {
            p.consume(line)
        }
        XCTAssertEqual(p.phase, "failed")
        XCTAssertEqual(p.errors, ["Error: Resource precondition failed: The shared network is not deployed: run `labctl network apply` first."])
    }
}
