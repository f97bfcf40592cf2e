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
    let secureCookies: Bool

    /// The token to put in a form: the browser's existing one, or a new one with its cookie.
    func token(for request: Request) -> (token: String, cookie: Cookie?) {
        if let existing = request.cookies[Self.cookieName]?.value, SecretToken.isWellFormed(existing) {
            return (existing, nil)
        }
        let token = SecretToken.generate(byteCount: 24).value
        return (token, cookie(token))
    }

    func cookie(_ value: String) -> Cookie {
        Cookie(name: Self.cookieName, value: value, path: "/", secure: secureCookies, httpOnly: true, sameSite: .strict)
    }

    /// Throws 403 unless the form's token equals the cookie's (double submit).
    func verifyDoubleSubmit(_ request: Request, formToken: String?) throws {
        try verifyOrigin(request)
        guard let formToken, let cookie = request.cookies[Self.cookieName]?.value,
              SecretToken.constantTimeEquals(formToken, cookie) else { throw IntakeHTTPError.csrf }
    }

    /// Throws 403 unless the form's token equals the login's.
    func verify(_ request: Request, formToken: String?, expected: String?) throws {
        try verifyOrigin(request)
        guard let formToken, let expected, SecretToken.constantTimeEquals(formToken, expected) else { throw IntakeHTTPError.csrf }
    }

    /// A browser sends `Origin` on form posts; it must name this host.
    func verifyOrigin(_ request: Request) throws {
        guard let origin = request.headers[.origin] else { return }
        guard origin != "null", let host = request.head.authority,
              let originHost = origin.split(separator: "/", omittingEmptySubsequences: true).dropFirst().first,
              originHost == host[...] else { throw IntakeHTTPError.csrf }
    }
}
