import Foundation
import LabSheets
import LabTestSupport
import XCTest

/// The .eml as a real mail reader sees it: Python's `email` package decodes headers
/// and both alternatives, and must find exactly what the templates rendered.
final class MailMessageTests: XCTestCase {
    var dir: TemporaryDirectory!

    override func setUpWithError() throws { dir = try TemporaryDirectory("eml") }
    override func tearDown() { dir.remove() }

    func parse(_ messages: [MailMessage]) throws -> [[String: Any]] {
        let paths = try messages.enumerated().map { i, m in try dir.write("\(i).eml", m.rendered).path }
        return try XCTUnwrap(try Python.json("parse-eml.py", paths) as? [[String: Any]])
    }

    func mail(_ p: SheetParticipant, from: MailAddress? = nil) throws -> MailMessage {
        try Golden.renderer().mail(session: Fixture.session, participant: p,
                                   from: from ?? (try MailAddress("lab@example.org", displayName: "K8s Lab")))
    }

    func testPythonDecodesHeadersAndFindsBothAlternatives() throws {
        let messages = try [mail(Fixture.zoe), mail(Fixture.jane)]
        let parsed = try parse(messages)
        for (m, p) in zip(parsed, [Fixture.zoe, Fixture.jane]) {
            XCTAssertEqual(m["defects"] as? [String], [], "Python found no defect")
            XCTAssertEqual(m["to_display_name"] as? String, p.displayName)
            XCTAssertEqual(m["to_address"] as? String, p.email)
            XCTAssertEqual(m["subject"] as? String, "Your Kubernetes lab k8s-2026-11: access for \(p.displayName)")
            XCTAssertEqual(m["reply_to"] as? String, "Renée Trainer <renee@example.org>")
            XCTAssertEqual(m["date_parsed"] as? String, "2026-11-28T09:00:00+00:00")
            XCTAssertEqual(m["mime_version"] as? String, "1.0")
            XCTAssertEqual(m["content_type"] as? String, "multipart/alternative")
            let parts = try XCTUnwrap(m["parts"] as? [[String: Any]])
            XCTAssertEqual(parts.map { $0["type"] as? String }, ["text/plain", "text/html"])
            XCTAssertEqual(parts.map { $0["charset"] as? String }, ["utf-8", "utf-8"])
            let html = try XCTUnwrap(parts[1]["body"] as? String)
            XCTAssertTrue(html.contains(p.masterPublicIP!) && html.contains(p.hostKeys[0].fingerprint))
        }
        XCTAssertNotEqual(parsed[0]["message_id"] as? String, parsed[1]["message_id"] as? String)
    }

    func testTextAlternativeDecodesToGreetingSheetAndSignature() throws {
        let parsed = try parse([try mail(Fixture.zoe)])
        // Python keeps the CRLF line ends of the wire format; the templates' text has LF.
        let text = try XCTUnwrap((parsed[0]["parts"] as? [[String: Any]])?.first?["body"] as? String)
            .replacingOccurrences(of: "\r\n", with: "\n")
        let expected = """
            Hello Zoë Müller-Lüdenscheidt,

            your Kubernetes cluster for the lab k8s-2026-11 is set up for you. Everything
            you need to log in is below; please add the host key line to known_hosts
            before your first login, so ssh can check that it talks to your server.


            """ + (try Golden.text("zoe.muller-ludenscheidt.txt")) + """

            See you in the lab,
            Renée Trainer

            """
        XCTAssertEqual(text, expected)
    }

    func testEncodedLinesStayWithinRFCLimits() throws {
        let eml = try mail(Fixture.zoe).rendered
        for line in eml.components(separatedBy: "\r\n") {
            // 78 is RFC 5322's SHOULD; a Message-ID cannot be folded, so it only has to keep the MUST (998).
            XCTAssertLessThanOrEqual(line.utf8.count, line.hasPrefix("Message-ID:") ? 998 : 78, "line too long: \(line)")
            XCTAssertTrue(line.unicodeScalars.allSatisfy(\.isASCII), "non-ASCII on the wire: \(line)")
        }
    }

    func testLongUnicodeNamesAndLookalikesSurviveTheRoundTrip() throws {
        var p = Fixture.zoe
        p.displayName = "Željko Åsa-Ørnulf Þórðarson Nguyễn Thị Minh Khai 山田太郎 =?utf-8?q?not_encoded?="
        let parsed = try parse([try mail(p)])
        // Python's address parser puts a space between adjacent encoded words (RFC 2047 says to drop
        // whitespace there; mail clients do). The words are split after a space, so only the width differs.
        let displayName = try XCTUnwrap(parsed[0]["to_display_name"] as? String)
        XCTAssertEqual(displayName.split(separator: " ").joined(separator: " "), p.displayName)
        XCTAssertEqual(parsed[0]["subject"] as? String, "Your Kubernetes lab k8s-2026-11: access for \(p.displayName)")
        XCTAssertEqual(parsed[0]["defects"] as? [String], [])
    }

    func testSenderAndQuotedDisplayNames() throws {
        let from = try MailAddress("lab@example.org", displayName: "Lab \"K8s\", Team")
        let parsed = try parse([try mail(Fixture.jane, from: from)])
        XCTAssertEqual(parsed[0]["from"] as? String, "\"Lab \\\"K8s\\\", Team\" <lab@example.org>")
        XCTAssertEqual(parsed[0]["to_display_name"] as? String, "Doe, Jane \"JD\"")
    }

    func testRefusesAddressesThatCouldInjectHeaders() {
        for bad in ["a@b.org\r\nBcc: x@y.org", "no-at-sign", "a b@c.org", "a@b", "<a@b.org>", "zoë@example.org"] {
            XCTAssertThrowsError(try MailAddress(bad), bad)
        }
        XCTAssertThrowsError(try Golden.renderer().mail(session: Fixture.session, participant: Fixture.bobby,
                                                       from: try MailAddress("lab@example.org"))) { error in
            XCTAssertTrue("\(error)".contains("bobby.tables has no e-mail address"), "\(error)")
        }
    }

    func testHeaderValuesCannotBreakOutOfTheirLine() throws {
        var p = Fixture.jane
        p.displayName = "Jane\r\nBcc: victim@example.org"
        let eml = try mail(p).rendered
        let headers = eml.components(separatedBy: "\r\n\r\n")[0]
        XCTAssertFalse(headers.components(separatedBy: "\r\n").contains { $0.hasPrefix("Bcc:") })
    }
}
