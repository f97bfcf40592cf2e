import Foundation
import GRDB
import LabCore
import LabServer
import LabStore
import LabTestSupport
import XCTest

/// `labctl serve` behind a proxy (issue 23, item 2): Debian's nginx in front with
/// docs/proxy.md's block, clients on distinct loopback addresses (127.1.x.y) that each
/// also send a forged `X-Forwarded-For`, nginx connecting to labctl from 127.0.0.3, the
/// only address labctl trusts. Keying on the peer (everyone is 127.0.0.3) or on the
/// left-most forwarded address (everyone claims 198.51.100.7) puts every client in one
/// budget, and one client's junk then answers 429 to all.
final class TrustedProxyTests: XCTestCase {
    static let proxyAddress = "127.0.0.3"
    static let forged = "198.51.100.7"
    static let adminToken = "a-long-enough-admin-token"

    func testThroughNginxEveryLimitCountsTheClientAndTheFormWorks() throws {
        let lab = try LabFolder(sessions: [])
        defer { lab.remove() }
        try lab.dir.writeSession("room", "max_participants = 400\n")
        let code = try lab.open("room")
        // A per-address connection cap of 4: nginx opens a connection per request in flight,
        // so 300 at once pass only if the proxy's connections count in the total alone.
        let server = try ServerProcess(lab: lab.url, arguments: ["--trusted-proxy", Self.proxyAddress, "--max-connections-per-address", "4"],
                                       environment: ["LABCTL_ADMIN_TOKEN": Self.adminToken, "LOG_LEVEL": "debug"])
        defer { server.terminate() }
        XCTAssertTrue(server.stdout.contains("proxies:   127.0.0.3/32 trusted"), server.stdout)
        let nginx = try NginxProxy(upstreamPort: server.port, bindAddress: Self.proxyAddress)
        defer { nginx.stop() }
        let publicHost = "127.0.0.1:\(nginx.port)"
        func viaNginx(_ request: String, from client: String) throws -> RawResponse {
            try RawResponse.exchange(request, from: client, port: nginx.port)
        }

        // One client's junk: 70 joins with unknown codes. Its own budget (60) runs out.
        let junk = try (0..<70).map { _ in
            try viaNginx(Self.join(code: SecretToken.generate(byteCount: 16).value, first: "junk", key: TestKeys.ed25519().line, host: publicHost),
                         from: "127.1.9.9").status
        }
        XCTAssertEqual(junk.prefix(60), ArraySlice(repeating: 404, count: 60), "\(junk) \(nginx.errorLog)")
        XCTAssertEqual(junk.last, 429)

        // 300 other clients at once: every request sent before any answer is read.
        let people = (0..<300).map { (address: "127.1.\($0 / 200).\($0 % 200 + 1)", first: "person\($0)", key: TestKeys.ed25519()) }
        let sockets = try people.map { person in
            let socket = try RawSocket(from: person.address, to: nginx.port)
            socket.send(Self.join(code: code, first: person.first, key: person.key.line, host: publicHost))
            return socket
        }
        var statuses: [Int: Int] = [:]
        for socket in sockets { statuses[RawResponse(socket.readResponse(timeout: 60)).status, default: 0] += 1 }
        sockets.forEach { $0.close() }
        XCTAssertEqual(statuses, [201: 300], nginx.errorLog)

        // Failed dashboard logins lock out the guesser, not the trainer behind the same proxy.
        let guesses = try (0..<11).map { _ in
            try viaNginx(Self.request("GET", "/api/v1/admin/sessions", host: publicHost, headers: ["Authorization: Bearer wrong-token-guess"]),
                         from: "127.1.9.10").status
        }
        XCTAssertEqual(guesses.prefix(10), ArraySlice(repeating: 401, count: 10))
        XCTAssertEqual(guesses.last, 429)
        let trainer = try viaNginx(Self.request("GET", "/api/v1/admin/sessions", host: publicHost, headers: ["Authorization: Bearer \(Self.adminToken)"]),
                                   from: "127.1.9.11")
        XCTAssertEqual(trainer.status, 200, trainer.text)

        // The HTML form through nginx: labctl sees nginx's Host (its own address), the browser's
        // Origin names nginx's; X-Forwarded-Host says which the browser used.
        let browser = "127.1.9.12"
        let page = try viaNginx(Self.request("GET", "/join/\(code)", host: publicHost), from: browser)
        XCTAssertEqual(page.status, 200, page.text)
        let cookie = try XCTUnwrap(page.headers("Set-Cookie").first { $0.hasPrefix("labctl_csrf=") }?.dropFirst("labctl_csrf=".count).prefix { $0 != ";" })
        XCTAssertEqual(csrfField(in: page.text), String(cookie))
        let key = TestKeys.ed25519()
        let form = "csrf=\(cookie)&first_name=Form&last_name=Browser&public_key=" + key.line.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!
        func post(origin: String) throws -> RawResponse {
            try viaNginx(Self.request("POST", "/join/\(code)", host: publicHost,
                                      headers: ["Origin: \(origin)", "Cookie: labctl_csrf=\(cookie)", "Content-Type: application/x-www-form-urlencoded"],
                                      body: form), from: browser)
        }
        XCTAssertEqual(try post(origin: "http://evil.example").status, 403, "another site's form is still refused")
        let posted = try post(origin: "http://\(publicHost)")
        XCTAssertEqual(posted.status, 303, posted.text)
        XCTAssertTrue(posted.headers("Location").first?.hasPrefix("/me/") ?? false, posted.text)

        // A direct peer's X-Forwarded-For is not believed: naming a new address with each
        // refused request does not escape its own budget.
        let direct = "127.0.0.5"
        let upstream = "127.0.0.1:\(server.port)"
        let escapes = try (0..<70).map { i in
            try RawResponse.exchange(Self.join(code: SecretToken.generate(byteCount: 16).value, first: "x", key: key.line, host: upstream,
                                               forwardedFor: "203.0.113.\(i + 1)"), from: direct, port: server.port).status
        }
        XCTAssertEqual(escapes.prefix(60), ArraySlice(repeating: 404, count: 60), "\(escapes)")
        XCTAssertEqual(escapes.last, 429, "\(escapes)")

        nginx.stop()
        XCTAssertEqual(server.terminate(), 0)
        // The access log names each client, never the proxy or a forged address.
        let log = server.stderr
        XCTAssertTrue(log.contains(" 127.1.0.1 POST /api/v1/join/"), log.suffix(2_000).description)
        XCTAssertTrue(log.contains(" 127.1.9.12 POST /join/"), log.suffix(2_000).description)
        XCTAssertTrue(log.contains(" 127.0.0.5 POST /api/v1/join/"), log.suffix(2_000).description)
        XCTAssertFalse(log.contains(" 127.0.0.3 POST"), "a request counted as the proxy's")
        XCTAssertFalse(log.contains(Self.forged))
        XCTAssertFalse(log.contains("203.0.113."))

        let registry = try Registry(path: lab.database)
        let names = Set(try registry.participants(in: "room").map(\.name))
        XCTAssertEqual(names, Set(people.map { "\($0.first).room" } + ["form.browser"]))
    }

