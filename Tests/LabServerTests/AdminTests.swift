import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import LabCore
import LabServer
import LabStore
import LabTestSupport
import NIOCore
import XCTest

/// The trainer's side: login, dashboard pages and forms, the admin JSON API.
/// `@unchecked Sendable`: the router-test closures capture the test case; XCTest runs each test on one task.
final class AdminTests: XCTestCase, @unchecked Sendable {
    func adminPost(_ client: some TestClientProtocol, _ uri: String, cookie: String, csrf: String, extra: String = "") async throws -> TestResponse {
        try await client.execute(uri: uri, method: .post,
                                 headers: [.contentType: "application/x-www-form-urlencoded", .cookie: "labctl_admin=\(cookie)"],
                                 body: ByteBuffer(string: "csrf=\(csrf)\(extra)"))
    }

    func testTheDashboardNeedsALoginAndTheAPIABearerToken() async throws {
        let f = try IntakeFixture()
        try f.open()
        try await f.application().test(.router) { client in
            let page = try await client.execute(uri: "/admin/sessions/s1", method: .get)
            XCTAssertEqual(page.status, .seeOther)
            XCTAssertEqual(page.headers[.location], "/admin/login")
            let forged = try await client.execute(uri: "/admin/sessions/s1/close", method: .post,
                                                  headers: [.contentType: "application/x-www-form-urlencoded", .cookie: "labctl_admin=\(SecretToken.generate().value)"],
                                                  body: ByteBuffer(string: "csrf=x"))
            XCTAssertEqual(forged.status, .forbidden)
            let api = try await client.execute(uri: "/api/v1/admin/sessions", method: .get)
            XCTAssertEqual(api.status, .unauthorized)
            XCTAssertEqual(api.json["error"] as? String, "unauthorized")
            XCTAssertNotNil(api.headers[.wwwAuthenticate])
            let wrong = try await client.execute(uri: "/api/v1/admin/sessions", method: .get, headers: [.authorization: "Bearer not-the-token-at-all"])
            XCTAssertEqual(wrong.status, .unauthorized)
            let badLogin = try await adminLogin(client, token: "admin-token-for-tests-0123456788")
            XCTAssertEqual(badLogin.response.status, .unauthorized)
            XCTAssertNil(badLogin.response.cookie("labctl_admin"))
        }
        XCTAssertEqual(try f.registry.intake(session: "s1")?.isOpen, true)
    }

    func testLoginSetsAStrictHttpOnlySessionCookieAndTheDashboardListsSessions() async throws {
        let f = try IntakeFixture()
        let code = try f.open("s1")
        try f.registry.openIntake(session: "s2")
        try f.registry.closeIntake(session: "s2")
        try await f.application().test(.router) { client in
            for i in 0..<3 {
                _ = try await client.execute(uri: "/api/v1/join/\(code)", method: .post, headers: IntakeFixture.jsonHeaders,
                                             body: IntakeFixture.json(["first_name": "P\(i)", "last_name": "Q", "public_key": TestKeys.ed25519().line]))
            }
            let (cookie, csrf, response) = try await adminLogin(client)
            XCTAssertEqual(response.status, .seeOther)
            XCTAssertEqual(response.headers[.location], "/admin")
            let line = try XCTUnwrap(response.cookie("labctl_admin")?.line)
            XCTAssertTrue(line.contains("HttpOnly") && line.contains("SameSite=Strict"), line)
            XCTAssertFalse(line.contains("Secure"))
            XCTAssertFalse(csrf.isEmpty)
            let page = try await client.execute(uri: "/admin", method: .get, headers: [.cookie: "labctl_admin=\(cookie)"])
            XCTAssertEqual(page.status, .ok)
            XCTAssertTrue(page.text.contains("/admin/sessions/s1\">s1</a></td><td>3</td>"), page.text)
            XCTAssertTrue(page.text.contains("/admin/sessions/s2\">s2</a></td><td>0</td>"))
            XCTAssertTrue(page.text.contains("state-closed"))
            XCTAssertTrue(page.text.contains("/join/\(code)"))
            let detail = try await client.execute(uri: "/admin/sessions/s1", method: .get, headers: [.cookie: "labctl_admin=\(cookie)"])
            for text in ["p0.q", "p0.q", "10.112.0.0/21", "SHA256:", "Remove", "Close intake", "Download keys", "Cost estimate"] {
                XCTAssertTrue(detail.text.contains(text), "session page lacks \(text)")
            }
            // Log out: the cookie stops working.
            let out = try await self.adminPost(client, "/admin/logout", cookie: cookie, csrf: csrf)
            XCTAssertEqual(out.status, .seeOther)
            let v2 = try await client.execute(uri: "/admin", method: .get, headers: [.cookie: "labctl_admin=\(cookie)"]).status
            XCTAssertEqual(v2, .seeOther)
        }
    }

