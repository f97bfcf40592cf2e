import Foundation
import HummingbirdTesting
import LabStore
import LabTestSupport
import LabWorkflows
import XCTest

/// `labctl status --json` and `GET /api/v1/admin/sessions` encode one type
/// (issue 24, item 2): the same lab read both ways decodes into equal values.
final class SessionStatusAgreementTests: XCTestCase {
    func testStatusJSONAndAdminAPIDecodeIntoTheSameSessionStatus() async throws {
        let f = try IntakeFixture()
        let lab = f.dir.url
        for (name, workers, cap) in [("s1", "2", "50"), ("s2", "1", "7")] {
            let config = try LabctlBinary.run(["create-config", name, "--root", lab.path, "--ssh-from", "203.0.113.0/24",
                                               "--workers", workers, "--max-participants", cap, "--end", "2099-12-04 17:00 Europe/Berlin"])
            XCTAssertEqual(config.status, 0, config.stderr)
        }
        let code = try f.open("s1")
        try await f.application().test(.router) { client in
            for (first, last) in [("Ann", "Lee"), ("Bob", "Kim")] {
                let r = try await client.execute(uri: "/api/v1/join/\(code)", method: .post, headers: IntakeFixture.jsonHeaders,
                                                 body: IntakeFixture.json(["first_name": first, "last_name": last, "public_key": TestKeys.ed25519().line]))
                XCTAssertEqual(r.status, .created, r.text)
            }
            let api = try await client.execute(uri: "/api/v1/admin/sessions", method: .get,
                                               headers: [.authorization: "Bearer \(IntakeFixture.adminToken)"])
            XCTAssertEqual(api.status, .ok, api.text)
            let cli = try LabctlBinary.run(["status", "--root", lab.path, "--json"])
            XCTAssertEqual(cli.status, 0, cli.stderr)

            var served = try JSONDecoder().decode([SessionStatus].self, from: Data(api.body.readableBytesView))
            var printed = try JSONDecoder().decode([SessionStatus].self, from: Data(cli.stdout.utf8))
            XCTAssertEqual(served.map(\.session), ["s1", "s2"])
            let s1 = try XCTUnwrap(served.first)
            XCTAssertEqual(s1.participants, 2)
            XCTAssertEqual(s1.intake, "open")
            XCTAssertEqual(served.last?.max_participants, 7)
            XCTAssertEqual(s1.lifetime, "running")
            XCTAssertGreaterThan(try XCTUnwrap(s1.cost_usd_per_hour), 0)
            // A number, not "$0.12/hour".
            let raw = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(api.body.readableBytesView)) as? [[String: Any]])
            XCTAssertTrue(raw.first?["cost_usd_per_hour"] is Double, "\(raw)")
            // Only the server knows its address, so only it gives the join link.
            XCTAssertEqual(s1.join_url, "http://127.0.0.1:8080/join/\(code)")
            XCTAssertNil(printed.first?.join_url)
            // The two reads are a moment apart: the seconds left may differ by a tick.
            for i in served.indices where i < printed.count {
                served[i].join_url = nil
                let a = try XCTUnwrap(served[i].seconds_left), b = try XCTUnwrap(printed[i].seconds_left)
                XCTAssertLessThanOrEqual(abs(a - b), 60)
                served[i].seconds_left = nil; printed[i].seconds_left = nil
            }
            XCTAssertEqual(printed, served)
        }
    }
}
