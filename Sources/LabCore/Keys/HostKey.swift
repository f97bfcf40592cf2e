import Foundation

/// A server's SSH host key: what the verifier's handshake sees, the registry pins and
/// the sheets print (one type for all three).
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

    /// The `known_hosts` line for `host`: `203.0.113.10 ssh-ed25519 AAAA…`.
    public func knownHostsLine(host: String) -> String { "\(host) \(type) \(base64)" }
}
