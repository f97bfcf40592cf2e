import Foundation
import GRDB
import HTTPTypes
import HummingbirdTesting
import LabCore
import LabServer
import LabStore
import LabTestSupport
import NIOCore
import XCTest

/// A session's participant cap (`max_participants`, issue 23): a leaked join link fills
/// one session, never the lab's pool; the trainer sees it and removes a burst in one step.
/// `@unchecked Sendable`: the router-test closures capture the test case; XCTest runs each test on one task.
final class SessionCapTests: XCTestCase, @unchecked Sendable {
    func join(_ client: some TestClientProtocol, _ code: String, _ first: String) async throws -> TestResponse {
        try await client.execute(uri: "/api/v1/join/\(code)", method: .post, headers: IntakeFixture.jsonHeaders,
                                 body: IntakeFixture.json(["first_name": first, "last_name": "Cap", "public_key": TestKeys.ed25519().line]))
    }

    func formPost(_ client: some TestClientProtocol, _ uri: String, cookie: String, _ fields: [(String, String)]) async throws -> TestResponse {
        let body = fields.map { "\($0.0)=\($0.1.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!)" }.joined(separator: "&")
        return try await client.execute(uri: uri, method: .post,
                                        headers: [.contentType: "application/x-www-form-urlencoded", .cookie: "labctl_admin=\(cookie)"],
                                        body: ByteBuffer(string: body))
    }

    func testAFullSessionAnswersSessionFullInJSONAndOnTheFormWhileAnotherSessionStillJoins() async throws {
        let f = try IntakeFixture()
        try f.dir.writeSession("s1", "max_participants = 2\n")
        let full = try f.open("s1")
        let other = try f.open("s2") // no tfvars: the default cap of 50
        try await f.application().test(.router) { client in
            for name in ["Ann", "Bob"] {
                let r = try await self.join(client, full, name)
                XCTAssertEqual(r.status, .created, r.text)
            }
            let refused = try await self.join(client, full, "Cid")
            XCTAssertEqual(refused.status, .serviceUnavailable, refused.text)
            XCTAssertEqual(refused.json["error"] as? String, "session-full")
            XCTAssertTrue((refused.json["message"] as? String ?? "").contains("Tell the trainer"), refused.text)

            // The browser's form says the same.
            let page = try await client.execute(uri: "/join/\(full)", method: .get)
            let csrf = try XCTUnwrap(page.cookie("labctl_csrf")?.value)
            let form = "csrf=\(csrf)&first_name=Form&last_name=User&public_key=" +
                TestKeys.ed25519().line.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!
            let posted = try await client.execute(uri: "/join/\(full)", method: .post,
                                                  headers: [.contentType: "application/x-www-form-urlencoded", .cookie: "labctl_csrf=\(csrf)"],
                                                  body: ByteBuffer(string: form))
            XCTAssertEqual(posted.status, .serviceUnavailable)
            XCTAssertTrue(posted.text.contains("session s1 is full"), posted.text)

            // Another session of the same lab still takes people.
            let elsewhere = try await self.join(client, other, "Dee")
            XCTAssertEqual(elsewhere.status, .created, elsewhere.text)

            // The trainer's dashboard says so, on the list and on the session's page.
            let login = try await adminLogin(client)
            let list = try await client.execute(uri: "/admin", method: .get, headers: [.cookie: "labctl_admin=\(login.cookie)"])
            XCTAssertTrue(list.text.contains(">full</span>"), list.text)
            let session = try await client.execute(uri: "/admin/sessions/s1", method: .get, headers: [.cookie: "labctl_admin=\(login.cookie)"])
            XCTAssertTrue(session.text.contains("id=\"session-full\""), session.text)
            XCTAssertTrue(session.text.contains("max_participants is 2"), session.text)
            let open = try await client.execute(uri: "/admin/sessions/s2", method: .get, headers: [.cookie: "labctl_admin=\(login.cookie)"])
            XCTAssertFalse(open.text.contains("id=\"session-full\""))
            XCTAssertTrue(open.text.contains("1 of at most 50"), open.text)
        }
        XCTAssertEqual(try f.registry.participants(in: "s1").map(\.name), ["ann.cap", "bob.cap"])
        XCTAssertEqual(try f.registry.participants(in: "s2").count, 1)
    }