    func testDashboardFormsNeedTheLoginsCSRFTokenThenCloseOpenAndRemove() async throws {
        let f = try IntakeFixture()
        let code = try f.open()
        try await f.application().test(.router) { client in
            let joined = try await client.execute(uri: "/api/v1/join/\(code)", method: .post, headers: IntakeFixture.jsonHeaders,
                                                  body: IntakeFixture.json(["first_name": "Jane", "last_name": "Doe", "public_key": TestKeys.ed25519().line]))
            XCTAssertEqual(joined.status, .created)
            let (cookie, csrf, _) = try await adminLogin(client)
            let forged = try await self.adminPost(client, "/admin/sessions/s1/close", cookie: cookie, csrf: "wrong")
            XCTAssertEqual(forged.status, .forbidden)
            XCTAssertEqual(try f.registry.intake(session: "s1")?.isOpen, true)
            let closed = try await self.adminPost(client, "/admin/sessions/s1/close", cookie: cookie, csrf: csrf)
            XCTAssertEqual(closed.status, .seeOther)
            let v3 = try await client.execute(uri: "/join/\(code)", method: .get).status
            XCTAssertEqual(v3, .notFound)
            _ = try await self.adminPost(client, "/admin/sessions/s1/open", cookie: cookie, csrf: csrf)
            let v4 = try await client.execute(uri: "/join/\(code)", method: .get).status
            XCTAssertEqual(v4, .ok, "re-opening keeps the link")
            _ = try await self.adminPost(client, "/admin/sessions/s1/open", cookie: cookie, csrf: csrf, extra: "&rotate=1")
            let v5 = try await client.execute(uri: "/join/\(code)", method: .get).status
            XCTAssertEqual(v5, .notFound, "a new code retires the old link")
            let removed = try await self.adminPost(client, "/admin/sessions/s1/participants/jane.doe/remove", cookie: cookie, csrf: csrf)
            XCTAssertEqual(removed.headers[.location], "/admin/sessions/s1?done=removed")
            let exported = try await self.adminPost(client, "/admin/sessions/s1/export", cookie: cookie, csrf: csrf)
            XCTAssertEqual(exported.headers[.location], "/admin/sessions/s1?done=exported")
        }
        XCTAssertEqual(try f.registry.participants(in: "s1").count, 0)
        XCTAssertEqual(try f.registry.auditLog(session: "s1").filter { $0.action == "removed" }.map(\.interface), ["admin"])
    }

