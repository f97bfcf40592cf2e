import Hummingbird
import Logging

/// Logs one line per request at debug level: the client's address (behind a trusted
/// proxy the client it names, not the proxy), method, the route *pattern*
/// (`/join/{code}`, never the code or token itself), status and duration.
/// Nothing from the body or the query is logged.
struct AccessLogMiddleware: RouterMiddleware {
    typealias Context = IntakeRequestContext

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard context.logger.logLevel <= .debug else { return try await next(request, context) }
        let start = ContinuousClock.now
        let response = try await next(request, context)
        let elapsed = ContinuousClock.now - start
        context.logger.debug("\(context.clientAddress ?? "-") \(request.method) \(context.endpointPath ?? "-") \(response.status.code) \(elapsed)")
        return response
    }
}
