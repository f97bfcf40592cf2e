import Hummingbird
import NIOCore

/// The request context of the intake service: Hummingbird's core storage, who sent
/// the request (for per-client limits and the log), whether the client reached us over
/// HTTPS and, on dashboard pages, the trainer's login (set by `AdminSessionMiddleware`).
public struct IntakeRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// The socket peer's IP address; nil when there is no socket (router tests).
    public let peerAddress: String?
    /// Who sent the request: the peer, or behind a trusted proxy the client it names
    /// (`ForwardedMiddleware`, the router's first middleware, resolves it).
    public internal(set) var origin: RequestOrigin
    /// The client's address: the key of every per-client limit.
    public var clientAddress: String? { origin.client }
    /// The client reached the service over HTTPS (its own certificate, an https public URL,
    /// or a trusted proxy's `X-Forwarded-Proto: https`): cookies get `Secure`, HSTS is sent.
    public internal(set) var isHTTPS = false
    /// The CSRF token of the trainer's login, on `/admin` pages once authenticated.
    public var adminCSRF: String?

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        peerAddress = source.channel.remoteAddress?.ipAddress
        origin = RequestOrigin(client: peerAddress.map { IPAddress($0)?.description ?? $0 })
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
