import Foundation
import LabSheets
import LabTestSupport
import XCTest

/// Every output format against hand-written golden files, rendered from the shipped
/// `mail-templates/` with fixture data that has accents, a comma, quotes and `<script>`.
final class GoldenTests: XCTestCase {
    func testTextSheetsMatchGolden() throws {
        let r = try Golden.renderer()
        try Golden.assertMatches(r.sheet(.txt, session: Fixture.session, participant: Fixture.zoe), "zoe.muller-ludenscheidt.txt")
        try Golden.assertMatches(r.sheet(.txt, session: Fixture.session, participant: Fixture.bobby), "bobby.tables.txt")
    }

    func testMarkdownSheetsMatchGoldenAndEscapeMarkup() throws {
        let r = try Golden.renderer()
        try Golden.assertMatches(r.sheet(.md, session: Fixture.session, participant: Fixture.jane), "jane.doe.md")
        let bobby = r.sheet(.md, session: Fixture.session, participant: Fixture.bobby)
        try Golden.assertMatches(bobby, "bobby.tables.md")
        XCTAssertFalse(bobby.contains("<script>"), "a display name must not become raw HTML in Markdown")
    }

    func testPrintableHTMLMatchesGoldenAndEscapesScript() throws {
        let html = try Golden.renderer().printable(session: Fixture.session, participants: Fixture.participants)
        try Golden.assertMatches(html, "sheets-k8s-2026-11.html")
        XCTAssertFalse(html.contains("<script>"))
    }

    func testSingleHTMLSheetHoldsOnlyThatParticipant() throws {
        let html = try Golden.renderer().sheet(.html, session: Fixture.session, participant: Fixture.jane)
        XCTAssertEqual(html.components(separatedBy: "<section class=\"sheet\">").count - 1, 1)
        XCTAssertTrue(html.contains("203.0.113.20"))
        XCTAssertFalse(html.contains("203.0.113.10"), "another participant's address must never be on this sheet")
    }

    func testOverviewMatchesGolden() throws {
        let html = try Golden.renderer().overview(session: Fixture.session, participants: Fixture.participants,
                                                  withSheets: [Fixture.zoe.name, Fixture.jane.name])
        try Golden.assertMatches(html, "index.html")
    }

    func testCSVMatchesGoldenWithCRLFLineEnds() throws {
        let csv = ParticipantTable.csv(Fixture.participants)
        XCTAssertEqual(csv.components(separatedBy: "\r\n").count - 1, 4, "header and three rows, each ended by CRLF")
        try Golden.assertMatches(csv.replacingOccurrences(of: "\r\n", with: "\n"), "participants-k8s-2026-11.csv")
    }

    func testMailMatchesGoldenEml() throws {
        let from = try MailAddress("lab@example.org", displayName: "K8s Lab")
        let mail = try Golden.renderer().mail(session: Fixture.session, participant: Fixture.zoe, from: from, nonce: "1a2b3c4d")
        let eml = mail.rendered
        XCTAssertFalse(eml.replacingOccurrences(of: "\r\n", with: "").contains("\n"), "every line ends with CRLF")
        try Golden.assertMatches(eml.replacingOccurrences(of: "\r\n", with: "\n"), "zoe.muller-ludenscheidt.eml")
    }
}
