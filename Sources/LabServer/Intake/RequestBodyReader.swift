import Hummingbird
import NIOCore

/// Reads a request body up to a limit: a declared `Content-Length` over it is
/// refused before anything is read, a longer stream as soon as it passes it.
enum RequestBodyReader {
    static func collect(_ request: Request, limit: Int = IntakeLimits.submissionBodyBytes) async throws -> ByteBuffer {
        if let declared = request.headers[.contentLength].flatMap(Int.init), declared > limit {
            throw IntakeHTTPError.tooLarge
        }
        do {
            return try await request.body.collect(upTo: limit)
        } catch is NIOTooManyBytesError {
            throw IntakeHTTPError.tooLarge
        }
    }
}
