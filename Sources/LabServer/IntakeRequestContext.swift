import Hummingbird
import NIOCore

/// The request context of the intake service: Hummingbird's core storage,
/// the peer's address (for rate limiting) and, on dashboard pages, the
/// trainer's login (set by `AdminSessionMiddleware`).
public struct IntakeRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// The peer's IP address; nil when there is no socket (router tests).
    public let clientAddress: String?
    /// The CSRF token of the trainer's login, on `/admin` pages once authenticated.
    public var adminCSRF: String?

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        clientAddress = source.channel.remoteAddress?.ipAddress
    }

    /// Submissions are limited to 16 KiB; Hummingbird's own decoders use this too.
    public var maxUploadSize: Int { IntakeLimits.submissionBodyBytes }
}

/// Limits the service enforces.
public enum IntakeLimits {
    /// Largest accepted submission body (form or JSON).
    public static let submissionBodyBytes = 16 * 1024
    /// Longest first or last name, in characters.
    public static let nameCharacters = 100
}
