import Foundation
import LabSheets
import LabTestSupport
import XCTest

/// The printable HTML as a browser prints it: headless Chromium to PDF, pages counted by pdfinfo.
final class PrintTests: XCTestCase {
    var dir: TemporaryDirectory!

    override func setUpWithError() throws { dir = try TemporaryDirectory("print") }
    override func tearDown() { dir.remove() }

    /// Prints `html` to PDF and returns its page count. Chromium gets only a local file and a
    /// proxy on a closed loopback port, so nothing it might fetch leaves the machine.
    func pages(_ html: String, _ name: String) throws -> Int {
        let input = try dir.write("\(name).html", html)
        let pdf = dir.file("\(name).pdf")
        let profile = dir.file("chromium-profile-\(name)")
        let chromium = try ["chromium", "chromium-browser", "google-chrome"].lazy.compactMap { try? Shell.which($0) }.first
            ?? { throw TestSupportError("chromium not found; scripts/setup.sh installs it") }()
        let r = try Shell.run(chromium, [
            "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-extensions",
            "--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-default-apps",
            "--proxy-server=http://127.0.0.1:9", "--proxy-bypass-list=<-loopback>",
            "--user-data-dir=\(profile.path)", "--no-pdf-header-footer", "--print-to-pdf=\(pdf.path)", input.absoluteString,
        ], environment: ["HOME": dir.path, "PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"])
        guard FileManager.default.fileExists(atPath: pdf.path) else { throw TestSupportError("chromium wrote no PDF: \(r.stderr.suffix(500))") }
        let info = try Shell.run("pdfinfo", [pdf.path])
        let line = try XCTUnwrap(info.stdout.split(separator: "\n").first { $0.hasPrefix("Pages:") })
        return try XCTUnwrap(Int(line.dropFirst(6).trimmingCharacters(in: .whitespaces)))
    }

    func testPrintableSheetsHaveOnePagePerParticipant() throws {
        let r = try Golden.renderer()
        XCTAssertEqual(try pages(r.printable(session: Fixture.session, participants: Fixture.participants), "all"), 3)
        // Five participants, the longest sheet repeated: still one page each, nothing spills over.
        var many = Fixture.participants
        many += [Fixture.zoe, Fixture.zoe]
        XCTAssertEqual(try pages(r.printable(session: Fixture.session, participants: many), "five"), 5)
    }

    func testOneParticipantsSheetIsOnePage() throws {
        let html = try Golden.renderer().sheet(.html, session: Fixture.session, participant: Fixture.zoe)
        XCTAssertEqual(try pages(html, "zoe"), 1)
    }
}
