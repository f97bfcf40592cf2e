import Hummingbird

/// The router's first middleware: puts who sent the request (`RequestOrigin`) and
/// whether the client uses HTTPS into the context, before any limit, log line or form
/// check reads them.
struct ForwardedMiddleware: RouterMiddleware {
    typealias Context = IntakeRequestContext
    let trusted: TrustedProxies
    /// The service itself is public over TLS (own certificate or an https public URL).
    let tls: Bool

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var context = context
        context.origin = RequestOrigin.resolve(peer: context.peerAddress, headers: request.headers, trusted: trusted)
        context.isHTTPS = tls || context.origin.scheme == "https"
        return try await next(request, context)
    }
}
