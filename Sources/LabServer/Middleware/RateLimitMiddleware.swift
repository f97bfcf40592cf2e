import Hummingbird

/// Applies a `RateLimiter` to the POST/PUT requests of the routes it wraps
/// (submissions, key replacements, logins); reads are not limited. Answers 429
/// with `Retry-After` when a client is over its budget.
struct RateLimitMiddleware: RouterMiddleware {
    typealias Context = IntakeRequestContext
    let limiter: RateLimiter

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard request.method == .post || request.method == .put else { return try await next(request, context) }
        if case .failure(let wait) = limiter.take(context.clientAddress ?? "unknown") {
            throw IntakeHTTPError.rateLimited(retryAfter: wait.seconds)
        }
        return try await next(request, context)
    }
}