    func testTheAdminAPIListsOpensClosesRemovesAndExports() async throws {
        let f = try IntakeFixture()
        let code = try f.open()
        let key = TestKeys.ed25519()
        let bearer: HTTPFields = [.authorization: "Bearer \(IntakeFixture.adminToken)"]
        try await f.application().test(.router) { client in
            _ = try await client.execute(uri: "/api/v1/join/\(code)", method: .post, headers: IntakeFixture.jsonHeaders,
                                         body: IntakeFixture.json(["first_name": "Jane", "last_name": "Doe", "email": "j@example.org", "public_key": key.line]))
            let list = try await client.execute(uri: "/api/v1/admin/sessions", method: .get, headers: bearer)
            let sessions = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(list.body.readableBytesView)) as? [[String: Any]])
            XCTAssertEqual(sessions.first?["session"] as? String, "s1")
            XCTAssertEqual(sessions.first?["participants"] as? Int, 1)
            XCTAssertEqual(sessions.first?["intake"] as? String, "open")
            let detail = try await client.execute(uri: "/api/v1/admin/sessions/s1", method: .get, headers: bearer)
            let people = try XCTUnwrap(detail.json["participants"] as? [[String: Any]])
            XCTAssertEqual(people.first?["discrete_id"] as? String, "jane.do")
            XCTAssertEqual(people.first?["fingerprint"] as? String, key.fingerprint)
            XCTAssertEqual(people.first?["pod_cidr"] as? String, "10.112.0.0/21")
            XCTAssertEqual(people.first?["email"] as? String, "j@example.org")
            XCTAssertEqual(people.first?["name"] as? String, "jane.doe")
            let keys = try await client.execute(uri: "/api/v1/admin/sessions/s1/keys", method: .get, headers: bearer)
            XCTAssertEqual(keys.text, key.line.split(separator: " ").prefix(2).joined(separator: " ") + " jane.doe\n")
            let closed = try await client.execute(uri: "/api/v1/admin/sessions/s1/close", method: .post, headers: bearer)
            XCTAssertEqual(closed.json["intake"] as? String, "closed")
            let v6 = try await client.execute(uri: "/join/\(code)", method: .get).status
            XCTAssertEqual(v6, .notFound)
            let opened = try await client.execute(uri: "/api/v1/admin/sessions/s1/open", method: .post, headers: bearer)
            XCTAssertEqual(opened.json["join_url"] as? String, "http://127.0.0.1:8080/join/\(code)")
            let gone = try await client.execute(uri: "/api/v1/admin/sessions/s1/participants/jane.doe", method: .delete, headers: bearer)
            XCTAssertEqual(gone.status, .noContent)
            let again = try await client.execute(uri: "/api/v1/admin/sessions/s1/participants/jane.doe", method: .delete, headers: bearer)
            XCTAssertEqual(again.status, .notFound)
            let v7 = try await client.execute(uri: "/api/v1/admin/sessions/nope", method: .get, headers: bearer).status
            XCTAssertEqual(v7, .notFound)
        }
        XCTAssertEqual(try f.registry.participants(in: "s1").count, 0)
    }

    func testExportValidatesTheSessionNameLikeEveryOtherRoute() async throws {
        let f = try IntakeFixture()
        try f.open()
        try await f.application().test(.router) { client in
            let (cookie, csrf, _) = try await adminLogin(client)
            // One path segment each; the last two decode to `..` and `../../etc` if the router decodes.
            for bad in ["Not_Valid", "%2E%2E", "..%2F..%2Fetc"] {
                let r = try await self.adminPost(client, "/admin/sessions/\(bad)/export", cookie: cookie, csrf: csrf)
                XCTAssertEqual(r.status, .badRequest, bad)
                XCTAssertTrue(r.text.contains("is not a valid session name"), r.text)
                XCTAssertTrue(r.text.contains("e.g. session-1"), r.text)
            }
            let ok = try await self.adminPost(client, "/admin/sessions/s1/export", cookie: cookie, csrf: csrf)
            XCTAssertEqual(ok.headers[.location], "/admin/sessions/s1?done=exported")
        }
        let written = try FileManager.default.contentsOfDirectory(atPath: f.dir.file("participants").path)
        XCTAssertEqual(written, ["s1"], "nothing exported for a refused name")
    }

    func testRotatingTheAdminTokenEndsEveryDashboardLogin() async throws {
        let f = try IntakeFixture()
        try f.open()
        func app(_ admin: AdminToken.Resolution) -> some ApplicationProtocol {
            Application(router: IntakeServer.router(IntakeServer.Dependencies(registry: f.registry, settings: f.settings, adminTokenDigest: admin.digest)))
        }
        @Sendable func status(_ client: some TestClientProtocol, _ cookie: String) async throws -> (page: HTTPResponse.Status, post: HTTPResponse.Status) {
            let page = try await client.execute(uri: "/admin", method: .get, headers: [.cookie: "labctl_admin=\(cookie)"])
            let post = try await client.execute(uri: "/admin/sessions/s1/close", method: .post,
                                                headers: [.contentType: "application/x-www-form-urlencoded", .cookie: "labctl_admin=\(cookie)"],
                                                body: ByteBuffer(string: "csrf=\(csrfField(in: page.text) ?? "none")"))
            return (page.status, post.status)
        }
        // A generated token: a login with it lives on over a restart with the same token.
        let generated = try AdminToken.resolve(registry: f.registry, environmentToken: nil)
        let token = try XCTUnwrap(generated.generated?.value)
        let first = try await app(generated).test(.router) { try await adminLogin($0, token: token).cookie }
        XCTAssertFalse(first.isEmpty)
        let stored = try AdminToken.resolve(registry: f.registry, environmentToken: nil)
        let second = try await app(stored).test(.router) { client in
            let s = try await status(client, first)
            XCTAssertEqual(s.page, .ok)
            XCTAssertEqual(s.post, .seeOther)
            return try await adminLogin(client, token: token).cookie
        }
        // A different LABCTL_ADMIN_TOKEN (nothing changes in the registry): both cookies are refused.
        let environment = try AdminToken.resolve(registry: f.registry, environmentToken: "a-rotated-token-from-the-environment")
        try await app(environment).test(.router) { client in
            for cookie in [first, second] {
                let s = try await status(client, cookie)
                XCTAssertEqual(s.page, .seeOther, "the page sends the old login to /admin/login")
                XCTAssertEqual(s.post, .forbidden, "a form from the old login is refused")
            }
            let fresh = try await adminLogin(client, token: "a-rotated-token-from-the-environment").cookie
            let page = try await status(client, fresh).page
            XCTAssertEqual(page, .ok)
        }
        // --new-admin-token: the login made with the stored token ends too.
        let third = try await app(stored).test(.router) { try await adminLogin($0, token: token).cookie }
        let beforeRenewal = try await app(stored).test(.router) { try await status($0, third).page }
        XCTAssertEqual(beforeRenewal, .ok)
        let renewed = try AdminToken.resolve(registry: f.registry, environmentToken: nil, renew: true)
        let afterRenewal = try await app(renewed).test(.router) { try await status($0, third).page }
        XCTAssertEqual(afterRenewal, .seeOther)
    }

    func testBehindTLSCookiesAreSecureAndHSTSIsSent() async throws {
        let f = try IntakeFixture(settings: IntakeSettings(publicURL: "https://lab.example.org"))
        let code = try f.open()
        try await f.application().test(.router) { client in
            let join = try await client.execute(uri: "/join/\(code)", method: .get)
            XCTAssertTrue(try XCTUnwrap(join.cookie("labctl_csrf")).line.contains("Secure"))
            XCTAssertNotNil(join.headers[.strictTransportSecurity])
            let (_, _, response) = try await adminLogin(client)
            XCTAssertTrue(try XCTUnwrap(response.cookie("labctl_admin")).line.contains("Secure"))
            let api = try await client.execute(uri: "/api/v1/admin/sessions/s1/open", method: .post,
                                               headers: [.authorization: "Bearer \(IntakeFixture.adminToken)"])
            XCTAssertEqual(api.json["join_url"] as? String, "https://lab.example.org/join/\(code)")
        }
    }

    func testAGeneratedAdminTokenIsStoredOnlyAsItsDigest() throws {
        let f = try IntakeFixture()
        let first = try AdminToken.resolve(registry: f.registry, environmentToken: nil)
        let token = try XCTUnwrap(first.generated?.value)
        XCTAssertEqual(try f.registry.adminTokenDigest(), SecretToken.digest(of: token))
        let again = try AdminToken.resolve(registry: f.registry, environmentToken: nil)
        XCTAssertNil(again.generated, "shown once: the second start does not show it again")
        XCTAssertEqual(again.digest, first.digest)
        let renewed = try AdminToken.resolve(registry: f.registry, environmentToken: nil, renew: true)
        XCTAssertNotEqual(renewed.digest, first.digest)
        XCTAssertThrowsError(try AdminToken.resolve(registry: f.registry, environmentToken: "short"))
    }
}
