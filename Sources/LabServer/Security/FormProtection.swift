import HTTPTypes
import Hummingbird
import LabCore

/// CSRF protection for the HTML forms.
///
/// Participant forms use a double-submit token: `GET` sets the `labctl_csrf`
/// cookie (HttpOnly, SameSite=Strict) and writes the same value into the form;
/// the `POST` must carry both, equal. Dashboard forms carry the CSRF token of
/// the trainer's login instead. Both also refuse an `Origin` header naming
/// another host. The JSON API takes no cookies, so it needs none of this.
struct FormProtection: Sendable {
    static let cookieName = "labctl_csrf"
    /// The host (and port) of `--public-url`, which a browser's `Origin` may always name.
    let publicAuthority: String?

    init(publicURL: String?) {
        publicAuthority = publicURL.flatMap(Self.schemeAndAuthority)?.authority
    }

    /// The token to put in a form: the browser's existing one, or a new one with its cookie.
    func token(for request: Request, _ context: IntakeRequestContext) -> (token: String, cookie: Cookie?) {
        if let existing = request.cookies[Self.cookieName]?.value, SecretToken.isWellFormed(existing) {
            return (existing, nil)
        }
        let token = SecretToken.generate(byteCount: 24).value
        return (token, Cookie(name: Self.cookieName, value: token, path: "/", secure: context.isHTTPS, httpOnly: true, sameSite: .strict))
    }

    /// Throws 403 unless the form's token equals the cookie's (double submit).
    func verifyDoubleSubmit(_ request: Request, _ context: IntakeRequestContext, formToken: String?) throws {
        try verifyOrigin(request, context)
        guard let formToken, let cookie = request.cookies[Self.cookieName]?.value,
              SecretToken.constantTimeEquals(formToken, cookie) else { throw IntakeHTTPError.csrf }
    }

    /// Throws 403 unless the form's token equals the login's.
    func verify(_ request: Request, _ context: IntakeRequestContext, formToken: String?, expected: String?) throws {
        try verifyOrigin(request, context)
        guard let formToken, let expected, SecretToken.constantTimeEquals(formToken, expected) else { throw IntakeHTTPError.csrf }
    }

    /// A browser sends `Origin` on form posts; it must name this service as the browser
    /// sees it: the request's host, the host a trusted proxy forwards (nginx rewrites
    /// `Host` to its upstream's by default), or the `--public-url` host.
    func verifyOrigin(_ request: Request, _ context: IntakeRequestContext) throws {
        guard let origin = request.headers[.origin] else { return }
        guard let (scheme, originAuthority) = Self.schemeAndAuthority(origin) else { throw IntakeHTTPError.csrf }
        let accepted = [request.head.authority, context.origin.host, publicAuthority].compactMap { $0 }
        guard accepted.contains(where: { Self.sameAuthority($0, originAuthority, scheme: scheme) }) else { throw IntakeHTTPError.csrf }
    }

    /// `https://lab.example.org:8443/path` → (`https`, `lab.example.org:8443`); nil for `null` or no `scheme://`.
    static func schemeAndAuthority(_ url: String) -> (scheme: String, authority: String)? {
        guard let separator = url.range(of: "://") else { return nil }
        let scheme = url[..<separator.lowerBound].lowercased()
        let authority = url[separator.upperBound...].prefix { $0 != "/" && $0 != "?" && $0 != "#" }
        guard !scheme.isEmpty, !authority.isEmpty else { return nil }
        return (scheme, authority.lowercased())
    }

    /// Equal hosts, ignoring case and the scheme's default port (`lab.example.org:443` is `lab.example.org` over https).
    static func sameAuthority(_ a: String, _ b: String, scheme: String) -> Bool {
        let defaultPort = scheme == "https" ? ":443" : scheme == "http" ? ":80" : nil
        func normal(_ s: String) -> String {
            let s = s.lowercased()
            guard let defaultPort, s.hasSuffix(defaultPort) else { return s }
            return String(s.dropLast(defaultPort.count))
        }
        return normal(a) == normal(b)
    }
}
