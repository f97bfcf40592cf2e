import ArgumentParser
import Foundation
import LabCore
import LabStore
import LabWorkflows

/// `labctl keys import <session> [DIR]`: the file-based workflow's key folder.
struct KeysImport: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Import participants/<session>/*.pub into the registry (file name = participant name).",
        discussion: """
        Imports every valid key, reports every file, and exits 1 if any was invalid.
        Re-running changes nothing; a changed file replaces that participant's key (after
        apply also on their cluster's nodes, over SSH, as `labctl keys push` does).
          labctl keys import session-1
          labctl keys import session-1 ~/Downloads/keys
        """
    )

    @OptionGroup var target: SessionTarget
    @Argument(help: ArgumentHelp("The folder with <first.last>.pub files (default: participants/<session>/).", valueName: "dir")) var directory: String?
    @OptionGroup(title: "Keys replaced after deploy") var push: KeyPushOptions

    func run() async throws {
        let lab = target.lab
        let dir = directory.map { URL(fileURLWithPath: $0) } ?? lab.participantsDirectory(target.session)
        let files = KeyFiles(directory: dir)
        let context = try lab.openContext()
        let registry = context.registry
        let results: [KeyFiles.ImportResult]
        let cap = try ParticipantCap(files: lab.files).cap(for: target.session)
        do { results = try files.importAll(into: registry, session: target.session, participantCap: cap) } catch let e as KeyFilesError {
            throw LabFailure.usage(e.description)
        }
        var counts = (added: 0, replaced: 0, unchanged: 0, invalid: 0)
        var replaced: [String] = []
        for r in results {
            let path = lab.display(dir.appendingPathComponent(r.file))
            switch r.outcome {
            case .success(.added(let p)):
                counts.added += 1
                print("\(Terminal.green(Terminal.ok)) \(path): added \(p.name) as \(p.discreteID), \(p.podCIDR), \(p.fingerprint)")
            case .success(.keyReplaced(let p, let previous)):
                counts.replaced += 1
                replaced.append(p.name)
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
        // After deploy: each replaced key onto its cluster's nodes (nothing to do before).
        var notPushed = 0
        if !replaced.isEmpty, try registry.hasClusters(session: target.session) {
            for name in replaced {
                let outcome = try await PushParticipantKey(context).run(try push.request(session: target.session, participant: name))
                if case .noCluster = outcome { continue }
                do { try KeyPushOptions.report(outcome, session: target.session) } catch let failure as LabFailure {
                    notPushed += 1
                    print(failure.message)
                }
            }
        }
        if counts.invalid > 0 || notPushed > 0 { throw LabFailure.silentNotOK }
    }
}
