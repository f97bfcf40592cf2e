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
}
