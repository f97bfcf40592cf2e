import ArgumentParser
import Foundation
import LabCore
import LabStore
import LabWorkflows

/// `labctl keys import <session> [DIR]`: the file-based workflow's key folder.
struct KeysImport: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Import participants/<session>/*.pub into the registry (file name = participant name).",
        discussion: """
        Imports every valid key, reports every file, and exits 1 if any was invalid.
        Re-running changes nothing; a changed file replaces that participant's key.
          labctl keys import session-1
          labctl keys import session-1 ~/Downloads/keys
        """
    )

    @OptionGroup var target: SessionTarget
    @Argument(help: ArgumentHelp("The folder with <first.last>.pub files (default: participants/<session>/).", valueName: "dir")) var directory: String?

    func run() throws {
        let lab = target.lab
        let dir = directory.map { URL(fileURLWithPath: $0) } ?? lab.participantsDirectory(target.session)
        let files = KeyFiles(directory: dir)
        let registry = try lab.openRegistry()
        let results: [KeyFiles.ImportResult]
        let cap = try ParticipantCap(files: lab.files).cap(for: target.session)
        do { results = try files.importAll(into: registry, session: target.session, participantCap: cap) } catch let e as KeyFilesError {
            throw LabFailure.usage(e.description)
        }
        var counts = (added: 0, replaced: 0, unchanged: 0, invalid: 0)
        for r in results {
            let path = lab.display(dir.appendingPathComponent(r.file))
            switch r.outcome {
            case .success(.added(let p)):
                counts.added += 1
                print("\(Terminal.green(Terminal.ok)) \(path): added \(p.name) as \(p.discreteID), \(p.podCIDR), \(p.fingerprint)")
            case .success(.keyReplaced(let p, let previous)):
                counts.replaced += 1
                print("\(Terminal.green(Terminal.ok)) \(path): replaced the key of \(p.name) (\(previous) → \(p.fingerprint))")
            case .success(.unchanged(let p)):
                counts.unchanged += 1
                print("\(Terminal.ok) \(path): unchanged (\(p.name), \(p.fingerprint))")
            case .failure(let e):
                counts.invalid += 1
                print("\(Terminal.red(Terminal.bad)) \(path): \(e.description)")
            }
        }
        print("\(target.session): \(counts.added) added, \(counts.replaced) replaced, \(counts.unchanged) unchanged, \(counts.invalid) invalid (\(results.count) files)")
        if counts.invalid > 0 { throw LabFailure.silentNotOK }
    }
}
