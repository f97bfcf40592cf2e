/// A pinned SSH host key of a participant's master, as `known_hosts` needs it.
public struct SheetHostKey: Equatable, Sendable {
    /// `ssh-ed25519`, `ecdsa-sha2-nistp256`, …
    public var keyType: String
    public var keyBase64: String
    /// `SHA256:…` exactly as `ssh-keygen -l` and ssh's first-connection prompt print it.
    public var fingerprint: String

    public init(keyType: String, keyBase64: String, fingerprint: String) {
        self.keyType = keyType
        self.keyBase64 = keyBase64
        self.fingerprint = fingerprint
    }

    /// The `known_hosts` line for `host`: `203.0.113.10 ssh-ed25519 AAAA…`.
    public func knownHostsLine(host: String) -> String { "\(host) \(keyType) \(keyBase64)" }
}
