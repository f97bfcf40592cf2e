import Foundation
import LabStore
import LabTestSupport
import XCTest

/// A real browser: headless Chromium (driven over the DevTools protocol by
/// Tests/browser/intake_flow.py) fills and submits the join form with a .pub
/// upload, reads the personal page, logs in as the trainer and opens the
/// dashboard. Screenshots go to test-output/browser/.
final class BrowserTests: XCTestCase {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    func testAParticipantJoinsWithTheFormAndTheTrainerSeesThemOnTheDashboard() async throws {
        guard (try? Shell.which("chromium")) != nil else {
            if ProcessInfo.processInfo.environment["CI"] != nil { return XCTFail("chromium is missing: scripts/setup.sh installs it") }
            throw XCTSkip("chromium is not installed (scripts/setup.sh installs it)")
        }
        let lab = try LabFolder(sessions: ["k8s-intro"])
        defer { lab.remove() }
        let code = try lab.open("k8s-intro")
        let adminToken = "browser-test-admin-token-42"
        let server = try ServerProcess(lab: lab.url, environment: ["LABCTL_ADMIN_TOKEN": adminToken])
        defer { server.terminate() }
        // Someone named like markup joined earlier through the API: the dashboard must show it as text.
        let client = LiveClient(port: server.port)
        let hostile = try await client.join(code: code, first: "<script>window.__pwned=true</script>",
                                            last: "<img src=x onerror=\"window.__pwned=true\">", key: TestKeys.ed25519().line)
        XCTAssertEqual(hostile.status, 201)
        await client.close()

        let pair = try KeyGen.generate(in: lab.url, name: "id_ed25519", comment: "zoe@laptop")
        let expected = try XCTUnwrap(KeyGen.fingerprint(ofFile: pair.publicKeyPath))
        let output = Self.repository.appendingPathComponent("test-output/browser")
        try? FileManager.default.removeItem(at: output)
        let r = try Shell.run("python3", [Self.repository.appendingPathComponent("Tests/browser/intake_flow.py").path,
                                          server.baseURL, code, pair.publicKeyPath, adminToken, "k8s-intro", output.path])
        XCTAssertEqual(r.status, 0, r.stderr)
        let result = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any], r.stdout)

        XCTAssertEqual(result["join_title"] as? String, "Join k8s-intro · labctl")
        XCTAssertEqual(result["uploaded"] as? Int, 1)
        XCTAssertTrue((result["personal_path"] as? String ?? "").hasPrefix("/me/"), "\(result)")
        XCTAssertEqual(result["fingerprint"] as? String, expected, "the page shows what ssh-keygen -l prints")
        XCTAssertEqual(result["discrete_id"] as? String, "zoe.mu")
        XCTAssertEqual(result["personal_link"] as? String, server.baseURL + (result["personal_path"] as? String ?? ""))
        XCTAssertEqual(result["login_path"] as? String, "/admin/login")
        XCTAssertEqual(result["after_login_path"] as? String, "/admin")
        XCTAssertTrue((result["sessions_table"] as? String ?? "").contains("k8s-intro"))
        let table = try XCTUnwrap(result["participants_table"] as? String)
        XCTAssertTrue(table.contains("Zoë Müller-Lüdenscheidt") && table.contains(expected), table)
        XCTAssertTrue(table.contains("<script>window.__pwned=true</script>"), "markup in a name is shown as text")
        XCTAssertEqual(result["scripts_in_table"] as? Int, 0)
        XCTAssertEqual(result["pwned"] as? Bool, false)
        for path in try XCTUnwrap(result["screenshots"] as? [String]) {
            let png = try Data(contentsOf: URL(fileURLWithPath: path))
            XCTAssertEqual(Array(png.prefix(4)), [0x89, 0x50, 0x4E, 0x47], "\(path) is a PNG")
            XCTAssertGreaterThan(png.count, 10_000, "\(path) shows a rendered page")
        }

        XCTAssertEqual(server.terminate(), 0)
        let registry = try Registry(path: lab.database)
        let stored = try XCTUnwrap(registry.participant(session: "k8s-intro", name: "zoe.muller-ludenscheidt"))
        XCTAssertEqual(stored.fingerprint, expected)
        XCTAssertEqual(stored.record.email, "zoe@example.org")
        XCTAssertEqual(try registry.auditLog(session: "k8s-intro").last?.interface, "web")
    }
}