    func testFortyConcurrentJoinsIntoACapOfTwentyFiveStoreExactlyTwentyFive() async throws {
        // The built `labctl serve` over real loopback HTTP: the writer group-commits the burst in batches.
        let lab = try LabFolder(sessions: [])
        defer { lab.remove() }
        try lab.dir.writeSession("capped", "max_participants = 25\n")
        let code = try lab.open("capped")
        let server = try ServerProcess(lab: lab.url, environment: ["LABCTL_ADMIN_TOKEN": "a-long-enough-admin-token"])
        let port = server.port
        let answers = await withTaskGroup(of: (Int, String?).self) { group in
            for i in 0..<40 {
                group.addTask {
                    let c = LiveClient(port: port)
                    let r = try? await c.join(code: code, first: "burst\(i)", last: "cap", key: TestKeys.ed25519().line)
                    await c.close()
                    return (r?.status ?? -1, r?.json["error"] as? String)
                }
            }
            var all: [String: Int] = [:]
            for await (status, error) in group { all["\(status) \(error ?? "")", default: 0] += 1 }
            return all
        }
        XCTAssertEqual(server.terminate(), 0)
        XCTAssertEqual(answers, ["201 ": 25, "503 session-full": 15])
        let registry = try Registry(path: lab.database)
        XCTAssertEqual(try registry.participants(in: "capped").count, 25)
        let networks = try syncRead(registry) { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM podNetwork") }
        XCTAssertEqual(networks, 25, "a refused join takes no pod network")
    }

    func testTheDashboardRemovesABurstByTimeOfRegistrationAfterShowingWhoGoes() async throws {
        let f = try IntakeFixture()
        let code = try f.open("s1")
        try await f.application().test(.router) { client in
            for name in ["Early", "Spam1", "Spam2", "Late"] {
                let r = try await self.join(client, code, name)
                XCTAssertEqual(r.status, .created, r.text)
            }
        }
        // Registration times: the real ones are milliseconds apart, so place them on a clock.
        let times = ["early.cap": "2026-12-04 09:00:00.000", "spam1.cap": "2026-12-04 10:20:00.000",
                     "spam2.cap": "2026-12-04 10:30:00.000", "late.cap": "2026-12-04 11:00:00.000"]
        try f.write { db in
            for (name, time) in times { try db.execute(sql: "UPDATE participant SET createdAt = ? WHERE name = ?", arguments: [time, name]) }
        }
        let window = [("registered_after", "2026-12-04T10:15:00Z"), ("registered_before", "2026-12-04T10:45:00Z")]
        try await f.application().test(.router) { client in
            let login = try await adminLogin(client)
            // Without the login's CSRF token nothing happens.
            let forged = try await self.formPost(client, "/admin/sessions/s1/remove-burst", cookie: login.cookie, window + [("confirm", "1")])
            XCTAssertEqual(forged.status, .forbidden)
            // First the list of who goes; nothing is removed yet.
            let preview = try await self.formPost(client, "/admin/sessions/s1/remove-burst", cookie: login.cookie, [("csrf", login.csrf)] + window)
            XCTAssertEqual(preview.status, .ok, preview.text)
            XCTAssertTrue(preview.text.contains("spam1.cap") && preview.text.contains("spam2.cap"), preview.text)
            XCTAssertFalse(preview.text.contains("early.cap") || preview.text.contains("late.cap"))
            XCTAssertTrue(preview.text.contains("Remove these 2"))
            XCTAssertEqual(try f.registry.participants(in: "s1").count, 4)
            // Confirmed: exactly the window goes.
            let done = try await self.formPost(client, "/admin/sessions/s1/remove-burst", cookie: login.cookie,
                                               [("csrf", login.csrf)] + window + [("confirm", "1")])
            XCTAssertEqual(done.status, .seeOther)
            XCTAssertEqual(done.headers[.location], "/admin/sessions/s1?done=burst-removed")
        }
        XCTAssertEqual(try f.registry.participants(in: "s1").map(\.name), ["early.cap", "late.cap"])
        let networks = try f.read { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM podNetwork") }
        XCTAssertEqual(networks, 2, "the removed participants' pod networks are free again")
        let audit = try f.read { try String.fetchAll($0, sql: "SELECT participant FROM auditEntry WHERE action = 'removed' AND interface = 'admin' ORDER BY participant") }
        XCTAssertEqual(audit, ["spam1.cap", "spam2.cap"])
    }
}
