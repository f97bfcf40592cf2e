import Foundation
import LabTestSupport
import XCTest

/// `scripts/import-check.py`: a target importing what it does not declare, or declaring
/// what it does not import, fails the check; Python kept in a Swift string does not count.
final class ImportCheckScriptTests: XCTestCase {
    var dir: TemporaryDirectory!
    override func setUpWithError() throws { dir = try TemporaryDirectory("import-check") }
    override func tearDown() { dir.remove() }

    /// A package of two targets, App (depending on `appDependencies`) and Core, as
    /// `swift package dump-package` describes it, checked from the package's folder.
    private func check(appImports: String, appDependencies: [[String: Any]]) throws -> Shell.Output {
        _ = try dir.write("Sources/Core/Core.swift", "import Foundation\npublic let core = 1\n")
        _ = try dir.write("Sources/App/main.swift", appImports + "\nlet script = \"\"\"\nimport json\n\"\"\"\n")
        let package: [String: Any] = ["targets": [
            ["name": "App", "type": "executable", "dependencies": appDependencies],
            ["name": "Core", "type": "regular", "dependencies": []],
        ]]
        let script = RepositoryPaths.root.appendingPathComponent("scripts/import-check.py").path
        return try Shell.run("/usr/bin/python3", [script], input: try JSONSerialization.data(withJSONObject: package),
                             directory: dir.url)
    }

    func testMatchingManifestPasses() throws {
        let r = try check(appImports: "import Core\nimport Glibc\nimport Logging",
                          appDependencies: [["byName": ["Core", NSNull()]],
                                            ["product": ["Logging", "swift-log", NSNull(), NSNull()]]])
        XCTAssertEqual(r.status, 0, r.stdout + r.stderr)
        XCTAssertTrue(r.stdout.contains("2 targets import exactly what Package.swift declares"), r.stdout)
    }

    func testAnUndeclaredImportAndAnUnusedDependencyFail() throws {
        let r = try check(appImports: "@testable import Core\nimport NIOCore",
                          appDependencies: [["byName": ["Core", NSNull()]],
                                            ["product": ["Logging", "swift-log", NSNull(), NSNull()]]])
        XCTAssertEqual(r.status, 1, r.stdout + r.stderr)
        XCTAssertTrue(r.stdout.contains("App: imports NIOCore (Sources/App/main.swift) without declaring it"), r.stdout)
        XCTAssertTrue(r.stdout.contains("App: declares Logging but no file imports it"), r.stdout)
        XCTAssertFalse(r.stdout.contains("json"), "Python in a Swift string is not an import: \(r.stdout)")
        XCTAssertFalse(r.stdout.contains("Core:"), r.stdout)
    }
}
