import Foundation
import LabCore

/// A server's SSH host key as the handshake presented it.
public struct HostKey: Equatable, Sendable {
    /// `ssh-ed25519`, `ecdsa-sha2-nistp256`, `ssh-rsa`, …
    public let type: String
    /// The key blob, base64 (the middle field of a known_hosts line).
    public let base64: String
    /// `SHA256:` + unpadded base64, exactly as `ssh-keygen -l` prints it.
    public let fingerprint: String

    public init(type: String, blob: [UInt8]) {
        self.type = type
        self.base64 = Data(blob).base64EncodedString()
        self.fingerprint = Fingerprint.sha256(blob)
    }

    public init(type: String, base64: String, fingerprint: String) {
        self.type = type
        self.base64 = base64
        self.fingerprint = fingerprint
    }

    static func typeName(libssh2Type: Int32) -> String {
        switch libssh2Type {
        case 1: return "ssh-rsa"
        case 2: return "ssh-dss"
        case 3: return "ecdsa-sha2-nistp256"
        case 4: return "ecdsa-sha2-nistp384"
        case 5: return "ecdsa-sha2-nistp521"
        case 6: return "ssh-ed25519"
        default: return "unknown"
        }
    }
}
