import ArgumentParser
import Foundation
import LabStore
import LabWorkflows

/// Options every command shares: where the lab is and which database to use.
struct GlobalOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("The lab directory (sessions/, participants/, terraform/, mail-templates/). Default: $LABCTL_ROOT, else the nearest ancestor with sessions/ and terraform/, else the current directory.", valueName: "dir"))
    var root: String?

    @Option(name: .long, help: ArgumentHelp("The SQLite database. Default: $LABCTL_DB, else <root>/.labctl/lab.sqlite.", valueName: "path"))
    var db: String?

    var lab: Lab { Lab(rootOption: root, dbOption: db) }
}

/// The resolved lab directory and database path.
struct Lab {
    let root: URL
    let databasePath: String

    init(rootOption: String?, dbOption: String?, environment: [String: String] = ProcessInfo.processInfo.environment) {
        let cwd = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
        if let explicit = rootOption ?? environment["LABCTL_ROOT"], !explicit.isEmpty {
            root = URL(fileURLWithPath: explicit, relativeTo: cwd).standardizedFileURL
        } else {
            root = Lab.nearestLabDirectory(from: cwd) ?? cwd
        }
        if let db = dbOption ?? environment["LABCTL_DB"], !db.isEmpty {
            databasePath = URL(fileURLWithPath: db, relativeTo: cwd).standardizedFileURL.path
        } else {
            databasePath = root.appendingPathComponent(".labctl/lab.sqlite").path
        }
    }

    static func nearestLabDirectory(from start: URL) -> URL? {
        var dir = start.standardizedFileURL
        let fm = FileManager.default
        while true {
            if fm.fileExists(atPath: dir.appendingPathComponent("sessions").path),
               fm.fileExists(atPath: dir.appendingPathComponent("terraform").path) {
                return dir
            }
            let parent = dir.deletingLastPathComponent()
            if parent.path == dir.path { return nil }
            dir = parent
        }
    }

    var sessionsDirectory: URL { files.sessionsDirectory }
    func participantsDirectory(_ session: String) -> URL { root.appendingPathComponent("participants").appendingPathComponent(session) }
    func sessionFile(_ session: String) -> URL { files.sessionFile(session) }

    func openRegistry() throws -> Registry {
        try Registry(path: databasePath, pool: try PodPoolSetting.fromEnvironment())
    }

    /// The registry when its database exists, else nil: reading commands (status, cost,
    /// list) must not create a database as a side effect.
    func existingRegistry() throws -> Registry? {
        FileManager.default.fileExists(atPath: databasePath) ? try openRegistry() : nil
    }

    /// The lab's files as the use cases read them.
    var files: LabFiles { LabFiles(root: root) }

    /// What every use case works on: opens the registry once per command.
    func openContext() throws -> LabContext { LabContext(registry: try openRegistry(), root: root) }

    /// Relative to the root when inside it, for shorter messages.
    func display(_ url: URL) -> String { files.display(url) }
}
