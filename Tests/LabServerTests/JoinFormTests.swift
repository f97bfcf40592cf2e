import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import LabCore
import LabStore
import LabTestSupport
import NIOCore
import XCTest

/// The HTML side of joining: the form, CSRF, uploads, escaping, error pages.
/// `@unchecked Sendable`: the router-test closures capture the test case; XCTest runs each test on one task.
final class JoinFormTests: XCTestCase, @unchecked Sendable {
    /// GETs the form and returns the CSRF token (form field == cookie).
    func form(_ client: some TestClientProtocol, _ code: String) async throws -> String {
        let page = try await client.execute(uri: "/join/\(code)", method: .get)
        XCTAssertEqual(page.status, .ok)
        let cookie = try XCTUnwrap(page.cookie("labctl_csrf"))
        XCTAssertEqual(csrfField(in: page.text), cookie.value)
        return cookie.value
    }

    func submit(_ client: some TestClientProtocol, _ code: String, csrf: String?, cookie: String?, _ build: (inout Multipart) -> Void) async throws -> TestResponse {
        var form = Multipart()
        if let csrf { form.field("csrf", csrf) }
        build(&form)
        var headers: HTTPFields = [.contentType: form.contentType]
        if let cookie { headers[.cookie] = "labctl_csrf=\(cookie)" }
        return try await client.execute(uri: "/join/\(code)", method: .post, headers: headers, body: form.body)
    }

    func testTheFormExplainsKeysOnEverySystemAndSetsAStrictHttpOnlyCSRFCookie() async throws {
        let f = try IntakeFixture()
        let code = try f.open("k8s-basics")
        try await f.application().test(.router) { client in
            let page = try await client.execute(uri: "/join/\(code)", method: .get)
            XCTAssertEqual(page.status, .ok)
            XCTAssertEqual(page.headers[.contentType], "text/html; charset=utf-8")
            for text in ["k8s-basics", "ssh-keygen -t ed25519", "Windows", "macOS", "id_ed25519.pub", "name=\"first_name\"",
                         "name=\"last_name\"", "name=\"email\"", "name=\"public_key\"", "type=\"file\"", "enctype=\"multipart/form-data\""] {
                XCTAssertTrue(page.text.contains(text), "form lacks \(text)")
            }
            let cookie = try XCTUnwrap(page.cookie("labctl_csrf")).line
            XCTAssertTrue(cookie.contains("HttpOnly"))
            XCTAssertTrue(cookie.contains("SameSite=Strict"))
            XCTAssertFalse(cookie.contains("Secure"), "plain http on loopback: no Secure flag")
        }
    }

    func testAFormPostWithoutTheMatchingCSRFTokenIsRefused() async throws {
        let f = try IntakeFixture()
        let code = try f.open()
        let key = TestKeys.ed25519()
        try await f.application().test(.router) { client in
            let token = try await self.form(client, code)
            let fill: (inout Multipart) -> Void = { $0.field("first_name", "Jane"); $0.field("last_name", "Doe"); $0.field("public_key", key.line) }
            let noCookie = try await self.submit(client, code, csrf: token, cookie: nil, fill)
            XCTAssertEqual(noCookie.status, .forbidden)
            let mismatch = try await self.submit(client, code, csrf: token, cookie: SecretToken.generate(byteCount: 24).value, fill)
            XCTAssertEqual(mismatch.status, .forbidden)
            var crossSite = Multipart()
            crossSite.field("csrf", token)
            fill(&crossSite)
            let foreign = try await client.execute(uri: "/join/\(code)", method: .post,
                                                   headers: [.contentType: crossSite.contentType, .cookie: "labctl_csrf=\(token)", .origin: "https://evil.example"],
                                                   body: crossSite.body)
            XCTAssertEqual(foreign.status, .forbidden, "a post from another origin is refused even with the token")
        }
        XCTAssertEqual(try f.registry.participants(in: "s1").count, 0)
    }

    func testUploadingThePubFileRegistersAndRedirectsToThePersonalPage() async throws {
        let f = try IntakeFixture()
        let code = try f.open()
        let pair = try KeyGen.generate(in: f.dir.url, name: "zoe", comment: "zoe@laptop")
        let expected = try XCTUnwrap(KeyGen.fingerprint(ofFile: pair.publicKeyPath))
        let file = try String(contentsOfFile: pair.publicKeyPath, encoding: .utf8)
        try await f.application().test(.router) { client in
            let token = try await self.form(client, code)
            let r = try await self.submit(client, code, csrf: token, cookie: token) {
                $0.field("first_name", "Zoë")
                $0.field("last_name", "Müller-Lüdenscheidt")
                $0.field("email", "")
                $0.field("public_key", "")
                $0.file("key_file", filename: "id_ed25519.pub", file)
            }
            XCTAssertEqual(r.status, .seeOther, r.text)
            let location = try XCTUnwrap(r.headers[.location])
            XCTAssertTrue(location.hasPrefix("/me/"), location)
            let page = try await client.execute(uri: location, method: .get)
            XCTAssertEqual(page.status, .ok)
            for text in ["Hello Zoë Müller-Lüdenscheidt", "zoe.mu", expected, "ssh-keygen -lf ~/.ssh/id_ed25519.pub", "personal link", "not deployed yet"] {
                XCTAssertTrue(page.text.contains(text), "personal page lacks \(text)")
            }
        }
        XCTAssertEqual(try f.registry.participant(session: "s1", name: "zoe.muller-ludenscheidt")?.fingerprint, expected)
    }

