import Crypto
import Foundation

/// An unguessable bearer secret (enrollment code, personal edit token, admin
/// token, login cookie): 32 random bytes from the system generator, written as
/// unpadded base64url so it fits a URL path or a cookie unchanged. Stores keep
/// only its SHA-256 (`digest`), compared in constant time.
public struct SecretToken: Sendable, Hashable, CustomStringConvertible {
    /// The secret itself. Show it once; never log it.
    public let value: String

    public init(value: String) { self.value = value }

    /// A fresh token of `byteCount` random bytes (32: 256 bits).
    public static func generate(byteCount: Int = 32) -> SecretToken {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<byteCount).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        return SecretToken(value: base64URL(bytes))
    }

    /// Lower-case hex SHA-256 of the token text: what a store keeps and looks up by.
    public var digest: String { Self.digest(of: value) }

    public static func digest(of text: String) -> String {
        let hex = Array("0123456789abcdef".utf8)
        var out = [UInt8]()
        out.reserveCapacity(64)
        for byte in SHA256.hash(data: Array(text.utf8)) {
            out.append(hex[Int(byte >> 4)])
            out.append(hex[Int(byte & 0x0F)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Compares two strings in time that depends only on their lengths, not on
    /// where they first differ (for secrets and digests of equal length).
    public static func constantTimeEquals(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8), y = Array(b.utf8)
        guard x.count == y.count else { return false }
        var difference: UInt8 = 0
        for i in x.indices { difference |= x[i] ^ y[i] }
        return difference == 0
    }

    /// Never the secret: `SecretToken(…)` so it cannot leak through interpolation into a log.
    public var description: String { "SecretToken(…)" }

    static func base64URL(_ bytes: [UInt8]) -> String {
        Data(bytes).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    /// Whether `text` has the shape of a generated token (base64url, 16–128 chars):
    /// a cheap filter before any lookup.
    public static func isWellFormed(_ text: String) -> Bool {
        (16...128).contains(text.utf8.count) && text.utf8.allSatisfy {
            ($0 >= 0x30 && $0 <= 0x39) || ($0 >= 0x41 && $0 <= 0x5A) || ($0 >= 0x61 && $0 <= 0x7A) || $0 == 0x2D || $0 == 0x5F
        }
    }
}
