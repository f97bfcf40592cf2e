import XCTest
@testable import LabCore

/// Tokens are unpadded base64url of fresh random bytes (codes, edit links, CSRF cookies).
final class SecretTokenTests: XCTestCase {
    func testBase64URLMatchesRFC4648WithoutPadding() {
        // RFC 4648 §10 vectors, padding dropped; 0xFB 0xFF is "+/8=" in base64, "-_8" in base64url.
        let vectors: [(String, String)] = [("", ""), ("f", "Zg"), ("fo", "Zm8"), ("foo", "Zm9v"), ("foob", "Zm9vYg"),
                                           ("fooba", "Zm9vYmE"), ("foobar", "Zm9vYmFy")]
        for (plain, encoded) in vectors { XCTAssertEqual(SecretToken.base64URL(Array(plain.utf8)), encoded, plain) }
        XCTAssertEqual(SecretToken.base64URL([0xFB, 0xFF]), "-_8")
        XCTAssertEqual(SecretToken.base64URL([0xFB, 0xEF, 0xBE]), "----")
        XCTAssertEqual(SecretToken.base64URL([0xFF, 0xFF, 0xFF]), "____")
    }

    func testGeneratedTokensHaveTheirLengthAndDiffer() {
        for (bytes, characters) in [(16, 22), (24, 32), (32, 43), (5, 7)] {
            let token = SecretToken.generate(byteCount: bytes).value
            XCTAssertEqual(token.count, characters, "\(bytes) bytes")
            XCTAssertEqual(SecretToken.randomBytes(bytes).count, bytes)
        }
        let tokens = (0..<2_000).map { _ in SecretToken.generate(byteCount: 16).value }
        XCTAssertEqual(Set(tokens).count, tokens.count)
        XCTAssertTrue(tokens.allSatisfy(SecretToken.isWellFormed))
        // Every byte value turns up (a generator stuck on a few draws would not).
        var seen = Set<UInt8>()
        for _ in 0..<200 { seen.formUnion(SecretToken.randomBytes(32)) }
        XCTAssertEqual(seen.count, 256)
    }
}
