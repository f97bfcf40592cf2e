import Foundation
import LabTestSupport
import XCTest
@testable import LabCore

/// Every refusal has its own reason and a next step.
final class KeyRefusalTests: XCTestCase {
    var dir: TemporaryDirectory!
    var ed: KeyGen.Pair!

    override func setUpWithError() throws {
        dir = try TemporaryDirectory("keys-refuse")
        ed = try KeyGen.generate(in: dir.url, name: "ed", comment: "jane")
    }

    override func tearDown() { dir.remove() }

    private func refusal(_ text: String, file: StaticString = #filePath, line: UInt = #line) -> KeyRefusal? {
        do { _ = try PublicKeyParser.parse(text); XCTFail("accepted", file: file, line: line); return nil } catch { return error }
    }

    func testRefusesRSAWithGenerateHint() throws {
        let rsa = try KeyGen.generate(in: dir.url, name: "rsa", type: "rsa")
        let r = refusal(rsa.publicLine)
        XCTAssertEqual(r, .unsupportedType("ssh-rsa"))
        XCTAssertTrue(r!.message.contains("RSA"))
        XCTAssertTrue(r!.message.contains("ssh-keygen -t ed25519"))
    }

    func testRefusesECDSA() throws {
        let ec = try KeyGen.generate(in: dir.url, name: "ec", type: "ecdsa")
        XCTAssertEqual(refusal(ec.publicLine), .unsupportedType("ecdsa-sha2-nistp256"))
    }

    func testRefusesDSAAndSecurityKeysAndCertificates() {
        let blob = "AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl"
        XCTAssertEqual(refusal("ssh-dss \(blob)"), .unsupportedType("ssh-dss"))
        let sk = refusal("sk-ssh-ed25519@openssh.com \(blob) yubikey")
        XCTAssertEqual(sk, .securityKey("sk-ssh-ed25519@openssh.com"))
        XCTAssertTrue(sk!.message.contains("EC2"))
        XCTAssertEqual(refusal("ssh-ed25519-cert-v01@openssh.com \(blob)"), .certificate("ssh-ed25519-cert-v01@openssh.com"))
    }

    func testRefusesAuthorizedKeysOptions() {
        XCTAssertEqual(refusal("no-pty,command=\"/bin/true\" " + ed.publicLine), .optionsPrefix)
        XCTAssertEqual(refusal("from=\"10.0.0.1\" " + ed.publicLine), .optionsPrefix)
    }

    func testRefusesMoreThanOneKey() throws {
        let other = try KeyGen.generate(in: dir.url, name: "ed2")
        XCTAssertEqual(refusal(ed.publicLine + "\n" + other.publicLine + "\n"), .multipleKeys(2))
    }

    func testRefusesEmptyInput() {
        XCTAssertEqual(refusal(""), .empty)
        XCTAssertEqual(refusal("  \n\t\n"), .empty)
        XCTAssertEqual(refusal("# only a comment\n"), .empty)
        XCTAssertEqual(refusal("\u{FEFF}"), .empty)
    }

    func testRefusesTruncatedAndInvalidBase64() {
        let parts = ed.publicLine.split(separator: " ")
        XCTAssertEqual(refusal("ssh-ed25519"), .truncatedBlob)
        XCTAssertEqual(refusal("ssh-ed25519 \(parts[1].dropLast(4))"), .truncatedBlob)
        XCTAssertEqual(refusal("ssh-ed25519 \(parts[1].dropLast(1))"), .invalidBase64)
        XCTAssertEqual(refusal("ssh-ed25519 \(parts[1].dropLast(2))$$ jane"), .invalidBase64)
        XCTAssertEqual(refusal("hello world"), .malformedLine)
    }

    func testRefusesPrivateKeysWithoutEchoingThem() throws {
        let privateText = try String(contentsOfFile: ed.privateKeyPath, encoding: .utf8)
        let pem = """
        -----BEGIN PRIVATE KEY-----
        MC4CAQAwBQYDK2VwBCIEIGtZ4q0w6cgtgk0zS0s1hBZsOzkWmc0KTzS2Sx4ezCdP
        -----END PRIVATE KEY-----
        """
        let putty = "PuTTY-User-Key-File-3: ssh-ed25519\nEncryption: none\nComment: eddsa-key\nPublic-Lines: 2\nAAAAC3NzaC1lZDI1NTE5AAAAIOMq\n"
        for text in [privateText, pem, putty, "  " + privateText, ed.publicLine + "\n" + privateText] {
            let r = refusal(text)
            XCTAssertEqual(r, .privateKey)
            let message = r!.message
            XCTAssertTrue(message.contains("secret"))
            for secretLine in text.split(separator: "\n") where secretLine.count > 20 {
                XCTAssertFalse(message.contains(secretLine), "message echoes the private key")
            }
        }
    }

    func testRefusesOversizedInput() {
        XCTAssertEqual(refusal(String(repeating: "A", count: 20_000)), .malformedLine)
    }

    func testEveryRefusalMessageIsDistinctAndNamesANextStep() {
        let all: [KeyRefusal] = [.empty, .privateKey, .unsupportedType("ssh-rsa"), .securityKey("sk-ssh-ed25519@openssh.com"),
                                 .certificate("x-cert-v01@openssh.com"), .optionsPrefix, .multipleKeys(2), .malformedLine,
                                 .invalidBase64, .truncatedBlob, .blobTypeMismatch(line: "ssh-ed25519", blob: "ssh-rsa"),
                                 .wrongKeyLength(31), .trailingData(2), .unreadable("no such file")]
        XCTAssertEqual(Set(all.map(\.message)).count, all.count)
        XCTAssertEqual(Set(all.map(\.code)).count, all.count)
        for r in all where r != .unreadable("no such file") {
            XCTAssertTrue(r.message.contains("ssh-keygen") || r.message.contains(".pub") || r.message.contains("one"), r.code)
        }
    }

    func testKeyFileReaderReportsMissingFileAndDirectory() {
        XCTAssertEqual(try? KeyFileReader.read(path: dir.file("missing.pub").path).get(), nil)
        if case .failure(let e) = KeyFileReader.read(path: dir.file("missing.pub").path) {
            XCTAssertEqual(e, .unreadable("no such file"))
        } else { XCTFail() }
        if case .failure(let e) = KeyFileReader.read(path: dir.path) {
            XCTAssertEqual(e, .unreadable("it is a directory"))
        } else { XCTFail() }
    }
}
