import Foundation
import LabSheets
import LabTestSupport
import XCTest

/// Compares rendered output with the hand-written files in `Golden/`.
enum Golden {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Golden")

    static func text(_ name: String) throws -> String {
        try String(contentsOf: directory.appendingPathComponent(name), encoding: .utf8)
    }

    /// The templates as they ship in `mail-templates/`.
    static func renderer() throws -> SheetRenderer {
        SheetRenderer(templates: try TemplateSet(directory: RepositoryPaths.mailTemplates, displayPath: "mail-templates"))
    }

    /// Fails with the first differing line, so a broken template reads as a sentence, not a wall of text.
    static func assertMatches(_ actual: String, _ name: String, file: StaticString = #filePath, line: UInt = #line) throws {
        let expected = try text(name)
        guard actual != expected else { return }
        let a = actual.components(separatedBy: "\n"), e = expected.components(separatedBy: "\n")
        let index = Array(zip(a, e)).firstIndex { $0.0 != $0.1 } ?? min(a.count, e.count)
        let got = index < a.count ? a[index] : "<end of output>"
        let want = index < e.count ? e[index] : "<end of golden file>"
        XCTFail("\(name) differs at line \(index + 1):\n  expected: \(want)\n  actual:   \(got)", file: file, line: line)
    }
}
