import Foundation

/// The lifetime variables labctl computes for Terraform (terraform/session/lifetime.tf):
/// Terraform cannot read zone names, so labctl hands it UTC values.
public struct LifetimeInputs: Sendable, Equatable {
    /// `ExpiresAt` tag, UTC RFC 3339; nil: a session with no end (`apply --no-end`), tagged `never`.
    public var expiresAt: String?
    /// The dead-man timer's `OnCalendar=` (`2026-12-04 18:00:00 UTC`): end + grace; nil: no timer.
    public var shutdownAt: String?

    public init(expiresAt: String? = nil, shutdownAt: String? = nil) {
        self.expiresAt = expiresAt
        self.shutdownAt = shutdownAt
    }

    /// Empty strings mean "none" to Terraform (its defaults), so an old var file still works.
    var variables: [String: Any] {
        ["expires_at": expiresAt ?? "", "shutdown_at": shutdownAt ?? ""]
    }
}
