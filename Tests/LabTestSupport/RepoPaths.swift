import Foundation

/// Files of this repository that tests use as they ship: `mail-templates/`, `Tests/tools/`.
public enum RepoPaths {
    /// The repository root, found from this source file's path.
    public static let root: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent() // LabTestSupport
        .deletingLastPathComponent() // Tests
        .deletingLastPathComponent()

    public static var mailTemplates: URL { root.appendingPathComponent("mail-templates") }
    public static func tool(_ name: String) -> URL { root.appendingPathComponent("Tests/tools").appendingPathComponent(name) }
}
