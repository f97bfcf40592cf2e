import Foundation
import LabCore
import LabTestSupport
import XCTest

/// `labctl serve` runs the HTTP server, the reaper (`--reap-every`) and the late
/// joiners' worker in one ServiceGroup: SIGTERM or SIGINT stops all of them promptly,
/// even while the reaper waits out a long interval.
final class ServeShutdownTests: XCTestCase {
    func stopsPromptly(_ signal: Int32, name: String) async throws {
        let lab = try LabFolder()
        defer { lab.remove() }
        let server = try ServerProcess(lab: lab.url, arguments: ["--reap-every", "2h"],
                                       environment: ["LABCTL_ADMIN_TOKEN": "a-long-enough-admin-token"])
        XCTAssertTrue(server.stdout.contains("reaping sessions past their end + grace every 2h"), server.stdout)
        // The server answers while the reaper sleeps.
        let client = LiveClient(port: server.port)
        let health = try await client.get("/healthz").text
        XCTAssertEqual(health, "ok\n")
        await client.close()

        let started = Date()
        server.process.signalGroup(signal)
        let end = server.process.waitUntilExit(timeout: 15)
        let took = Date().timeIntervalSince(started)
        guard let end else {
            server.kill9()
            return XCTFail("\(name): serve with --reap-every 2h did not stop within 15 s: \(server.stdout) \(server.stderr)")
        }
        XCTAssertEqual(end.status, 0, "\(name) is a clean stop: \(server.stderr)")
        XCTAssertLessThan(took, 10, "\(name): the reaper's 45-minute pause must end with the shutdown")
        XCTAssertTrue(server.stdout.hasSuffix("labctl intake stopped\n"), server.stdout)
        XCTAssertFalse(server.stderr.contains("reap: failed"), server.stderr)
    }

    /// `labctl open` in a lab whose service runs on another port (as `demo --keep`'s does)
    /// prints a link to that service; once it has stopped, the default address again.
    func testOpenLinksNameTheRunningServiceAndItsRecordGoesWithIt() throws {
        let lab = try LabFolder()
        defer { lab.remove() }
        let unset = ["LABCTL_PUBLIC_URL": "", "LABCTL_HOST": "", "LABCTL_PORT": ""]
        let server = try ServerProcess(lab: lab.url, arguments: [], environment: ["LABCTL_ADMIN_TOKEN": "a-long-enough-admin-token"])
        var r = try lab.dir.labctl(["open", "s1"], env: unset)
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stdout.contains("http://127.0.0.1:\(server.port)/join/"), "\(server.port): \(r.stdout)")
        // An explicit address still wins.
        r = try lab.dir.labctl(["open", "s1", "--public-url", "https://lab.example.org"], env: unset)
        XCTAssertTrue(r.stdout.contains("https://lab.example.org/join/"), r.stdout)
        server.process.signalGroup(SIGTERM)
        XCTAssertEqual(server.process.waitUntilExit(timeout: 15)?.status, 0, server.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: lab.dir.file(".labctl/serve.json").path), "the record outlived the service")
        r = try lab.dir.labctl(["open", "s1"], env: unset)
        XCTAssertTrue(r.stdout.contains("http://127.0.0.1:8080/join/"), r.stdout)
    }

    func testSIGTERMStopsTheServerAndAWaitingReaperAndExitsZero() async throws {
        try await stopsPromptly(SIGTERM, name: "SIGTERM")
    }

    func testSIGINTDoesTheSame() async throws {
        try await stopsPromptly(SIGINT, name: "SIGINT")
    }
}
