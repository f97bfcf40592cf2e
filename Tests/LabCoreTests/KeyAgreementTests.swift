import Foundation
import LabTestSupport
import XCTest
@testable import LabCore

/// labctl must accept exactly the ed25519 inputs `ssh-keygen -l -f` accepts,
/// with the same fingerprint. The corpus is made by ssh-keygen at test time.
final class KeyAgreementTests: XCTestCase {
    // Set once in class setUp; XCTest runs the tests of a class one after another.
    nonisolated(unsafe) static var dir: TemporaryDirectory!
    nonisolated(unsafe) static var keys: [KeyGen.Pair] = []

    nonisolated(unsafe) static var setupError: Error?

    /// ssh-keygen failing here fails every test with its reason (see setUpWithError).
    override class func setUp() {
        do {
            dir = try TemporaryDirectory("keys-agree")
            let comments = ["", "jane@laptop", "Zoë Müller-Lüdenscheidt (work)", "with  two spaces", "日本語 コメント", "tab\there"]
            keys = try comments.enumerated().map { i, c in try KeyGen.generate(in: dir.url, name: "k\(i)", comment: c) }
        } catch {
            setupError = error
        }
    }

    override func setUpWithError() throws {
        if let e = Self.setupError { throw e }
    }

    override class func tearDown() { dir?.remove() }

    func testFingerprintsEqualSSHKeygenForGeneratedKeys() throws {
        for pair in Self.keys {
            let expected = try XCTUnwrap(try KeyGen.fingerprint(ofFile: pair.publicKeyPath))
            let key = try PublicKeyParser.parse(String(contentsOfFile: pair.publicKeyPath, encoding: .utf8))
            XCTAssertEqual(key.fingerprint, expected, pair.publicKeyPath)
            XCTAssertEqual(key.type, "ssh-ed25519")
        }
    }

    func testCommentKeptExactly() throws {
        let pair = Self.keys[2]
        let key = try PublicKeyParser.parse(String(contentsOfFile: pair.publicKeyPath, encoding: .utf8))
        XCTAssertEqual(key.comment, "Zoë Müller-Lüdenscheidt (work)")
        XCTAssertEqual(key.openSSHLine, pair.publicLine)
    }

    func testMD5FingerprintEqualsSSHKeygen() throws {
        let pair = Self.keys[1]
        let r = try Shell.run("ssh-keygen", ["-l", "-E", "md5", "-f", pair.publicKeyPath])
        let expected = String(r.stdout.split(separator: " ")[1])
        XCTAssertEqual(try PublicKeyParser.parse(pair.publicLine).md5Fingerprint, expected)
    }

    /// Variants both tools must accept with the same fingerprint.
    func testAcceptedVariantsAgree() throws {
        let line = Self.keys[1].publicLine
        let parts = line.split(separator: " ", maxSplits: 2).map(String.init)
        let variants: [String: String] = [
            "trailing-newline": line + "\n",
            "leading-spaces": "   " + line + "\n",
            "tabs": parts[0] + "\t" + parts[1] + "\t" + parts[2] + "\n",
            "no-comment": parts[0] + " " + parts[1] + "\n",
            "comment-lines": "# Jane's key\n\n" + line + "\n# end\n",
            "trailing-blank": line + "\n\n   \n",
        ]
        for (name, text) in variants {
            let file = try Self.dir.write("variant-\(name).pub", text)
            let expected = try KeyGen.fingerprint(ofFile: file.path)
            XCTAssertNotNil(expected, "ssh-keygen should accept \(name)")
            XCTAssertEqual(try PublicKeyParser.parse(text).fingerprint, expected, name)
        }
    }

    /// Documented normalisations: BOM, CRLF, RFC 4716 are accepted with ssh-keygen's fingerprint of the plain key.
    func testNormalisationsGiveTheSameFingerprint() throws {
        let pair = Self.keys[1]
        let expected = try XCTUnwrap(try KeyGen.fingerprint(ofFile: pair.publicKeyPath))
        XCTAssertEqual(try PublicKeyParser.parse("\u{FEFF}" + pair.publicLine + "\n").fingerprint, expected)
        XCTAssertEqual(try PublicKeyParser.parse(pair.publicLine + "\r\n").fingerprint, expected)
        XCTAssertEqual(try PublicKeyParser.parse(pair.publicLine + "\r").fingerprint, expected)
        let rfc = try Shell.run("ssh-keygen", ["-e", "-f", pair.publicKeyPath])
        XCTAssertTrue(rfc.stdout.contains("BEGIN SSH2 PUBLIC KEY"))
        let converted = try PublicKeyParser.parse(rfc.stdout)
        XCTAssertEqual(converted.fingerprint, expected)
        XCTAssertEqual(try PublicKeyParser.parse(rfc.stdout.replacingOccurrences(of: "\n", with: "\r\n")).fingerprint, expected)
    }

