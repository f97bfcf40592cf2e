import ArgumentParser
import LabCore
import LabStore

/// `labctl close <session>`: stops self-service intake.
struct Close: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "close",
        abstract: "Close self-service key intake for a session: its join link stops working.",
        discussion: """
        Participants who already joined keep their personal links (to see their
        entry and connection sheet). Re-open with `labctl open <session>` (same link).
          labctl close session-1
        --json prints {session, intake}.
        """
    )

    @OptionGroup var target: SessionTarget
    @Flag(help: "Print JSON.") var json = false

    struct Output: Encodable {
        var session: String
        var intake: String
    }

    func run() throws {
        guard try target.lab.openRegistry().closeIntake(session: target.session, via: .cli) != nil else {
            throw LabFailure.notOK("intake for \(target.session) was never opened; nothing to close (`labctl open \(target.session)` opens it).")
        }
        if json { return try JSONOutput.print(Output(session: target.session, intake: "closed")) }
        print("\(Terminal.green(Terminal.ok)) intake for \(target.session) is closed: its join link no longer works")
    }
}
