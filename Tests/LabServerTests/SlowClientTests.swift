import Foundation
import Hummingbird
import LabServer
import LabTestSupport
import Logging
import ServiceLifecycle
import XCTest

/// Slow and idle clients (issue 23, item 3): a thousand sockets that send a request head
/// and one body byte neither starve other clients nor keep the server (or SIGTERM) waiting;
/// a head trickled a line at a time is cut off; connection caps per address and in total.
/// Real servers on loopback, real sockets from 127.0.0.2–4.
final class SlowClientTests: XCTestCase {
    static let slowCount = 1_000

    override func setUp() {
        super.setUp()
        // 1,000 client sockets and the in-process server's 1,000 in one process.
        XCTAssertGreaterThan(OpenFileLimit.raiseToHardLimit(), 2 * Self.slowCount + 200, "the test needs the open-file limit raised")
    }

    /// `count` sockets from `source`, each sending a join's head with `Content-Length: 100` and one
    /// byte of it. Each sends `GET /healthz` in front, in the same write, and the helper waits for
    /// its answer: then the server has read the join's head too (it came in the same read).
    func slowJoins(_ count: Int, from source: String, port: Int, code: String) throws -> [RawSocket] {
        let sockets = try (0..<count).map { _ in
            let socket = try RawSocket(from: source, to: port)
            socket.send("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
                + "POST /api/v1/join/\(code) HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{")
            return socket
        }
        for socket in sockets {
            let answer = socket.readResponse(timeout: 30)
            XCTAssertTrue(answer?.hasPrefix("HTTP/1.1 200") ?? false, "the slow socket's first request: \(answer ?? "no answer")")
        }
        return sockets
    }

