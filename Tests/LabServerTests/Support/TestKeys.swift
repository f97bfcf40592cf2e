import Crypto
import Foundation

/// Fresh ed25519 public keys made with swift-crypto, in OpenSSH's line format,
/// with their fingerprints computed here independently of LabCore.
enum TestKeys {
    struct Key: Sendable {
        let line: String
        let fingerprint: String
    }

    static func ed25519(comment: String = "test@labctl") -> Key {
        let raw = Array(Curve25519.Signing.PrivateKey().publicKey.rawRepresentation)
        var blob: [UInt8] = []
        func string(_ bytes: [UInt8]) {
            let n = UInt32(bytes.count)
            blob += [UInt8(n >> 24), UInt8(n >> 16 & 0xFF), UInt8(n >> 8 & 0xFF), UInt8(n & 0xFF)] + bytes
        }
        string(Array("ssh-ed25519".utf8))
        string(raw)
        let digest = Data(SHA256.hash(data: blob)).base64EncodedString().replacingOccurrences(of: "=", with: "")
        return Key(line: "ssh-ed25519 \(Data(blob).base64EncodedString()) \(comment)", fingerprint: "SHA256:" + digest)
    }
}
