import Foundation
import Hummingbird
import HummingbirdTLS

/// The peer of scripts/bench/intake.sh: a bare Hummingbird 2 application with
/// two routes, `GET /join/{code}`, answering a fixed page of the size labctl's
/// join form has, and `POST /api/v1/join/{code}`, reading the body and answering
/// 201 with a fixed JSON of the size of labctl's answer — no middleware, no
/// parsing, no database, no rendering. The benchmark compares labctl's routes
/// against these in the same run. With CERT and KEY (PEM) it serves HTTPS through
/// HummingbirdTLS, as `labctl serve --tls-cert --tls-key` does.
/// Usage: intake-bench-peer PORT [CERT KEY]
let arguments = CommandLine.arguments
let port = arguments.count > 1 ? Int(arguments[1]) ?? 0 : 0
let page = ByteBuffer(string: String(repeating: "<p>labctl join form stand-in</p>\n", count: 70))
let router = Router()
router.get("/join/:code") { _, _ in
    Response(status: .ok, headers: [.contentType: "text/html; charset=utf-8"], body: .init(byteBuffer: page))
}
let created = ByteBuffer(string: #"{"name":"firstname.lastname","session":"bench-post","discrete_id":"firstname.la","#
    + #""fingerprint":"SHA256:0000000000000000000000000000000000000000000","edit_token":"0000000000000000000000000000000000000000000","#
    + #""edit_url":"http://127.0.0.1:8080/me/0000000000000000000000000000000000000000000"}"#)
router.post("/api/v1/join/:code") { request, _ in
    _ = try await request.body.collect(upTo: 16 * 1024)
    return Response(status: .created, headers: [.contentType: "application/json"], body: .init(byteBuffer: created))
}
var tls: TLSConfiguration?
if arguments.count > 3 {
    let chain = try NIOSSLCertificate.fromPEMFile(arguments[2])
    let key = try NIOSSLPrivateKey(file: arguments[3], format: .pem)
    tls = .makeServerConfiguration(certificateChain: chain.map { .certificate($0) }, privateKey: .privateKey(key))
}
let scheme = tls == nil ? "http" : "https"
let app = Application(
    router: router,
    server: try tls.map { try .tls(.http1(), tlsConfiguration: $0) } ?? .http1(),
    configuration: .init(address: .hostname("127.0.0.1", port: port)),
    onServerRunning: { channel in
        FileHandle.standardOutput.write(Data("peer listening on \(scheme)://127.0.0.1:\(channel.localAddress?.port ?? port)\n".utf8))
    }
)
try await app.runService()
