import Foundation
import Hummingbird

/// Reads a JSON request body (≤ 16 KiB) into a type; anything else is 400
/// with the expected shape in the message.
enum JSONBody {
    static func decode<T: Decodable>(_ request: Request, shape: String) async throws -> T {
        let mediaType = (request.headers[.contentType] ?? "").split(separator: ";").first?.trimmingCharacters(in: .whitespaces).lowercased()
        guard mediaType == "application/json" else {
            throw IntakeHTTPError.malformed("send Content-Type: application/json with \(shape).")
        }
        let body = try await RequestBodyReader.collect(request)
        do {
            return try decoder.decode(T.self, from: Data(body.readableBytesView))
        } catch {
            throw IntakeHTTPError.malformed("the body is not the expected JSON: \(shape).")
        }
    }

    static let decoder = JSONDecoder()
}