    func testABadTrustedProxyRangeStopsServeSayingWhatToWriteAndTheVariableTakesAList() throws {
        let lab = try LabFolder()
        defer { lab.remove() }
        let env = ["LABCTL_ADMIN_TOKEN": Self.adminToken]
        var r = try lab.dir.labctl(["serve", "--port", "0", "--trusted-proxy", "127.0.0.1", "--trusted-proxy", "10.0.0.0/33"], env: env)
        XCTAssertEqual(r.status, 2, r.stdout + r.stderr)
        XCTAssertTrue(r.stderr.contains("--trusted-proxy: '10.0.0.0/33' is not an address or address range: write an IPv4 or IPv6 address or CIDR range, e.g. 127.0.0.1, 10.0.0.0/8, ::1 or fd00::/8"), r.stderr)
        XCTAssertFalse(r.stdout.contains("serving on"), r.stdout)
        r = try lab.dir.labctl(["serve", "--port", "0"], env: env.merging(["LABCTL_TRUSTED_PROXIES": "127.0.0.1, nginx.internal"]) { $1 })
        XCTAssertEqual(r.status, 2, r.stdout + r.stderr)
        XCTAssertTrue(r.stderr.contains("LABCTL_TRUSTED_PROXIES: 'nginx.internal' is not an address"), r.stderr)

        let server = try ServerProcess(lab: lab.url, environment: env.merging(["LABCTL_TRUSTED_PROXIES": " 127.0.0.3 ,::1"]) { $1 })
        XCTAssertTrue(server.stdout.contains("proxies:   127.0.0.3/32, ::1/128 trusted"), server.stdout)
        XCTAssertEqual(server.terminate(), 0)
    }

    // MARK: The proxy's connections and its word on HTTPS, in process

