import Foundation
import GRDB
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import LabCore
import LabServer
import LabStore
import LabTestSupport
import NIOCore
import XCTest

/// `POST /api/v1/join/<code>`: the participant's JSON API, one case per answer.
/// `@unchecked Sendable`: the router-test closures capture the test case; XCTest runs each test on one task.
final class JoinAPITests: XCTestCase, @unchecked Sendable {
    func post(_ client: some TestClientProtocol, _ code: String, _ object: [String: Any]) async throws -> TestResponse {
        try await client.execute(uri: "/api/v1/join/\(code)", method: .post, headers: IntakeFixture.jsonHeaders, body: IntakeFixture.json(object))
    }

    func testJoinAnswers201WithDiscreteIDFingerprintAndAnEditTokenStoredOnlyAsDigest() async throws {
        let f = try IntakeFixture()
        let code = try f.open("s1")
        let pair = try KeyGen.generate(in: f.dir.url, name: "jane", comment: "jane@laptop")
        let expected = try XCTUnwrap(KeyGen.fingerprint(ofFile: pair.publicKeyPath))
        try await f.application().test(.router) { client in
            let r = try await self.post(client, code, ["first_name": "Jane", "last_name": "Doe", "email": "jane@example.org", "public_key": pair.publicLine])
            XCTAssertEqual(r.status, .created, r.text)
            XCTAssertEqual(r.json["name"] as? String, "jane.doe")
            XCTAssertEqual(r.json["discrete_id"] as? String, "jane.do")
            XCTAssertEqual(r.json["fingerprint"] as? String, expected, "the fingerprint ssh-keygen -l prints")
            let token = try XCTUnwrap(r.json["edit_token"] as? String)
            XCTAssertGreaterThanOrEqual(token.count, 40)
            let stored = try XCTUnwrap(f.registry.participant(session: "s1", name: "jane.doe"))
            XCTAssertEqual(stored.fingerprint, expected)
            XCTAssertEqual(stored.record.email, "jane@example.org")
            XCTAssertEqual(stored.record.displayName, "Jane Doe")
            let digests = try f.read { try String.fetchAll($0, sql: "SELECT tokenDigest FROM participantToken") }
            XCTAssertEqual(digests, [SecretToken.digest(of: token)])
            let dump = try f.read { db in
                try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table'").flatMap { table in
                    try Row.fetchAll(db, sql: "SELECT * FROM \"\(table)\"").map { "\($0)" }
                }.joined()
            }
            XCTAssertFalse(dump.contains(token), "the edit token itself is stored nowhere")
        }
    }

    func testANameInCyrillicJoinsInLatinAndAnEmojiOnlyNameIsToldWhatToType() async throws {
        let f = try IntakeFixture()
        let code = try f.open("s1")
        try await f.application().test(.router) { client in
            let r = try await self.post(client, code, ["first_name": "Иван", "last_name": "Петров", "public_key": TestKeys.ed25519().line])
            XCTAssertEqual(r.status, .created, r.text)
            XCTAssertEqual(r.json["name"] as? String, "ivan.petrov")
            XCTAssertEqual(r.json["discrete_id"] as? String, "ivan.pe")
            let emoji = try await self.post(client, code, ["first_name": "😀", "last_name": "🎉", "public_key": TestKeys.ed25519().line])
            XCTAssertEqual(emoji.status, .badRequest, emoji.text)
            XCTAssertEqual(emoji.json["error"] as? String, "malformed")
            XCTAssertTrue((emoji.json["message"] as? String ?? "").contains("type your name in Latin letters (e.g. Ivan Petrov)"), emoji.text)
        }
        // The display name keeps what the participant typed.
        XCTAssertEqual(try f.registry.participant(session: "s1", name: "ivan.petrov")?.record.displayName, "Иван Петров")
        XCTAssertEqual(try f.registry.participants(in: "s1").count, 1)
    }

    func testUnknownAndClosedCodesGetTheSame404() async throws {
        let f = try IntakeFixture()
        let code = try f.open("s1")
        try f.registry.closeIntake(session: "s1")
        let key = TestKeys.ed25519()
        try await f.application().test(.router) { client in
            let body: [String: Any] = ["first_name": "A", "last_name": "B", "public_key": key.line]
            let closed = try await self.post(client, code, body)
            let unknown = try await self.post(client, SecretToken.generate(byteCount: 16).value, body)
            XCTAssertEqual(closed.status, .notFound)
            XCTAssertEqual(unknown.status, .notFound)
            XCTAssertEqual(closed.text, unknown.text, "a closed code must not be told apart from an unknown one")
            XCTAssertEqual(closed.json["error"] as? String, "not-found")
            let page = try await client.execute(uri: "/join/\(code)", method: .get)
            XCTAssertEqual(page.status, .notFound)
        }
        XCTAssertEqual(try f.registry.participants(in: "s1").count, 0)
    }

    func testMalformedRequestsAre400WithTheExpectedShape() async throws {
        let f = try IntakeFixture()
        let code = try f.open()
        let key = TestKeys.ed25519()
        try await f.application().test(.router) { client in
            let notJSON = try await client.execute(uri: "/api/v1/join/\(code)", method: .post, headers: IntakeFixture.jsonHeaders, body: ByteBuffer(string: "{first_name"))
            XCTAssertEqual(notJSON.status, .badRequest)
            XCTAssertEqual(notJSON.json["error"] as? String, "malformed")
            XCTAssertTrue((notJSON.json["message"] as? String ?? "").contains("public_key"), notJSON.text)
            let wrongType = try await client.execute(uri: "/api/v1/join/\(code)", method: .post, headers: [.contentType: "text/plain"],
                                                     body: IntakeFixture.json(["first_name": "A", "last_name": "B", "public_key": key.line]))
            XCTAssertEqual(wrongType.status, .badRequest)
            let missingKey = try await self.post(client, code, ["first_name": "A", "last_name": "B"])
            XCTAssertEqual(missingKey.status, .badRequest)
            let emptyName = try await self.post(client, code, ["first_name": "  ", "last_name": "B", "public_key": key.line])
            XCTAssertEqual(emptyName.status, .badRequest)
            let badEmail = try await self.post(client, code, ["first_name": "A", "last_name": "B", "email": "not an email", "public_key": key.line])
            XCTAssertEqual(badEmail.status, .badRequest)
            XCTAssertTrue((badEmail.json["message"] as? String ?? "").contains("email"))
        }
        XCTAssertEqual(try f.registry.participants(in: "s1").count, 0)
    }

    func testRefusedKeysAre422WithLabCoresReasonAndAPrivateKeyIsNeitherStoredNorEchoed() async throws {
        let f = try IntakeFixture()
        let code = try f.open()
        let rsa = try KeyGen.generate(in: f.dir.url, name: "rsa", type: "rsa")
        let secret = try KeyGen.generate(in: f.dir.url, name: "secret")
        let privateText = try String(contentsOfFile: secret.privateKeyPath, encoding: .utf8)
        let privateBody = String(privateText.split(separator: "\n")[1])
        try await f.application().test(.router) { client in
            let r1 = try await self.post(client, code, ["first_name": "A", "last_name": "B", "public_key": rsa.publicLine])
            XCTAssertEqual(r1.status, .unprocessableContent)
            XCTAssertEqual(r1.json["error"] as? String, "key-refused")
            XCTAssertEqual(r1.json["reason"] as? String, "unsupported-type")
            XCTAssertTrue((r1.json["message"] as? String ?? "").contains("ssh-keygen -t ed25519"))
            let r2 = try await self.post(client, code, ["first_name": "A", "last_name": "B", "public_key": privateText])
            XCTAssertEqual(r2.status, .unprocessableContent)
            XCTAssertEqual(r2.json["reason"] as? String, "private-key")
            XCTAssertFalse(r2.text.contains(privateBody), "the private key is never echoed")
        }
        XCTAssertEqual(try f.registry.participants(in: "s1").count, 0)
        let everything = try f.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM auditEntry").map { "\($0)" }.joined()
        }
        XCTAssertFalse(everything.contains(privateBody))
    }

    func testAKeyAlreadyInTheSessionOrATakenNameIs409WithoutNamingTheOtherParticipant() async throws {
        let f = try IntakeFixture()
        let code = try f.open()
        let key = TestKeys.ed25519()
        try await f.application().test(.router) { client in
            let first = try await self.post(client, code, ["first_name": "Alice", "last_name": "Smith", "public_key": key.line])
            XCTAssertEqual(first.status, .created)
            let sameKey = try await self.post(client, code, ["first_name": "Bob", "last_name": "Jones", "public_key": key.line])
            XCTAssertEqual(sameKey.status, .conflict)
            XCTAssertEqual(sameKey.json["error"] as? String, "key-in-use")
            XCTAssertFalse(sameKey.text.contains("alice"), "the owner of a key is not revealed")
            let sameName = try await self.post(client, code, ["first_name": "Alice", "last_name": "Smith", "public_key": TestKeys.ed25519().line])
            XCTAssertEqual(sameName.status, .conflict)
            XCTAssertEqual(sameName.json["error"] as? String, "name-taken")
        }
        let all = try f.registry.participants(in: "s1")
        XCTAssertEqual(all.map(\.name), ["alice.smith"])
        XCTAssertEqual(all.first?.fingerprint, key.fingerprint, "nobody overwrote Alice's key")
    }

    func testBodiesOver16KiBAre413() async throws {
        let f = try IntakeFixture()
        let code = try f.open()
        let padding = String(repeating: "x", count: 17 * 1024)
        let body = IntakeFixture.json(["first_name": "A", "last_name": "B", "public_key": TestKeys.ed25519().line, "pad": padding])
        try await f.application().test(.router) { client in
            var headers = IntakeFixture.jsonHeaders
            headers[.contentLength] = String(body.readableBytes)
            let declared = try await client.execute(uri: "/api/v1/join/\(code)", method: .post, headers: headers, body: body)
            XCTAssertEqual(declared.status, .contentTooLarge)
            XCTAssertEqual(declared.json["error"] as? String, "too-large")
            // Without a Content-Length the stream is cut at the limit.
            let streamed = try await client.execute(uri: "/api/v1/join/\(code)", method: .post, headers: IntakeFixture.jsonHeaders, body: body)
            XCTAssertEqual(streamed.status, .contentTooLarge)
            // 16 KiB of form is refused the same way.
            var form = Multipart()
            form.field("first_name", "A")
            form.field("public_key", padding)
            let page = try await client.execute(uri: "/join/\(code)", method: .post, headers: [.contentType: form.contentType], body: form.body)
            XCTAssertEqual(page.status, .contentTooLarge)
        }
        XCTAssertEqual(try f.registry.participants(in: "s1").count, 0)
    }

    func testRefusalsOverTheClientsBudgetAre429WithRetryAfterButAcceptedSubmissionsAreFree() async throws {
        let f = try IntakeFixture(settings: IntakeSettings(submissionsPerMinute: 3))
        let code = try f.open()
        try await f.application().test(.router) { client in
            // Ten accepted submissions from one address: more than the budget, none refused.
            for i in 0..<10 {
                let r = try await self.post(client, code, ["first_name": "P\(i)", "last_name": "Q", "public_key": TestKeys.ed25519().line])
                XCTAssertEqual(r.status, .created, "accepted submission \(i)")
            }
            // Three refusals spend the budget: a private key, a bad code, a taken name.
            let key = try await self.post(client, code, ["first_name": "X", "last_name": "Y", "public_key": "-----BEGIN OPENSSH PRIVATE KEY-----"])
            XCTAssertEqual(key.status, .unprocessableContent)
            let unknown = try await client.execute(uri: "/join/\(SecretToken.generate(byteCount: 16).value)", method: .get).status
            XCTAssertEqual(unknown, .notFound)
            let taken = try await self.post(client, code, ["first_name": "P0", "last_name": "Q", "public_key": TestKeys.ed25519().line])
            XCTAssertEqual(taken.status, .conflict)
            let limited = try await self.post(client, code, ["first_name": "P99", "last_name": "Q", "public_key": TestKeys.ed25519().line])
            XCTAssertEqual(limited.status, .tooManyRequests)
            XCTAssertEqual(limited.json["error"] as? String, "rate-limited")
            let retry = try XCTUnwrap(limited.headers[.retryAfter].flatMap(Int.init))
            XCTAssertTrue((1...20).contains(retry), "one token refills in 20 s at 3/min, got \(retry)")
            // Guessing codes stops too.
            let guess = try await client.execute(uri: "/join/\(SecretToken.generate(byteCount: 16).value)", method: .get).status
            XCTAssertEqual(guess, .tooManyRequests)
        }
        XCTAssertEqual(try f.registry.participants(in: "s1").count, 10)
    }

    func testTheSessionsCapStopsAFloodFromAnyAddress() async throws {
        let f = try IntakeFixture(settings: IntakeSettings(sessionSubmissionsPerMinute: 5))
        let code = try f.open()
        let other = try f.open("s2")
        try await f.application().test(.router) { client in
            for i in 0..<5 {
                let r = try await self.post(client, code, ["first_name": "P\(i)", "last_name": "Q", "public_key": TestKeys.ed25519().line])
                XCTAssertEqual(r.status, .created)
            }
            let capped = try await self.post(client, code, ["first_name": "P5", "last_name": "Q", "public_key": TestKeys.ed25519().line])
            XCTAssertEqual(capped.status, .tooManyRequests)
            XCTAssertEqual(capped.json["error"] as? String, "session-busy")
            XCTAssertNotNil(capped.headers[.retryAfter])
            // Another session has its own budget, and the address is not blamed.
            let elsewhere = try await self.post(client, other, ["first_name": "P5", "last_name": "Q", "public_key": TestKeys.ed25519().line])
            XCTAssertEqual(elsewhere.status, .created)
        }
        XCTAssertEqual(try f.registry.participants(in: "s1").count, 5)
    }
}
