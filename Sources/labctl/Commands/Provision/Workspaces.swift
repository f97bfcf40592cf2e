import ArgumentParser
import Foundation
import LabProvision

/// `labctl workspaces`: sessions configured vs sessions with Terraform state.
struct Workspaces: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "List Terraform workspaces (one per session) and whether each has a config.",
        discussion: "--json prints [{workspace, has_config, has_state}]."
    )
    @OptionGroup var global: GlobalOptions
    @Flag(help: "Print JSON.") var json = false

    struct Row: Encodable { var workspace: String; var has_config: Bool; var has_state: Bool }

    func run() async throws {
        let lab = global.lab
        let withState = Set(lab.provisioner().workspaces())
        let configured = Set(lab.files.configuredSessions())
        let rows = withState.union(configured).sorted().map { Row(workspace: $0, has_config: configured.contains($0), has_state: withState.contains($0)) }
        if json { return try JSONOutput.print(rows) }
        print(TextTable(header: ["WORKSPACE", "CONFIG", "STATE"]).render(rows.map { [$0.workspace, $0.has_config ? "yes" : "missing", $0.has_state ? "yes" : "-"] }))
    }
}

/// `labctl switch <session>`: only for Terraform commands typed by hand.
struct Switch: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Select a session's workspace for Terraform commands you run by hand in terraform/session.",
        discussion: "labctl itself never relies on the selected workspace: every run gets TF_WORKSPACE=<session>."
    )
    @OptionGroup var target: SessionTarget

    func run() throws {
        let lab = target.lab
        _ = try lab.sessionConfig(target.session)
        let dir = lab.layout.sessionStack.appendingPathComponent(".terraform")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        try Data(target.session.utf8).write(to: dir.appendingPathComponent("environment"))
        print("\(Terminal.green(Terminal.ok)) terraform/session now defaults to workspace \(target.session) (for manual terraform commands).")
    }
}

/// `labctl unlock <session> <lock-id>`.
struct Unlock: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Remove a stale Terraform state lock of a session (terraform force-unlock).",
        discussion: "Only when no Terraform run for that session is alive; the lock id is in the error Terraform printed."
    )
    @OptionGroup var target: SessionTarget
    @Argument(help: "The lock id Terraform reported.") var lockID: String

    func run() async throws {
        let lab = target.lab
        let p = lab.provisioner()
        let log = lab.layout.logFile(target.session, verb: "unlock")
        let status = try await TerraformProcess.run(["force-unlock", "-force", "-no-color", lockID], settings: p.settings,
                                                    directory: lab.layout.sessionStack, workspace: target.session, log: log)
        guard status == 0 else { throw LabFailure.notOK("unlock of \(target.session) failed (exit \(status)); see \(lab.display(log)).") }
        print("\(Terminal.green(Terminal.ok)) released state lock \(lockID) of \(target.session)")
    }
}

/// `labctl init`: initialise the Terraform stacks once.
struct Init: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Initialise the Terraform stacks (providers, backend); other verbs do it on first use.",
        discussion: "Offline machines: set LABCTL_TF_PLUGIN_DIR to the provider mirror."
    )
    @OptionGroup var global: GlobalOptions

    func run() async throws {
        let lab = global.lab
        let p = lab.provisioner()
        for stack in [lab.layout.networkStack, lab.layout.sessionStack] {
            try await p.ensureInitialised(stack: stack, force: true, log: lab.layout.logFile("_\(stack.lastPathComponent)", verb: "init"))
            print("\(Terminal.green(Terminal.ok)) initialised terraform/\(stack.lastPathComponent)")
        }
    }
}