    func testHTTPSFromATrustedProxyMakesCookiesSecureAndSendsHSTSButNotFromAnyoneElse() async throws {
        var settings = IntakeSettings(port: 0)
        settings.trustedProxies = try TrustedProxies(parsing: [Self.proxyAddress])
        let server = try await InProcessIntake.start(settings)
        let code = try server.fixture.open("s1")
        func page(from source: String, _ headers: [String]) throws -> RawResponse {
            try RawResponse.exchange(Self.request("GET", "/join/\(code)", host: "lab.example.org", headers: headers), from: source, port: server.port)
        }
        for forwarded in [["X-Forwarded-Proto: https"], ["Forwarded: for=192.0.2.1;proto=https"]] {
            let proxied = try page(from: Self.proxyAddress, forwarded)
            XCTAssertEqual(proxied.status, 200)
            XCTAssertEqual(proxied.headers("Strict-Transport-Security"), ["max-age=31536000"], "\(forwarded)")
            XCTAssertTrue(proxied.headers("Set-Cookie").first?.contains("Secure") ?? false, proxied.text)
            let forged = try page(from: "127.0.0.4", forwarded)
            XCTAssertEqual(forged.status, 200)
            XCTAssertEqual(forged.headers("Strict-Transport-Security"), [], "a direct client's header is ignored")
            XCTAssertFalse(forged.headers("Set-Cookie").first?.contains("Secure") ?? true)
        }
        let plain = try page(from: Self.proxyAddress, ["X-Forwarded-Proto: http"])
        XCTAssertEqual(plain.headers("Strict-Transport-Security"), [])
        try await server.stop()
    }

    func testConnectionsFromATrustedProxyCountOnlyAgainstTheTotalCap() async throws {
        var settings = IntakeSettings(port: 0)
        settings.trustedProxies = try TrustedProxies(parsing: [Self.proxyAddress])
        settings.maxConnectionsPerAddress = 2
        settings.maxConnections = 7
        let server = try await InProcessIntake.start(settings)
        /// A kept-alive connection from `source` that has been answered once (nil: closed unanswered).
        func held(from source: String) throws -> RawSocket? {
            let socket = try RawSocket(from: source, to: server.port)
            socket.send("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
            return socket.readResponse(timeout: 10)?.hasPrefix("HTTP/1.1 200") == true ? socket : nil
        }
        let proxy = try (0..<5).map { _ in try held(from: Self.proxyAddress) }
        XCTAssertEqual(proxy.compactMap { $0 }.count, 5, "the proxy is not held to the per-address cap of 2")
        let direct = try (0..<3).map { _ in try held(from: "127.0.0.4") }
        XCTAssertEqual(direct.map { $0 != nil }, [true, true, false], "a direct peer is")
        XCTAssertNil(try held(from: Self.proxyAddress), "the proxy's connections count in the total of 7")
        (proxy + direct).forEach { $0?.close() }
        try await server.stop()
    }

    // MARK: Requests

    static func request(_ method: String, _ path: String, host: String, headers: [String] = [], body: String? = nil) -> String {
        var head = "\(method) \(path) HTTP/1.1\r\nHost: \(host)\r\nConnection: close\r\n"
        for header in headers { head += header + "\r\n" }
        if let body { head += "Content-Length: \(body.utf8.count)\r\n" }
        return head + "\r\n" + (body ?? "")
    }

    /// A JSON join that claims to come from `forwardedFor` (each client's forged left-most hop).
    static func join(code: String, first: String, key: String, host: String, forwardedFor: String = forged) -> String {
        let body = try! JSONSerialization.data(withJSONObject: ["first_name": first, "last_name": "room", "public_key": key])
        return request("POST", "/api/v1/join/\(code)", host: host,
                       headers: ["Content-Type: application/json", "X-Forwarded-For: \(forwardedFor)"], body: String(decoding: body, as: UTF8.self))
    }
}

/// An HTTP/1.1 response as `RawSocket.readResponse` returns it (nil: none came).
struct RawResponse {
    let raw: String?

    init(_ raw: String?) { self.raw = raw }

    /// One request on its own connection from `source` to 127.0.0.1:`port`.
    static func exchange(_ request: String, from source: String, port: Int) throws -> RawResponse {
        let socket = try RawSocket(from: source, to: port)
        defer { socket.close() }
        socket.send(request)
        return RawResponse(socket.readResponse(timeout: 30))
    }

    /// The status code; -1 when no response came.
    var status: Int { raw.flatMap { Int($0.dropFirst("HTTP/1.1 ".count).prefix(3)) } ?? -1 }

    var head: Substring { raw.map { $0[..<($0.range(of: "\r\n\r\n")?.lowerBound ?? $0.endIndex)] } ?? "" }
    var text: String { raw ?? "(no response)" }

    /// The values of every `name` header line.
    func headers(_ name: String) -> [String] {
        head.split(separator: "\r\n").compactMap { line in
            guard let colon = line.firstIndex(of: ":"), line[..<colon].lowercased() == name.lowercased() else { return nil }
            return line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
    }
}