    func testARefusedFormComesBackWithTheReasonAndTheNamesButNeverTheKey() async throws {
        let f = try IntakeFixture()
        let code = try f.open()
        let secret = try KeyGen.generate(in: f.dir.url, name: "secret")
        let privateText = try String(contentsOfFile: secret.privateKeyPath, encoding: .utf8)
        let privateBody = String(privateText.split(separator: "\n")[1])
        try await f.application().test(.router) { client in
            let token = try await self.form(client, code)
            let r = try await self.submit(client, code, csrf: token, cookie: token) {
                $0.field("first_name", "Jane")
                $0.field("last_name", "O'Neil")
                $0.field("public_key", privateText)
            }
            XCTAssertEqual(r.status, .unprocessableContent)
            XCTAssertTrue(r.text.contains("PRIVATE key"))
            XCTAssertTrue(r.text.contains("value=\"Jane\""))
            XCTAssertTrue(r.text.contains("value=\"O&#39;Neil\""), "names come back, escaped")
            XCTAssertFalse(r.text.contains(privateBody))
            XCTAssertFalse(r.text.contains("OPENSSH PRIVATE KEY"))
        }
        XCTAssertEqual(try f.registry.participants(in: "s1").count, 0)
    }

    func testANameLikeAScriptTagIsShownAsText() async throws {
        let f = try IntakeFixture()
        let code = try f.open()
        try await f.application().test(.router) { client in
            let r = try await client.execute(uri: "/api/v1/join/\(code)", method: .post, headers: IntakeFixture.jsonHeaders,
                                             body: IntakeFixture.json(["first_name": "<script>alert(1)</script>", "last_name": "\"><img src=x onerror=alert(2)>",
                                                                       "public_key": TestKeys.ed25519().line]))
            XCTAssertEqual(r.status, .created, r.text)
            let token = try XCTUnwrap(r.json["edit_token"] as? String)
            let page = try await client.execute(uri: "/me/\(token)", method: .get)
            XCTAssertTrue(page.text.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
            XCTAssertFalse(page.text.contains("<script>"))
            XCTAssertFalse(page.text.contains("<img src=x"))
        }
    }

    func testEveryAnswerCarriesTheSecurityHeaders() async throws {
        let f = try IntakeFixture()
        let code = try f.open()
        try await f.application().test(.router) { client in
            for (uri, method) in [("/join/\(code)", HTTPRequest.Method.get), ("/join/nope", .get), ("/admin", .get),
                                  ("/api/v1/join/\(code)", .post), ("/static/style.css", .get), ("/nothing/here", .get)] {
                let r = try await client.execute(uri: uri, method: method)
                let csp = r.headers[.contentSecurityPolicy] ?? ""
                XCTAssertTrue(csp.contains("frame-ancestors 'none'"), "\(uri): \(csp)")
                XCTAssertTrue(csp.contains("default-src 'none'"), uri)
                XCTAssertFalse(csp.contains("script-src"), "no script is allowed at all")
                XCTAssertEqual(r.headers[.xContentTypeOptions], "nosniff", uri)
                XCTAssertEqual(r.headers[HTTPField.Name("Referrer-Policy")!], "same-origin", uri)
            }
        }
    }

    func testInternalErrorsShowNeitherSQLNorDetails() async throws {
        let f = try IntakeFixture()
        let code = try f.open()
        // Break the schema under the running service.
        try f.write { try $0.execute(sql: "DROP TABLE intakeCode") }
        try await f.application().test(.router) { client in
            for r in [try await client.execute(uri: "/join/\(code)", method: .get),
                      try await client.execute(uri: "/api/v1/join/\(code)", method: .post, headers: IntakeFixture.jsonHeaders,
                                               body: IntakeFixture.json(["first_name": "A", "last_name": "B", "public_key": TestKeys.ed25519().line]))] {
                XCTAssertEqual(r.status, .internalServerError)
                for leak in ["intakeCode", "SQL", "SELECT", "no such table", "GRDB", ".swift"] {
                    XCTAssertFalse(r.text.contains(leak), "500 reveals \(leak): \(r.text)")
                }
            }
        }
    }
}
