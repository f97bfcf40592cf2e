import Hummingbird
import Logging

/// Turns every error into a safe answer: `IntakeHTTPError`s as they are,
/// Hummingbird's (404, 413…) into the same shapes, anything else into a plain
/// 500 whose details go to the log (the error's type, never request data) and
/// never to the client: no stack traces, no SQL.
struct ErrorMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as IntakeHTTPError {
            return Responses.error(error, for: request)
        } catch let error as any HTTPResponseError {
            return Responses.error(Self.translate(error.status), for: request)
        } catch {
            context.logger.error("internal error", metadata: ["error.type": "\(type(of: error))", "route": "\(context.endpointPath ?? "-")"])
            return Responses.error(.internalError, for: request)
        }
    }

    static func translate(_ status: HTTPResponse.Status) -> IntakeHTTPError {
        switch status {
        case .notFound: return .notFound
        case .contentTooLarge: return .tooLarge
        case .badRequest: return .malformed("the request could not be read; check its format.")
        case .methodNotAllowed: return .init(.methodNotAllowed, "method-not-allowed", "this address does not take that method.")
        case .unsupportedMediaType: return .malformed("unsupported content type.")
        default:
            return status.code >= 500 ? .internalError : .init(status, "refused", status.reasonPhrase)
        }
    }
}
