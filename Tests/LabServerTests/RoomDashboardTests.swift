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

/// The session page's room (issue 14): every participant's state, and the page
/// reloads itself while someone is not ready, and stops once everyone is.
/// `@unchecked Sendable`: the router-test closures capture the test case; XCTest runs each test on one task.
final class RoomDashboardTests: XCTestCase, @unchecked Sendable {
    func testTheRoomTableShowsStatesAndRefreshesUntilEveryoneIsReady() async throws {
        let f = try IntakeFixture()
        let code = try f.open("s1")
        try await f.application().test(.router) { client in
            for name in ["Ann", "Bob"] {
                _ = try await client.execute(uri: "/api/v1/join/\(code)", method: .post, headers: IntakeFixture.jsonHeaders,
                                             body: IntakeFixture.json(["first_name": name, "last_name": "Lee", "public_key": TestKeys.ed25519().line]))
            }
            let people = try f.registry.participants(in: "s1")
            XCTAssertEqual(people.count, 2)
            let (cookie, _, _) = try await adminLogin(client)
            XCTAssertFalse(cookie.isEmpty, "logged in")
            func page() async throws -> String {
                try await client.execute(uri: "/admin/sessions/s1", method: .get, headers: [.cookie: "labctl_admin=\(cookie)"]).text
            }
            var html = try await page()
            XCTAssertTrue(html.contains("<table id=\"room\">"), html)
            for p in people {
                XCTAssertTrue(html.contains("<tr data-participant=\"\(p.discreteID)\"><td><code>\(p.discreteID)</code></td><td><span class=\"muted\">key-received</span>"), html)
            }
            XCTAssertTrue(html.contains("<meta http-equiv=\"refresh\" content=\"15\">"), "reloads while someone is not ready")

            try f.registry.enterState(session: "s1", discreteID: people[0].discreteID, .ready)
            html = try await page()
            XCTAssertTrue(html.contains("<span class=\"state-open\">ready</span>"), html)
            XCTAssertTrue(html.contains("http-equiv=\"refresh\""), "Bob is still not ready")

            try f.registry.enterState(session: "s1", discreteID: people[1].discreteID, .ready)
            html = try await page()
            XCTAssertFalse(html.contains("http-equiv=\"refresh\""), "everyone ready: no more reloading")
        }
    }
}
