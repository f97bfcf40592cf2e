import Hummingbird

/// Limits what abuse looks like rather than traffic: a client address whose
/// requests keep being refused (unknown codes or tokens, refused keys, taken
/// names, malformed or forged forms) runs out of budget and gets 429 with
/// `Retry-After`; accepted requests cost nothing. A classroom of 300 behind one
/// NAT address joins at full speed; a code-guessing or garbage-posting client
/// is stopped after `limiter.capacity` refusals. (Bursts of concurrent refusals
/// can overshoot the budget by the number in flight; the next ones are stopped.)
struct AbuseLimitMiddleware: RouterMiddleware {
    typealias Context = IntakeRequestContext
    let limiter: RateLimiter

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let client = context.clientAddress ?? "unknown"
        if case .failure(let wait) = limiter.check(client) {
            throw IntakeHTTPError.rateLimited(retryAfter: wait.seconds)
        }
        do {
            let response = try await next(request, context)
            if Self.isRefusal(response.status) { _ = limiter.take(client) }
            return response
        } catch {
            let status = (error as? IntakeHTTPError)?.status ?? (error as? any HTTPResponseError)?.status ?? .internalServerError
            if Self.isRefusal(status) { _ = limiter.take(client) }
            throw error
        }
    }

    /// The client's fault: 4xx, except 429 (already a limit, e.g. the session's) —
    /// a full lab (503) or a server error is not the client's doing.
    static func isRefusal(_ status: HTTPResponse.Status) -> Bool {
        (400..<500).contains(status.code) && status != .tooManyRequests
    }
}
