import LabCore
import LabStore

/// The trainer's admin token: `LABCTL_ADMIN_TOKEN` if set, else the one
/// generated on the first start, of which only the SHA-256 digest is stored.
public enum AdminToken {
    /// Shortest accepted `LABCTL_ADMIN_TOKEN`.
    public static let minimumLength = 16

    public struct Resolution: Sendable {
        /// What the server compares presented tokens against.
        public var digest: String
        /// Set only when a token was generated now: show it once, then forget it.
        public var generated: SecretToken?
        /// Where the token comes from, for the start-up message.
        public var source: Source
    }

    public enum Source: Sendable { case environment, stored, generated }

    public enum ResolutionError: Error, CustomStringConvertible {
        case tooShort
        public var description: String {
            "LABCTL_ADMIN_TOKEN is shorter than \(AdminToken.minimumLength) characters; use a long random value (e.g. `openssl rand -base64 32`) or unset it to have one generated."
        }
    }

    /// - Parameter renew: generate a new token even if one is stored (a lost token); ends every dashboard login.
    public static func resolve(registry: Registry, environmentToken: String?, renew: Bool = false) throws -> Resolution {
        if let token = environmentToken, !token.isEmpty {
            guard token.count >= minimumLength else { throw ResolutionError.tooShort }
            return Resolution(digest: SecretToken.digest(of: token), generated: nil, source: .environment)
        }
        if !renew, let stored = try registry.adminTokenDigest() {
            return Resolution(digest: stored, generated: nil, source: .stored)
        }
        let token = SecretToken.generate()
        try registry.storeAdminTokenDigest(token.digest)
        return Resolution(digest: token.digest, generated: token, source: .generated)
    }
}
