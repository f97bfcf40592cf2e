import ArgumentParser
import LabStore

/// `labctl keys export <session>`: writes the registry back as key files.
struct KeysExport: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write participants/<session>/<name>.pub for every participant (atomically).",
        discussion: "Removes only files labctl wrote earlier for participants who are gone; your own files stay."
    )

    @OptionGroup var target: SessionTarget

    func run() throws {
        let lab = target.lab
        let registry = try lab.openRegistry()
        let participants = try registry.participants(in: target.session)
        let dir = lab.participantsDirectory(target.session)
        let summary = try KeyFiles(directory: dir).exportAll(participants)
        for f in summary.written { print("\(Terminal.green(Terminal.ok)) wrote \(lab.display(dir.appendingPathComponent(f)))") }
        for f in summary.removed { print("- removed \(lab.display(dir.appendingPathComponent(f))) (participant gone)") }
        print("\(target.session): \(summary.written.count) written, \(summary.unchanged.count) unchanged, \(summary.removed.count) removed")
    }
}
