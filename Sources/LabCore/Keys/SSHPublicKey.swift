import Crypto
import Foundation

/// A validated OpenSSH ed25519 public key: the wire blob plus its comment.
/// Built only by `PublicKeyParser`, so every instance is one `ssh-keygen` accepts.
public struct SSHPublicKey: Hashable, Sendable {
    public static let ed25519Type = "ssh-ed25519"

    /// The key type as written on the line (always `ssh-ed25519` today).
    public let type: String
    /// The SSH wire encoding: string type, string key.
    public let blob: [UInt8]
    /// The free-text comment after the key data ("" when there is none).
    public let comment: String

    init(type: String, blob: [UInt8], comment: String) {
        self.type = type
        self.blob = blob
        self.comment = comment
    }

    public var base64: String { Data(blob).base64EncodedString() }

    /// The normalised one-line form, `type base64 [comment]`.
    public var openSSHLine: String {
        comment.isEmpty ? "\(type) \(base64)" : "\(type) \(base64) \(comment)"
    }

    /// `type base64` without the comment: what EC2 and authorized_keys need.
    public var keyLine: String { "\(type) \(base64)" }

    /// `SHA256:` and the unpadded base64 digest of the blob, exactly as `ssh-keygen -l` prints it.
    public var fingerprint: String { Fingerprint.sha256(blob) }

    /// The legacy `MD5:aa:bb:…` form (`ssh-keygen -l -E md5`).
    public var md5Fingerprint: String { Fingerprint.md5(blob) }
}

/// Fingerprints of SSH key blobs in the text forms `ssh-keygen -l` uses.
public enum Fingerprint {
    public static func sha256(_ blob: [UInt8]) -> String {
        let digest = Data(SHA256.hash(data: blob)).base64EncodedString()
        return "SHA256:" + digest.replacingOccurrences(of: "=", with: "")
    }

    public static func md5(_ blob: [UInt8]) -> String {
        let hex = Insecure.MD5.hash(data: blob).map { String(format: "%02x", $0) }
        return "MD5:" + hex.joined(separator: ":")
    }
}