    func testRFC4716CommentAndContinuationHeaders() throws {
        let pair = Self.keys[0]
        let base64 = pair.publicLine.split(separator: " ")[1]
        let wrapped = stride(from: 0, to: base64.count, by: 40).map { i -> String in
            let start = base64.index(base64.startIndex, offsetBy: i)
            return String(base64[start..<base64.index(start, offsetBy: min(40, base64.count - i))])
        }
        let text = """
        ---- BEGIN SSH2 PUBLIC KEY ----
        Comment: "eddsa-key-20261128 \\
        jane"
        x-private: something
        \(wrapped.joined(separator: "\n"))
        ---- END SSH2 PUBLIC KEY ----
        """
        let key = try PublicKeyParser.parse(text)
        XCTAssertEqual(key.comment, "eddsa-key-20261128 jane")
        XCTAssertEqual(key.fingerprint, try KeyGen.fingerprint(ofFile: pair.publicKeyPath))
    }

    /// Random single-character corruptions of the key data: both tools give the same verdict,
    /// and the same fingerprint when they accept.
    func testCorruptedKeyDataVerdictsAgreeWithSSHKeygen() throws {
        var generator = SeededGenerator(seed: 20261128)
        let line = Self.keys[1].publicLine
        let parts = line.split(separator: " ", maxSplits: 2).map(String.init)
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=!-_ ")
        var disagreements: [String] = []
        var refusedByBoth = 0
        for i in 0..<120 {
            var data = Array(parts[1])
            switch i % 4 {
            case 0: data[Int.random(in: 0..<data.count, using: &generator)] = alphabet.randomElement(using: &generator)!
            case 1: data.removeLast(Int.random(in: 1...8, using: &generator))
            case 2: data.insert(alphabet.randomElement(using: &generator)!, at: Int.random(in: 0...data.count, using: &generator))
            default: data.removeSubrange(0..<Int.random(in: 1...6, using: &generator))
            }
            let text = parts[0] + " " + String(data) + " " + parts[2] + "\n"
            let file = try Self.dir.write("mut-\(i).pub", text)
            let theirs = try KeyGen.fingerprint(ofFile: file.path)
            let ours = try? PublicKeyParser.parse(text).fingerprint
            if theirs != ours { disagreements.append("\(text) ssh-keygen=\(theirs ?? "refused") labctl=\(ours ?? "refused")") }
            if theirs == nil && ours == nil { refusedByBoth += 1 }
        }
        XCTAssertEqual(disagreements, [])
        XCTAssertGreaterThan(refusedByBoth, 60, "the corpus should mostly contain broken keys")
    }

    /// Crafted blobs: each must be refused by ssh-keygen as well as by labctl.
    func testCraftedBrokenBlobsAreRefusedByBoth() throws {
        let good = try PublicKeyParser.parse(Self.keys[1].publicLine)
        let keyBytes = Array(good.blob.suffix(32))
        let type = Array("ssh-ed25519".utf8)
        let cases: [(String, [UInt8], KeyRefusal)] = [
            ("short-key", type.sshString() + Array(keyBytes.prefix(31)).sshString(), .wrongKeyLength(31)),
            ("long-key", type.sshString() + (keyBytes + [0]).sshString(), .wrongKeyLength(33)),
            ("trailing", good.blob + [0, 0, 0, 0], .trailingData(4)),
            ("inner-rsa", Array("ssh-rsa".utf8).sshString() + keyBytes.sshString(), .blobTypeMismatch(line: "ssh-ed25519", blob: "ssh-rsa")),
            ("truncated", Array(good.blob.prefix(30)), .truncatedBlob),
        ]
        for (name, blob, refusal) in cases {
            let text = "ssh-ed25519 \(Data(blob).base64EncodedString()) crafted\n"
            let file = try Self.dir.write("crafted-\(name).pub", text)
            XCTAssertNil(try KeyGen.fingerprint(ofFile: file.path), "ssh-keygen accepted \(name)")
            XCTAssertThrowsError(try PublicKeyParser.parse(text), name) { XCTAssertEqual($0 as? KeyRefusal, refusal, name) }
        }
    }
}

/// A small deterministic generator so a failing corpus can be reproduced.
struct SeededGenerator: RandomNumberGenerator {
    private var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
