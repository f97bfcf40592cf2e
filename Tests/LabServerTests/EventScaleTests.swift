import Foundation
import GRDB
import HummingbirdTesting
import LabCore
import LabServer
import LabStore
import LabTestSupport
import NIOCore
import Synchronization
import XCTest

/// Big events (issue #12): a full room behind one address, a thousand pod
/// networks across twenty sessions, and a full pool said plainly everywhere.
final class EventScaleTests: XCTestCase {
    func testThreeHundredConcurrentDistinctSubmissionsFromOneAddressAllGet201AndAreStored() async throws {
        // The built `labctl serve` with its default limits: 60 refusals a minute per address.
        let lab = try LabFolder(sessions: [])
        defer { lab.remove() }
        try lab.dir.writeSession("room", "max_participants = 300\n") // the room, above the default cap of 50
        let code = try lab.open("room")
        let server = try ServerProcess(lab: lab.url, environment: ["LABCTL_ADMIN_TOKEN": "a-long-enough-admin-token"])
        let people = (0..<300).map { (first: "person\($0)", key: TestKeys.ed25519()) }
        let port = server.port
        let statuses = await withTaskGroup(of: Int.self) { group in
            for person in people {
                group.addTask {
                    // One connection each, all from 127.0.0.1, all at once.
                    let c = LiveClient(port: port)
                    let status = (try? await c.join(code: code, first: person.first, last: "room", key: person.key.line).status) ?? -1
                    await c.close()
                    return status
                }
            }
            var all: [Int: Int] = [:]
            for await s in group { all[s, default: 0] += 1 }
            return all
        }
        XCTAssertEqual(statuses, [201: 300])

        // Abuse from the same address is still stopped: bad codes spend its budget.
        var answers: [Int] = []
        let c = LiveClient(port: port)
        for _ in 0..<70 {
            answers.append(try await c.join(code: SecretToken.generate(byteCount: 16).value, first: "x", last: "y",
                                            key: people[0].key.line).status)
        }
        await c.close()
        XCTAssertEqual(answers.prefix(60).filter { $0 == 404 }.count, 60, "the first 60 refusals are answered: \(answers)")
        XCTAssertEqual(answers.last, 429)
        XCTAssertEqual(server.terminate(), 0)

        let registry = try Registry(path: lab.database)
        let stored = try syncRead(registry) { db in
            try Row.fetchAll(db, sql: """
                SELECT p.name, k.fingerprint FROM participant p JOIN participantKey k ON k.participantID = p.id AND k.active
                WHERE p.session = 'room'
                """).map { ($0["name"] as String, $0["fingerprint"] as String) }
        }
        XCTAssertEqual(stored.count, 300)
        XCTAssertEqual(Dictionary(uniqueKeysWithValues: stored),
                       Dictionary(uniqueKeysWithValues: people.map { ("\($0.first).room", $0.key.fingerprint) }))
    }

    func testAThousandParticipantsInTwentySessionsGetDisjointPodNetworksOutsideTheVPCAndServices() throws {
        let dir = try TemporaryDirectory("pods")
        defer { dir.remove() }
        let registry = try Registry(path: dir.file("lab.sqlite").path)
        let keys = (0..<1_000).map { _ in TestKeys.ed25519() }
        let errors = Mutex<[String]>([])
        DispatchQueue.concurrentPerform(iterations: 20) { s in
            for i in 0..<50 {
                do {
                    let key = try PublicKeyParser.parse(keys[s * 50 + i].line)
                    _ = try registry.register(session: "event-\(s)", name: try ParticipantName(canonical: "p\(i).s\(s)"), key: key, via: .api)
                } catch { errors.withLock { $0.append("\(error)") } }
            }
        }
        XCTAssertEqual(errors.withLock { $0 }, [])
        let networks = try (0..<20).flatMap { try registry.participants(in: "event-\($0)").map(\.podCIDR) }
        XCTAssertEqual(networks.count, 1_000)
        // Checked here with plain integer arithmetic, not LabCore's CIDR type.
        func range(_ text: String) -> (first: UInt64, end: UInt64, prefix: Int) {
            let parts = text.split(separator: "/")
            let address = parts[0].split(separator: ".").reduce(UInt64(0)) { $0 << 8 | UInt64($1)! }
            let prefix = Int(parts[1])!
            return (address, address + (UInt64(1) << UInt64(32 - prefix)), prefix)
        }
        let ranges = networks.map(range).sorted { $0.first < $1.first }
        for (a, b) in zip(ranges, ranges.dropFirst()) { XCTAssertLessThanOrEqual(a.end, b.first, "overlapping pod networks") }
        let reserved = [range("10.0.0.0/16"), range("10.96.0.0/12")]
        for r in ranges {
            XCTAssertEqual(r.first % (r.end - r.first), 0, "aligned")
            XCTAssertGreaterThanOrEqual((r.end - r.first) / 64, 21, "room for 21 nodes' /26 Calico blocks")
            for v in reserved { XCTAssertTrue(r.end <= v.first || v.end <= r.first, "inside the VPC or the service range") }
        }
        let capacity = try registry.podNetworkCapacity()
        XCTAssertGreaterThanOrEqual(capacity.total, 2_000)
        XCTAssertEqual(capacity.free, capacity.total - 1_000)
    }

