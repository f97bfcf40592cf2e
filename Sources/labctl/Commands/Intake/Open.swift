import ArgumentParser
import Foundation
import LabCore
import LabStore
import LabWorkflows

/// `labctl open <session>`: opens self-service intake and prints the join link.
struct Open: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "open",
        abstract: "Open self-service key intake for a session and print its join link.",
        discussion: """
        Participants open the link, enter their name and paste or upload their
        ~/.ssh/id_ed25519.pub; `labctl serve` must be running. Re-running prints
        the same link; --new-code makes a new one (the old one stops working).
          labctl open session-1
          labctl open session-1 --public-url https://lab.example.org
        --json prints {session, intake, join_url}.
        """
    )

    @OptionGroup var target: SessionTarget
    @Flag(name: .customLong("new-code"), help: "Replace the enrollment code; the old join link stops working.") var newCode = false
    @Option(name: .customLong("public-url"), help: ArgumentHelp("The address participants use. Default: $LABCTL_PUBLIC_URL, else the lab's running `labctl serve`, else http://$LABCTL_HOST:$LABCTL_PORT (127.0.0.1:8080).", valueName: "url"))
    var publicURL: String?
    @Flag(help: "Print JSON.") var json = false

    struct Output: Encodable {
        var session: String
        var intake: String
        var join_url: String?
    }

    func run() throws {
        let lab = target.lab
        let environment = ProcessInfo.processInfo.environment
        let configured = publicURL != nil || ["LABCTL_PUBLIC_URL", "LABCTL_HOST", "LABCTL_PORT"].contains { !(environment[$0] ?? "").isEmpty }
        let running = configured ? nil : RunningIntake.find(database: lab.databasePath)
        let address = try IntakeAddress(host: nil, port: nil, publicURL: publicURL ?? running?.baseURL)
        let registry = try lab.openRegistry()
        let inRegistry = try registry.sessions().contains { $0.name == target.session }
        let known = inRegistry || FileManager.default.fileExists(atPath: lab.sessionFile(target.session).path)
        guard known else {
            throw LabFailure.usage("no session \(target.session): neither \(lab.display(lab.sessionFile(target.session))) nor registry entries exist. Create it with `labctl create-config \(target.session) --ssh-from CIDR`.")
        }
        let record = try registry.openIntake(session: target.session, rotate: newCode, via: .cli)
        let url = "\(address.baseURL)/join/\(record.code)"
        if json { return try JSONOutput.print(Output(session: target.session, intake: "open", join_url: url)) }
        print("\(Terminal.green(Terminal.ok)) intake for \(target.session) is open\(newCode ? " with a new code" : ""): \(url)")
        print("  Participants open this link while `labctl serve` runs; stop intake with `labctl close \(target.session)`.")
    }
}
