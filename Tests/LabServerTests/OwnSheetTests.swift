import Foundation
import HummingbirdTesting
import LabCore
import LabStore
import LabTestSupport
import XCTest

/// The personal page shows the participant the same sheet their mail carries:
/// the page's sheet is compared with the HTML part of the .eml `labctl sheets`
/// writes, as Python's email package reads it.
final class OwnSheetTests: XCTestCase {
    func testPersonalPageShowsWhatTheMailSays() async throws {
        let f = try IntakeFixture()
        let lab = f.dir.url
        let config = try LabctlBinary.run(["create-config", "s1", "--root", lab.path, "--ssh-from", "203.0.113.0/24"])
        XCTAssertEqual(config.status, 0, config.stderr)
        let tfvars = lab.appendingPathComponent("sessions/s1.tfvars")
        let extra = "session_end = \"2026-12-04 17:00 Europe/Berlin\"\ntrainer_name = \"Renée Trainer\"\ntrainer_email = \"renee@example.org\"\n"
        try (String(contentsOf: tfvars, encoding: .utf8) + extra).write(to: tfvars, atomically: true, encoding: .utf8)
        let code = try f.open()

        try await f.application().test(.router) { client in
            let r = try await client.execute(uri: "/api/v1/join/\(code)", method: .post, headers: IntakeFixture.jsonHeaders,
                                             body: IntakeFixture.json(["first_name": "Zoë", "last_name": "Müller", "email": "zoe@example.org",
                                                                       "public_key": TestKeys.ed25519().line]))
            XCTAssertEqual(r.status, .created, r.text)
            let token = try XCTUnwrap(r.json["edit_token"] as? String)
            let id = try XCTUnwrap(r.json["discrete_id"] as? String)
            try f.registry.recordClusters(session: "s1", [
                ClusterRecord(session: "s1", address: ClusterAddress(discreteID: id, masterPublicIP: "198.51.100.7", masterPrivateIP: "10.0.1.7",
                              workerPublicIPs: ["198.51.100.8"], workerPrivateIPs: ["10.0.1.8"], podCIDR: "10.112.0.0/16",
                              masterInstanceID: "i-a", workerInstanceIDs: ["i-b"])),
            ])
            try f.registry.pinHostKeyIfAbsent(HostKeyRecord(session: "s1", discreteID: id, keyType: "ssh-ed25519",
                                                            keyBase64: "AAAAC3NzaC1lZDI1NTE5AAAAIHostKey", fingerprint: "SHA256:zoeHostKey"))

            let sheets = try LabctlBinary.run(["sheets", "s1", "--root", lab.path, "--format", "eml", "--include-unready"])
            XCTAssertEqual(sheets.status, 0, sheets.stdout + sheets.stderr)
            let eml = lab.appendingPathComponent("participant-access/s1/zoe.muller.eml")
            let parsed = try XCTUnwrap(try Python.json("parse-eml.py", [eml.path]) as? [[String: Any]])
            let parts = try XCTUnwrap(parsed.first?["parts"] as? [[String: Any]])
            let mailHTML = try XCTUnwrap(parts.first { $0["type"] as? String == "text/html" }?["body"] as? String)

            let page = try await client.execute(uri: "/me/\(token)", method: .get)
            XCTAssertEqual(page.status, .ok)
            let shown = try XCTUnwrap(Self.between(page.text, "<section id=\"sheet\">", "</section>"), page.text)
            let mailed = try XCTUnwrap(Self.between(mailHTML, ">", "</body>", after: "<body"), mailHTML)
            XCTAssertEqual(Self.normalised(shown), Self.normalised(mailed))
            // Not two empty strings: the facts a participant needs are in both.
            for fact in ["198.51.100.7", "SHA256:zoeHostKey", "Friday 4 December 2026", "ssh -i ~/.ssh/id_ed25519 ubuntu@198.51.100.7", "Hello Zoë Müller"] {
                XCTAssertTrue(shown.contains(fact), "\(fact) not on the page: \(shown)")
            }
        }
    }

    /// The text between `start` and `end` (the first `start` after `after`, if given).
    static func between(_ text: String, _ start: String, _ end: String, after: String? = nil) -> String? {
        var from = text.startIndex
        if let after { guard let a = text.range(of: after) else { return nil }; from = a.upperBound }
        guard let s = text.range(of: start, range: from..<text.endIndex),
              let e = text.range(of: end, range: s.upperBound..<text.endIndex) else { return nil }
        return String(text[s.upperBound..<e.lowerBound])
    }

    /// Line ends and surrounding blanks aside (the mail's transfer encoding may rewrap lines).
    static func normalised(_ html: String) -> String {
        html.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }.joined(separator: "\n")
    }
}

/// The dashboard's cost is the cost model's, as `labctl cost` prints it.
final class DashboardCostTests: XCTestCase {
    func testSessionCostIsTheEstimateOfLabctlCost() async throws {
        let f = try IntakeFixture()
        let lab = f.dir.url
        let config = try LabctlBinary.run(["create-config", "s1", "--root", lab.path, "--ssh-from", "203.0.113.0/24",
                                           "--workers", "2", "--master-type", "t3.large"])
        XCTAssertEqual(config.status, 0, config.stderr)
        let code = try f.open()
        try await f.application().test(.router) { client in
            for (first, last) in [("Ann", "Lee"), ("Bob", "Kim"), ("Cy", "Dee")] {
                let r = try await client.execute(uri: "/api/v1/join/\(code)", method: .post, headers: IntakeFixture.jsonHeaders,
                                                 body: IntakeFixture.json(["first_name": first, "last_name": last, "public_key": TestKeys.ed25519().line]))
                XCTAssertEqual(r.status, .created, r.text)
            }
            let cost = try LabctlBinary.run(["cost", "s1", "--root", lab.path, "--json"])
            XCTAssertEqual(cost.status, 0, cost.stderr)
            let rows = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(cost.stdout.utf8)) as? [[String: Any]])
            let estimate = try XCTUnwrap(rows.first?["estimate"] as? [String: Any])
            XCTAssertEqual(estimate["participants"] as? Int, 3)
            let perSession = try XCTUnwrap(estimate["perSessionHour"] as? [String: Double])
            let hourly = perSession.values.reduce(0, +)
            XCTAssertGreaterThan(hourly, 0)

            let r = try await client.execute(uri: "/api/v1/admin/sessions/s1", method: .get,
                                             headers: [.authorization: "Bearer \(IntakeFixture.adminToken)"])
            XCTAssertEqual(r.status, .ok, r.text)
            let shown = try XCTUnwrap((r.json["cost"] as? [String: Any])?["usd_per_hour"] as? Double, r.text)
            XCTAssertEqual(shown, hourly, accuracy: 1e-9, "a number, the same as `labctl cost`")
            XCTAssertFalse(r.text.contains("No cost model"), r.text)
        }
    }
}
