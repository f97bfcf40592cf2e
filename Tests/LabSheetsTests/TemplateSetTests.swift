import Foundation
import LabSheets
import LabTestSupport
import XCTest

/// Template problems are reported with the file and line a trainer has to fix.
final class TemplateSetTests: XCTestCase {
    var dir: TemporaryDirectory!

    override func setUpWithError() throws {
        dir = try TemporaryDirectory("templates")
        try FileManager.default.removeItem(at: dir.url)
        try FileManager.default.copyItem(at: RepositoryPaths.mailTemplates, to: dir.url)
    }

    override func tearDown() { dir.remove() }

    func load() throws -> TemplateSet { try TemplateSet(directory: dir.url, displayPath: "mail-templates") }

    func error(_ body: () throws -> Void) -> String {
        do { try body() } catch { return "\(error)" }
        return "no error"
    }

    func testShippedTemplatesLoad() throws {
        XCTAssertNoThrow(try load())
    }

    func testUnclosedSectionNamesFileAndLine() throws {
        try dir.write("sheet.txt.mustache", "line one\nline two\n{{#workers}}\n  {{worker_ip}}\nno closing tag\n")
        let message = error { _ = try load() }
        XCTAssertTrue(message.hasPrefix("mail-templates/sheet.txt.mustache:"), message)
        XCTAssertTrue(message.contains("is never closed"), message)
    }

    func testMismatchedCloseNamesItsLine() throws {
        try dir.write("overview.html.mustache", "<p>\n{{#workers}}\n{{worker_ip}}\n{{/checks}}\n</p>\n")
        let message = error { _ = try load() }
        XCTAssertTrue(message.hasPrefix("mail-templates/overview.html.mustache:4:"), message)
        XCTAssertTrue(message.contains("does not match the section opened before it"), message)
    }

    func testUnknownVariableIsRefusedWithASuggestion() throws {
        try dir.write("mail-subject.txt.mustache", "Lab {{session}}\nfor {{display_nmae}}\n")
        XCTAssertEqual(error { _ = try load() },
                       "mail-templates/mail-subject.txt.mustache:2: unknown variable 'display_nmae'; the variables are listed in mail-templates/README.md. Did you mean {{display_name}}?")
        try dir.write("mail-subject.txt.mustache", "{{! a comment may say {{anything}} }}{{#participants}}{{{ssh_config}}}{{/participants}} {{lowercased(session)}}\n{{> sheet.txt}}")
        XCTAssertNoThrow(try load(), "comments, triple mustaches, transforms and partials are fine")
        try dir.write("mail-subject.txt.mustache", "\n\n{{> sheet.pdf}}")
        XCTAssertTrue(error { _ = try load() }.hasPrefix("mail-templates/mail-subject.txt.mustache:3: unknown partial '{{> sheet.pdf}}'"))
    }

    func testMissingTemplateAndFolderSayWhatToDo() throws {
        try FileManager.default.removeItem(at: dir.file("mail-body.html.mustache"))
        XCTAssertEqual(error { _ = try load() },
                       "mail-templates/mail-body.html.mustache is missing; every template listed in mail-templates/README.md is needed (copy it back from the repository).")
        XCTAssertTrue(error { _ = try TemplateSet(directory: dir.file("nope"), displayPath: "nope") }
            .contains("copy the repository's mail-templates/ folder into the lab directory, or pass --templates DIR"))
    }

    func testReadmeDocumentsEveryVariableAndEveryTemplate() throws {
        let readme = try String(contentsOf: RepositoryPaths.mailTemplates.appendingPathComponent("README.md"), encoding: .utf8)
        for name in TemplateVariables.all { XCTAssertTrue(readme.contains("`\(name)`"), "README lacks `\(name)`") }
        for kind in TemplateKind.allCases { XCTAssertTrue(readme.contains("`\(kind.fileName)`"), "README lacks `\(kind.fileName)`") }
    }

    func testEscapingFollowsTheTemplateKind() throws {
        let name = "A <b>&amp; *star* _under_ \"q\""
        var p = Fixture.zoe
        p.displayName = name
        let r = SheetRenderer(templates: try load())
        XCTAssertTrue(r.sheet(.txt, session: Fixture.session, participant: p).contains("for \(name)\n"), "text: as is")
        XCTAssertTrue(r.sheet(.md, session: Fixture.session, participant: p).contains(#"for A \<b\>&amp; \*star\* \_under\_ "q""#), "Markdown: markup escaped")
        XCTAssertTrue(r.sheet(.html, session: Fixture.session, participant: p).contains("A &lt;b&gt;&amp;amp; *star* _under_ &quot;q&quot;"), "HTML: entities")
    }
}
