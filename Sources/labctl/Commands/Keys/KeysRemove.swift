import ArgumentParser
import LabStore

/// `labctl keys remove <session> <name>`.
struct KeysRemove: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "remove",
        abstract: "Remove a participant (and their keys) from a session; their pod network is freed."
    )

    @OptionGroup var target: SessionTarget
    @Argument(help: "The participant's name (first.last).") var name: String

    func run() throws {
        try target.lab.openRegistry().removeParticipant(session: target.session, name: name, via: .cli)
        print("\(Terminal.green(Terminal.ok)) removed \(name) from \(target.session)")
    }
}