    /// `GET path` from 127.0.0.1 on a fresh connection: the response, and how long it took.
    func get(_ path: String, port: Int, from source: String = "127.0.0.1") throws -> (response: String?, seconds: TimeInterval) {
        let started = Date()
        let socket = try RawSocket(from: source, to: port)
        defer { socket.close() }
        socket.send("GET \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
        let response = socket.readResponse(timeout: 30)
        return (response, Date().timeIntervalSince(started))
    }

    func testAThousandSlowBodiesDoNotStarveAnotherClientAndAreClosedByTheBodyTimeout() async throws {
        var settings = IntakeSettings(port: 0)
        // Only the body deadline can end these sockets: heads and keep-alive get a minute, no address cap.
        settings.headerTimeout = 60
        settings.bodyTimeout = 2
        settings.keepAliveTimeout = 60
        settings.maxConnectionsPerAddress = 10_000
        let server = try await InProcessIntake.start(settings)
        let code = try server.fixture.open("s1")

        let slow = try slowJoins(Self.slowCount, from: "127.0.0.2", port: server.port, code: code)
        defer { slow.forEach { $0.close() } }
        let page = try get("/join/\(code)", port: server.port)
        print("GET /join with \(Self.slowCount) slow sockets open: \(String(format: "%.3f", page.seconds)) s")
        XCTAssertTrue(page.response?.hasPrefix("HTTP/1.1 200") ?? false, page.response ?? "no answer within 30 s")
        XCTAssertTrue(page.response?.contains("<form") ?? false)

        let started = Date()
        let stillOpen = RawSocket.waitUntilClosed(slow, timeout: settings.bodyTimeout + 30)
        print("\(Self.slowCount) slow sockets closed by the server \(String(format: "%.1f", Date().timeIntervalSince(started))) s after the page was answered")
        XCTAssertEqual(stillOpen.count, 0, "every slow body is closed by the 2 s body timeout")
        XCTAssertEqual(try server.fixture.registry.participants(in: "s1").count, 0, "no half-sent join was stored")
        try await server.stop()
    }

    func testAHeadTrickledALineAtATimeIsClosedByTheHeaderTimeout() async throws {
        var settings = IntakeSettings(port: 0)
        settings.headerTimeout = 1
        settings.bodyTimeout = 60
        settings.keepAliveTimeout = 60
        let server = try await InProcessIntake.start(settings)
        let socket = try RawSocket(from: "127.0.0.2", to: server.port)
        defer { socket.close() }
        socket.send("GET /healthz HTTP/1.1\r\n")
        // A line every 0.2 s keeps any idle timer fresh; only a deadline for the whole head ends it.
        var closed = false
        let deadline = Date().addingTimeInterval(20)
        var lines = 0
        while !closed, Date() < deadline {
            closed = !socket.send("X-Trickle-\(lines): x\r\n") || RawSocket.waitUntilClosed([socket], timeout: 0.2).isEmpty
            lines += 1
        }
        XCTAssertTrue(closed, "a head still arriving after 20 s (\(lines) lines) must have been closed after 1 s")
        try await server.stop()
    }

    func testAnIdleKeptAliveConnectionIsClosedAfterTheKeepAliveTimeout() async throws {
        var settings = IntakeSettings(port: 0)
        settings.headerTimeout = 60
        settings.bodyTimeout = 60
        settings.keepAliveTimeout = 1
        let server = try await InProcessIntake.start(settings)
        let socket = try RawSocket(from: "127.0.0.2", to: server.port)
        defer { socket.close() }
        socket.send("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        let first = socket.readResponse(timeout: 30)
        XCTAssertTrue(first?.hasPrefix("HTTP/1.1 200") ?? false, first ?? "no answer")
        // The same connection serves a second request: it is kept alive, not closed after one.
        socket.send("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        let second = socket.readResponse(timeout: 30)
        XCTAssertTrue(second?.hasPrefix("HTTP/1.1 200") ?? false, second ?? "no second answer on the kept-alive connection")
        XCTAssertEqual(RawSocket.waitUntilClosed([socket], timeout: 30).count, 0, "idle for 1 s after its answer: closed")
        try await server.stop()
    }

    func testConnectionsOverTheCapsPerAddressAndInTotalAreClosedAtOnce() async throws {
        var settings = IntakeSettings(port: 0)
        // Long deadlines: whatever closes a socket here is a cap.
        settings.headerTimeout = 60
        settings.keepAliveTimeout = 60
        settings.maxConnectionsPerAddress = 8
        settings.maxConnections = 12
        let server = try await InProcessIntake.start(settings)

        let first = try (0..<12).map { _ in try RawSocket(from: "127.0.0.3", to: server.port) }
        defer { first.forEach { $0.close() } }
        let firstOpen = Self.waitForClosures(first, count: 4)
        XCTAssertEqual(firstOpen.count, 8, "8 connections from 127.0.0.3 are kept, 4 more are closed")

        let second = try (0..<6).map { _ in try RawSocket(from: "127.0.0.4", to: server.port) }
        defer { second.forEach { $0.close() } }
        let secondOpen = Self.waitForClosures(second, count: 2)
        XCTAssertEqual(secondOpen.count, 4, "another address gets the 4 left of the 12 in total")

        // The kept ones are served.
        for socket in firstOpen + secondOpen {
            socket.send("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
            let answer = socket.readResponse(timeout: 30)
            XCTAssertTrue(answer?.hasPrefix("HTTP/1.1 200") ?? false, "\(socket.source): \(answer ?? "no answer")")
        }
        // Closed connections are counted out: a new one from the first address is served.
        XCTAssertEqual(RawSocket.waitUntilClosed(firstOpen + secondOpen, timeout: 30).count, 0)
        // (The server only half-closes after `Connection: close`; the client's close ends it.)
        (firstOpen + secondOpen).forEach { $0.close() }
        // (NIO counts a connection out a moment after the client sees it closed: a few tries.)
        var again: String?
        for _ in 0..<20 where again == nil {
            again = try get("/healthz", port: server.port, from: "127.0.0.3").response
            if again == nil { try await Task.sleep(for: .milliseconds(100)) }
        }
        XCTAssertTrue(again?.hasPrefix("HTTP/1.1 200") ?? false, again ?? "no answer")
        try await server.stop()
    }

    /// Waits until `count` of `sockets` are closed (30 s at most) and returns the others.
    static func waitForClosures(_ sockets: [RawSocket], count: Int) -> [RawSocket] {
        var open = sockets
        let deadline = Date().addingTimeInterval(30)
        while sockets.count - open.count < count, Date() < deadline {
            open = RawSocket.waitUntilClosed(open, timeout: 0.2)
        }
        // A moment more would show a wrong extra closure; the kept ones are checked by being served.
        return open
    }

    func testSIGTERMEndsServeWithAThousandSlowSocketsOpenWithinTheBodyTimeout() async throws {
        let lab = try LabFolder()
        defer { lab.remove() }
        let code = try lab.open("s1")
        let server = try ServerProcess(lab: lab.url, environment: [
            "LABCTL_ADMIN_TOKEN": "a-long-enough-admin-token", "LABCTL_BODY_TIMEOUT": "10",
            "LABCTL_MAX_CONNECTIONS_PER_ADDRESS": "10000",
        ])
        XCTAssertTrue(server.stdout.contains("connections: at most 4096, 10000 per address (open-file limit "), server.stdout)
        XCTAssertTrue(server.stdout.contains("timeouts: head 10s, body 10s, keep-alive 1m"), server.stdout)

        let slow = try slowJoins(Self.slowCount, from: "127.0.0.2", port: server.port, code: code)
        defer { slow.forEach { $0.close() } }
        let page = try get("/join/\(code)", port: server.port)
        print("labctl serve: GET /join with \(Self.slowCount) slow sockets open: \(String(format: "%.3f", page.seconds)) s")
        XCTAssertTrue(page.response?.hasPrefix("HTTP/1.1 200") ?? false, page.response ?? "no answer within 30 s")

        // They are held open (a shutdown that waits for their requests would wait for ever).
        XCTAssertEqual(RawSocket.waitUntilClosed(slow, timeout: 0.3).count, Self.slowCount)

        let started = Date()
        server.process.signalGroup(SIGTERM)
        // Body timeout (10 s) plus a few seconds.
        let end = server.process.waitUntilExit(timeout: 15)
        let took = Date().timeIntervalSince(started)
        guard let end else {
            server.kill9()
            return XCTFail("serve did not stop within 15 s of SIGTERM with \(Self.slowCount) slow sockets open: \(server.stderr)")
        }
        print("labctl serve stopped \(String(format: "%.1f", took)) s after SIGTERM")
        XCTAssertEqual(end.status, 0, server.stderr)
        XCTAssertTrue(server.stdout.hasSuffix("labctl intake stopped\n"), server.stdout)
        XCTAssertEqual(RawSocket.waitUntilClosed(slow, timeout: 5).count, 0, "the stopped server closed every socket")
    }
}

/// The intake application running in this process on 127.0.0.1 (port 0: a free one),
/// with `IntakeFixture`'s registry; `stop()` shuts it down gracefully and waits.
struct InProcessIntake {
    let fixture: IntakeFixture
    let port: Int
    let group: ServiceGroup
    let task: Task<Void, any Error>

    static func start(_ settings: IntakeSettings) async throws -> InProcessIntake {
        let fixture = try IntakeFixture(settings: settings)
        let (ports, continuation) = AsyncStream.makeStream(of: Int.self)
        var logger = Logger(label: "slow-client-test")
        logger.logLevel = .warning
        let app = IntakeServer.application(fixture.dependencies, logger: logger) { port, _ in continuation.yield(port) }
        let group = ServiceGroup(configuration: .init(services: [app], logger: logger))
        let task = Task { try await group.run() }
        var iterator = ports.makeAsyncIterator()
        guard let port = await iterator.next() else { throw TestSocketError("the intake server did not start") }
        return InProcessIntake(fixture: fixture, port: port, group: group, task: task)
    }

    func stop() async throws {
        await group.triggerGracefulShutdown()
        try await task.value
    }
}
