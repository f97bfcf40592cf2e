import Foundation
import Hummingbird
import LabCore

/// Guards the dashboard pages: the `labctl_admin` cookie must name an unexpired
/// login made with the current admin token (see `AdminLoginKey`). Pages then get
/// the login's CSRF token in the context. Without one, a page redirects to the
/// login form and a form post is refused.
struct AdminSessionMiddleware: RouterMiddleware {
    typealias Context = IntakeRequestContext
    static let cookieName = "labctl_admin"
    let service: IntakeService

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        if let value = request.cookies[Self.cookieName]?.value, SecretToken.isWellFormed(value),
           let login = try await service.registry.adminLogin(digest: AdminLoginKey.digest(cookie: value, adminTokenDigest: service.adminTokenDigest)) {
            var context = context
            context.adminCSRF = login.csrfToken
            return try await next(request, context)
        }
        if request.method == .get || request.method == .head { return Responses.redirect(to: "/admin/login") }
        throw IntakeHTTPError(.forbidden, "forbidden", "your dashboard login expired; log in again at /admin/login.")
    }
}
