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
        SecretToken(value: base64URL(randomBytes(byteCount)))
    }

    /// Eight bytes per draw from the system generator (one `getrandom` call each): a byte
    /// per draw made every join page view pay 24 system calls for its CSRF token.
    static func randomBytes(_ count: Int) -> [UInt8] {
        var generator = SystemRandomNumberGenerator()
        var bytes = [UInt8]()
        bytes.reserveCapacity(count + 7)
        while bytes.count < count { withUnsafeBytes(of: generator.next() as UInt64) { bytes.append(contentsOf: $0) } }
        return Array(bytes.prefix(count))
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

    /// Unpadded base64url in one pass over the bytes (three Foundation `replacingOccurrences`
    /// cost more than the encoding itself).
    static func base64URL(_ bytes: [UInt8]) -> String {
        var out = [UInt8]()
        out.reserveCapacity((bytes.count * 4 + 2) / 3)
        for byte in Data(bytes).base64EncodedData() {
            switch byte {
            case UInt8(ascii: "+"): out.append(UInt8(ascii: "-"))
            case UInt8(ascii: "/"): out.append(UInt8(ascii: "_"))
            case UInt8(ascii: "="): continue
            default: out.append(byte)
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Whether `text` has the shape of a generated token (base64url, 16–128 chars):
    /// a cheap filter before any lookup.
    public static func isWellFormed(_ text: String) -> Bool {
        (16...128).contains(text.utf8.count) && text.utf8.allSatisfy {
            ($0 >= 0x30 && $0 <= 0x39) || ($0 >= 0x41 && $0 <= 0x5A) || ($0 >= 0x61 && $0 <= 0x7A) || $0 == 0x2D || $0 == 0x5F
        }
    }
}