    func testAFullPoolIsTheLabIsFullInJSONAndOnTheFormAndTheDashboardCountsDown() async throws {
        let f = try IntakeFixture(pool: try PodCIDRPool(spec: "172.20.0.0/20", clusterPrefix: 21))
        let code = try f.open()
        try await f.application().test(.router) { client in
            for i in 0..<2 {
                let r = try await client.execute(uri: "/api/v1/join/\(code)", method: .post, headers: IntakeFixture.jsonHeaders,
                                                 body: IntakeFixture.json(["first_name": "P\(i)", "last_name": "Q", "public_key": TestKeys.ed25519().line]))
                XCTAssertEqual(r.status, .created)
            }
            let full = try await client.execute(uri: "/api/v1/join/\(code)", method: .post, headers: IntakeFixture.jsonHeaders,
                                                body: IntakeFixture.json(["first_name": "P9", "last_name": "Q", "public_key": TestKeys.ed25519().line]))
            XCTAssertEqual(full.status, .serviceUnavailable)
            XCTAssertEqual(full.json["error"] as? String, "lab-full")
            XCTAssertEqual(full.json["reason"] as? String, "pod-network-pool-exhausted")
            XCTAssertTrue((full.json["message"] as? String ?? "").hasPrefix("the lab is full: tell the trainer"), full.text)

            // The browser's form shows the same sentence.
            let page = try await client.execute(uri: "/join/\(code)", method: .get)
            let csrf = try XCTUnwrap(page.cookie("labctl_csrf")?.value)
            let form = "csrf=\(csrf)&first_name=Form&last_name=User&public_key=" +
                TestKeys.ed25519().line.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!
            let posted = try await client.execute(uri: "/join/\(code)", method: .post,
                                                  headers: [.contentType: "application/x-www-form-urlencoded", .cookie: "labctl_csrf=\(csrf)"],
                                                  body: ByteBuffer(string: form))
            XCTAssertEqual(posted.status, .serviceUnavailable)
            XCTAssertTrue(posted.text.contains("the lab is full: tell the trainer"), posted.text)

            // The trainer sees it on the dashboard.
            let loginPage = try await client.execute(uri: "/admin/login", method: .get)
            let loginCSRF = try XCTUnwrap(loginPage.cookie("labctl_csrf")?.value)
            let login = try await client.execute(uri: "/admin/login", method: .post,
                                                 headers: [.contentType: "application/x-www-form-urlencoded", .cookie: "labctl_csrf=\(loginCSRF)"],
                                                 body: ByteBuffer(string: "csrf=\(loginCSRF)&token=\(IntakeFixture.adminToken)"))
            let admin = try XCTUnwrap(login.cookie("labctl_admin")?.value)
            let dashboard = try await client.execute(uri: "/admin", method: .get, headers: [.cookie: "labctl_admin=\(admin)"])
            XCTAssertTrue(dashboard.text.contains("Cluster networks: <strong>0</strong> of 2 free"), dashboard.text)
            XCTAssertTrue(dashboard.text.contains("LABCTL_POD_CIDR_POOL"))
        }
        XCTAssertEqual(try f.registry.participants(in: "s1").count, 2)
    }
}
