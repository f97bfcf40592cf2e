import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// Builds the service's responses: HTML pages, JSON documents, redirects and errors.
enum Responses {
    static func html(_ page: HTML, status: HTTPResponse.Status = .ok, headers extra: HTTPFields = [:]) -> Response {
        var headers = extra
        headers[.contentType] = "text/html; charset=utf-8"
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: page.text)))
    }

    static func json<T: Encodable>(_ value: T, status: HTTPResponse.Status = .ok, headers extra: HTTPFields = [:]) -> Response {
        var headers = extra
        headers[.contentType] = "application/json; charset=utf-8"
        let data = (try? encoder.encode(value)) ?? Data("{}".utf8)
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }

    static func text(_ text: String, status: HTTPResponse.Status = .ok, contentType: String = "text/plain; charset=utf-8",
                     headers extra: HTTPFields = [:]) -> Response {
        var headers = extra
        headers[.contentType] = contentType
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: text)))
    }

    /// 303 See Other: after a form post, the browser GETs `location`.
    static func redirect(to location: String, headers extra: HTTPFields = [:]) -> Response {
        var headers = extra
        headers[.location] = location
        return Response(status: .seeOther, headers: headers)
    }

    /// The error as JSON for API paths, as a page otherwise.
    static func error(_ error: IntakeHTTPError, for request: Request) -> Response {
        var headers: HTTPFields = [:]
        if let seconds = error.retryAfterSeconds { headers[.retryAfter] = String(seconds) }
        if error.status == .unauthorized, isAPI(request) { headers[.wwwAuthenticate] = "Bearer realm=\"labctl\"" }
        if isAPI(request) {
            return json(ErrorBody(error: error.code, message: error.message, reason: error.reason), status: error.status, headers: headers)
        }
        let title: String
        switch error.status {
        case .notFound: title = "Link not valid"
        case .tooManyRequests: title = "Slow down"
        case .forbidden: title = "Form expired"
        case .internalServerError, .serviceUnavailable: title = "Something went wrong"
        default: title = "Not accepted"
        }
        return html(MessagePage(title: title, message: error.message).render(), status: error.status, headers: headers)
    }

    static func isAPI(_ request: Request) -> Bool { request.uri.path.hasPrefix("/api/") }

    struct ErrorBody: Encodable {
        var error: String
        var message: String
        var reason: String?
    }

    static let encoder: JSONEncoder = {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        e.dateEncodingStrategy = .iso8601
        return e
    }()
}
