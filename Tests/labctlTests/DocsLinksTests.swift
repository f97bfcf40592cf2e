import Foundation
import LabTestSupport
import XCTest

/// The README stays a five-minute read and the reference it points to stays reachable:
/// every relative Markdown link resolves (with its `#anchor`, to a heading GitHub would slug
/// the same way), the README is under 10 KiB, and docs/README.md indexes every docs page.
final class DocsLinksTests: XCTestCase {
    private let root = RepositoryPaths.root

    private func checkedFiles() throws -> [URL] {
        let docs = root.appendingPathComponent("docs")
        let pages = try FileManager.default.contentsOfDirectory(atPath: docs.path)
            .filter { $0.hasSuffix(".md") }.sorted().map { docs.appendingPathComponent($0) }
        return [root.appendingPathComponent("README.md")] + pages
            + [root.appendingPathComponent("terraform/README.md"), root.appendingPathComponent("mail-templates/README.md")]
    }

    func testEveryRelativeLinkResolves() throws {
        var broken: [String] = []
        var checked = 0
        for file in try checkedFiles() {
            let text = try String(contentsOf: file, encoding: .utf8)
            let name = String(file.path.dropFirst(root.path.count + 1))
            for target in MarkdownDoc.links(in: text) where MarkdownDoc.isRelative(target) {
                checked += 1
                if let problem = MarkdownDoc.problem(with: target, from: file) { broken.append("\(name): (\(target)) \(problem)") }
            }
        }
        XCTAssertGreaterThan(checked, 20, "expected the README and docs to link to each other")
        XCTAssertEqual(broken, [], "broken links; fix the path or the heading they point to")
    }

    func testReadmeIsShort() throws {
        let size = try Data(contentsOf: root.appendingPathComponent("README.md")).count
        XCTAssertLessThan(size, 10_240, "README.md is \(size) bytes: move reference text into docs/ (listed in docs/README.md)")
    }

    func testDocsIndexListsEveryPage() throws {
        let index = root.appendingPathComponent("docs/README.md")
        let listed = Set(MarkdownDoc.links(in: try String(contentsOf: index, encoding: .utf8))
            .map { String($0.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false)[0]) })
        let pages = try checkedFiles().map(\.path).filter { $0.hasPrefix(root.path + "/docs/") }
            .map { URL(fileURLWithPath: $0).lastPathComponent }.filter { $0 != "README.md" }
        XCTAssertGreaterThan(pages.count, 5)
        XCTAssertEqual(pages.filter { !listed.contains($0) }, [], "docs pages missing from docs/README.md: add one line each")
    }

    func testSlugsFollowGitHub() {
        XCTAssertEqual(MarkdownDoc.slug("A session, step by step"), "a-session-step-by-step")
        XCTAssertEqual(MarkdownDoc.slug("HTTPS for `labctl serve`"), "https-for-labctl-serve")
        XCTAssertEqual(MarkdownDoc.slug("Class day: one participant at a time"), "class-day-one-participant-at-a-time")
        XCTAssertEqual(MarkdownDoc.slug("Upgrade note: lab ids (issue 27.5)"), "upgrade-note-lab-ids-issue-275")
    }

    func testABrokenLinkAndAMissingAnchorAreFound() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("docs-links-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        try "# Page\n\n## A real heading\n".write(to: dir.appendingPathComponent("page.md"), atomically: true, encoding: .utf8)
        let from = dir.appendingPathComponent("README.md")
        XCTAssertNil(MarkdownDoc.problem(with: "page.md#a-real-heading", from: from))
        XCTAssertNotNil(MarkdownDoc.problem(with: "gone.md", from: from))
        XCTAssertNotNil(MarkdownDoc.problem(with: "page.md#no-such-heading", from: from))
        XCTAssertEqual(MarkdownDoc.links(in: "[a](x.md) `[b](y.md)`\n```\n[c](z.md)\n```\n"), ["x.md"])
    }
}

/// Just enough Markdown for link checking: links outside code, headings outside fences.
enum MarkdownDoc {
    static func isRelative(_ target: String) -> Bool {
        !(target.contains("://") || target.hasPrefix("mailto:") || target.hasPrefix("/"))
    }

    /// Link targets of `[text](target)` outside fenced blocks and inline code.
    static func links(in text: String) -> [String] {
        let pattern = try! NSRegularExpression(pattern: #"\]\(([^)\s]+)(?:\s+"[^"]*")?\)"#)
        var found: [String] = []
        for line in proseLines(text) {
            let prose = line.replacingOccurrences(of: #"`[^`]*`"#, with: "", options: .regularExpression)
            let ns = prose as NSString
            for match in pattern.matches(in: prose, range: NSRange(location: 0, length: ns.length)) {
                found.append(ns.substring(with: match.range(at: 1)))
            }
        }
        return found
    }

    /// Why a relative link from `file` does not resolve, or nil when it does.
    static func problem(with target: String, from file: URL) -> String? {
        let parts = target.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
        let path = parts[0].removingPercentEncoding ?? parts[0]
        let destination = path.isEmpty ? file : file.deletingLastPathComponent().appendingPathComponent(path).standardizedFileURL
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: destination.path, isDirectory: &isDirectory), !isDirectory.boolValue else {
            return "no such file: \(destination.path)"
        }
        guard parts.count == 2 else { return nil }
        guard let text = try? String(contentsOf: destination, encoding: .utf8) else { return "unreadable: \(destination.path)" }
        let anchors = headingSlugs(in: text)
        return anchors.contains(parts[1]) ? nil : "no heading with the anchor #\(parts[1]) in \(destination.lastPathComponent)"
    }

    /// GitHub's anchors: each heading's slug, repeats suffixed -1, -2, ….
    static func headingSlugs(in text: String) -> Set<String> {
        var seen: [String: Int] = [:]
        var slugs: Set<String> = []
        for line in proseLines(text) where line.hasPrefix("#") {
            let title = line.drop { $0 == "#" }
            guard title.first == " " else { continue }
            let base = slug(String(title))
            let n = seen[base, default: 0]
            seen[base] = n + 1
            slugs.insert(n == 0 ? base : "\(base)-\(n)")
        }
        return slugs
    }

    /// Lower-cased; letters, digits, `-` and `_` kept; spaces become `-`; the rest dropped.
    static func slug(_ heading: String) -> String {
        let trimmed = heading.trimmingCharacters(in: .whitespaces).lowercased()
        var out = ""
        for scalar in trimmed.unicodeScalars {
            if scalar == " " { out.append("-") }
            else if scalar == "-" || scalar == "_" || CharacterSet.alphanumerics.contains(scalar) { out.unicodeScalars.append(scalar) }
        }
        return out
    }

    /// Lines outside ``` / ~~~ fences.
    private static func proseLines(_ text: String) -> [String] {
        var inFence = false
        var lines: [String] = []
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.hasPrefix("```") || trimmed.hasPrefix("~~~") { inFence.toggle(); continue }
            if !inFence { lines.append(String(line)) }
        }
        return lines
    }
}
