import Foundation
import Hummingbird

/// The peer of scripts/bench/intake.sh: a bare Hummingbird 2 application with
/// one route, `GET /join/{code}`, answering a fixed page of the size labctl's
/// join form has — no middleware, no database, no rendering. The benchmark
/// compares labctl's `GET /join/<code>` against it in the same run.
/// Usage: intake-bench-peer PORT
let port = CommandLine.arguments.count > 1 ? Int(CommandLine.arguments[1]) ?? 0 : 0
let page = ByteBuffer(string: String(repeating: "<p>labctl join form stand-in</p>\n", count: 70))
let router = Router()
router.get("/join/:code") { _, _ in
    Response(status: .ok, headers: [.contentType: "text/html; charset=utf-8"], body: .init(byteBuffer: page))
}
let app = Application(
    router: router,
    configuration: .init(address: .hostname("127.0.0.1", port: port)),
    onServerRunning: { channel in
        FileHandle.standardOutput.write(Data("peer listening on 127.0.0.1:\(channel.localAddress?.port ?? port)\n".utf8))
    }
)
try await app.runService()
