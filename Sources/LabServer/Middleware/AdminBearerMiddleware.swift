import Hummingbird

/// Guards the admin JSON API: `Authorization: Bearer <admin token>`, compared
/// by digest in constant time. Cookies are not accepted here, so the API
/// needs no CSRF protection.
struct AdminBearerMiddleware: RouterMiddleware {
    typealias Context = IntakeRequestContext
    let service: IntakeService

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard let value = request.headers[.authorization], value.count > 7, value.prefix(7).lowercased() == "bearer ",
              service.isAdminToken(String(value.dropFirst(7)).trimmingCharacters(in: .whitespaces)) else {
            // Failed attempts spend the login budget: guessing is rate limited.
            if case .failure(let wait) = service.loginLimiter.take(context.clientAddress ?? "unknown") {
                throw IntakeHTTPError.rateLimited(retryAfter: wait.seconds)
            }
            throw IntakeHTTPError.unauthorized
        }
        return try await next(request, context)
    }
}
