import Hummingbird

/// Adds the security headers to every response: a Content-Security-Policy that
/// allows nothing but same-origin styles and forms (no scripts, no frames),
/// `nosniff`, a referrer only to this site (personal links never leak to
/// another one; `no-referrer` would make browsers send `Origin: null` on our own
/// form posts), no caching of pages that may hold personal data, and HSTS when
/// the client came over HTTPS (`IntakeRequestContext.isHTTPS`).
struct SecurityHeadersMiddleware: RouterMiddleware {
    typealias Context = IntakeRequestContext

    static var contentSecurityPolicy: String {
        "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
    }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var response = try await next(request, context)
        response.headers[.contentSecurityPolicy] = Self.contentSecurityPolicy
        response.headers[.xContentTypeOptions] = "nosniff"
        response.headers[.xFrameOptions] = "DENY"
        response.headers[.referrerPolicy] = "same-origin"
        response.headers[.crossOriginOpenerPolicy] = "same-origin"
        if response.headers[.cacheControl] == nil { response.headers[.cacheControl] = "no-store" }
        if context.isHTTPS { response.headers[.strictTransportSecurity] = "max-age=31536000" }
        return response
    }
}
