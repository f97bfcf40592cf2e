import Foundation
import Hummingbird
import MultipartKit
import NIOCore

/// The fields of a submitted HTML form, from `multipart/form-data` (the key
/// file upload, parsed by MultipartKit) or `application/x-www-form-urlencoded`.
/// Text only: a field whose bytes are not UTF-8 is recorded as binary.
struct FormFields: Sendable {
    private(set) var values: [String: String] = [:]
    private(set) var binary: Set<String> = []

    subscript(_ name: String) -> String? { values[name] }

    /// The key from the textarea, or else from the uploaded file; `.binary` when the upload is not text.
    var publicKeyText: KeyInput {
        if let pasted = values["public_key"], !pasted.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty { return .text(pasted) }
        if binary.contains("key_file") { return .binary }
        return .text(values["key_file"] ?? "")
    }

    enum KeyInput { case text(String), binary }

    static func read(_ request: Request) async throws -> FormFields {
        let body = try await RequestBodyReader.collect(request)
        let contentType = request.headers[.contentType] ?? ""
        let mediaType = contentType.split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespaces).lowercased() } ?? ""
        switch mediaType {
        case "multipart/form-data":
            guard let boundary = parameter("boundary", in: contentType) else {
                throw IntakeHTTPError.malformed("the form has no multipart boundary; submit it from the page.")
            }
            return try multipart(body, boundary: boundary)
        case "application/x-www-form-urlencoded":
            return urlEncoded(String(buffer: body))
        default:
            throw IntakeHTTPError.malformed("send the form as multipart/form-data or application/x-www-form-urlencoded.")
        }
    }

    static func urlEncoded(_ text: String) -> FormFields {
        var fields = FormFields()
        for pair in text.split(separator: "&") {
            let kv = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            func decode(_ s: Substring) -> String { String(s).replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? "" }
            let key = decode(kv[0])
            if fields.values[key] == nil { fields.values[key] = kv.count > 1 ? decode(kv[1]) : "" }
        }
        return fields
    }

    static func multipart(_ body: ByteBuffer, boundary: String) throws -> FormFields {
        var fields = FormFields()
        var headers = HTTPHeaders()
        var partBody = ByteBuffer()
        let parser = MultipartParser(boundary: boundary)
        parser.onHeader = { name, value in headers.add(name: name, value: value) }
        parser.onBody = { chunk in partBody.writeBuffer(&chunk) }
        parser.onPartComplete = {
            let part = MultipartPart(headers: headers, body: partBody)
            if let name = part.name, fields.values[name] == nil, !fields.binary.contains(name) {
                if let text = partBody.getString(at: partBody.readerIndex, length: partBody.readableBytes), text.utf8.elementsEqual(partBody.readableBytesView) {
                    fields.values[name] = text
                } else {
                    fields.binary.insert(name)
                }
            }
            headers = HTTPHeaders()
            partBody = ByteBuffer()
        }
        do { try parser.execute(body) } catch {
            throw IntakeHTTPError.malformed("the form could not be read (broken multipart body); submit it again from the page.")
        }
        return fields
    }

    static func parameter(_ name: String, in contentType: String) -> String? {
        for piece in contentType.split(separator: ";").dropFirst() {
            let kv = piece.split(separator: "=", maxSplits: 1)
            guard kv.count == 2, kv[0].trimmingCharacters(in: .whitespaces).lowercased() == name else { continue }
            var value = kv[1].trimmingCharacters(in: .whitespaces)
            if value.hasPrefix("\""), value.hasSuffix("\""), value.count >= 2 { value = String(value.dropFirst().dropLast()) }
            return value.isEmpty ? nil : value
        }
        return nil
    }
}
