import Foundation
import NIOCore

/// Builds `multipart/form-data` bodies as a browser sends them.
struct Multipart {
    let boundary = "----labctlTest" + UUID().uuidString.replacingOccurrences(of: "-", with: "")
    private var text = ""

    var contentType: String { "multipart/form-data; boundary=\(boundary)" }

    mutating func field(_ name: String, _ value: String) {
        text += "--\(boundary)\r\nContent-Disposition: form-data; name=\"\(name)\"\r\n\r\n\(value)\r\n"
    }

    mutating func file(_ name: String, filename: String, _ content: String) {
        text += "--\(boundary)\r\nContent-Disposition: form-data; name=\"\(name)\"; filename=\"\(filename)\"\r\nContent-Type: application/octet-stream\r\n\r\n\(content)\r\n"
    }

    var body: ByteBuffer { ByteBuffer(string: text + "--\(boundary)--\r\n") }
}
