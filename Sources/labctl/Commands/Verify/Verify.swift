import ArgumentParser
import Foundation
import LabCore
import LabStore
import LabWorkflows
import LabVerify

/// `labctl verify <session>`: is every participant's cluster really usable?
struct Verify: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Check over SSH that every participant's master is ready: key, cloud-init, kubeadm, all nodes.",
        discussion: """
        One SSH connection per master (libssh2), --parallel at a time, each within
        --host-timeout. Checks, in order, each pass, pending, fail or skipped:
          tcp              the port answers
          hostkey          pinned on first sight; a changed key fails and nothing
                           else is tried on that host
          auth             the session's operator key, as --user
          participant-key  the participant's key is in ~/.ssh/authorized_keys
          cloud-init       `cloud-init status` is done
          kubeadm          admin.conf; 1 + worker_count nodes Ready; control
                           plane, CoreDNS and calico-node Ready

          labctl verify session-1                       # after `labctl apply`
          labctl verify session-1 --wait --timeout 20m  # until all are ready
          labctl verify session-1 --participant jane.doe --json
          labctl verify session-1 --inventory masters.json --user root \\
              --identity ~/.ssh/id_ed25519

        Addresses: what `labctl apply` / `labctl output` recorded (port 22), or
        --inventory FILE: {"jane.do": {"host": "127.0.0.1", "port": 22022}}.
        Results and pinned host keys go to the registry (sheets print the keys).
        After a deliberate re-deploy of a master: --forget-host-key <id>.
        Exit: 0 every selected master ready, 1 some not, 2 usage/environment error.
        """
    )

    @OptionGroup var global: GlobalOptions
    @Argument(help: "The session (sessions/<name>.tfvars).") var session: String
    @Flag(help: "Re-check masters that are not ready, with backoff, until all are ready or --timeout passes.") var wait = false
    @Option(help: ArgumentHelp("How long --wait keeps trying (90s, 15m, 1h).", valueName: "duration"))
    var timeout = DurationArgument(seconds: 15 * 60)
    @Option(name: .customLong("host-timeout"), help: ArgumentHelp("Budget for one master's whole check (TCP, SSH, remote commands).", valueName: "duration"))
    var hostTimeout = DurationArgument(seconds: 20)
    @Flag(help: "Print JSON: one object per participant.") var json = false
    @Option(help: ArgumentHelp("How many masters are checked at once.", valueName: "n")) var parallel = 32
    @Option(help: ArgumentHelp("JSON inventory {\"<discrete id>\": {\"host\": …, \"port\": …}} replacing the recorded addresses.", valueName: "file"))
    var inventory: String?
    @Option(name: .customLong("participant"), help: ArgumentHelp("Only this participant (name or discrete id); repeatable.", valueName: "name"))
    var participants: [String] = []
    @Option(help: ArgumentHelp("Login user on the masters.", valueName: "user")) var user = "ubuntu"
    @Option(help: ArgumentHelp("Private key file to log in with instead of the session's operator key.", valueName: "file"))
    var identity: String?
    @Option(name: .customLong("expect-workers"), help: ArgumentHelp("Workers per cluster (default: worker_count from sessions/<session>.tfvars).", valueName: "n"))
    var expectWorkers: Int?
    @Option(name: .customLong("forget-host-key"), help: ArgumentHelp("Forget the pinned host key of this discrete id before checking (after a deliberate re-deploy); repeatable.", valueName: "id"))
    var forgetHostKeys: [String] = []

    func validate() throws {
        try SessionName.validateArgument(session)
        if parallel < 1 { throw ValidationError("--parallel must be at least 1.") }
        if let n = expectWorkers, n < 0 { throw ValidationError("--expect-workers must be 0 or more.") }
        if user.isEmpty { throw ValidationError("--user must not be empty.") }
    }

    func run() async throws {
        let lab = global.lab
        guard FileManager.default.fileExists(atPath: lab.databasePath) else {
            throw LabFailure.usage("\(lab.display(URL(fileURLWithPath: lab.databasePath))): no registry yet, so session \(session) has nobody to verify.\n  Add participants first (`labctl keys import \(session)`), then `labctl apply \(session)`.")
        }
        let registry = try lab.openRegistry()
        // Nobody to verify is the first thing to say (the use case says it); then worker_count.
        let workers = try registry.participants(in: session).isEmpty ? 0 : try expectedWorkers(lab)
        var request = VerifySession.Request(session: session, workers: workers)
        request.participants = participants
        request.user = user
        request.identity = try identityFile()
        request.hostTimeout = hostTimeout.seconds
        request.parallel = parallel
        request.forgetHostKeys = forgetHostKeys
        if let inventory {
            request.inventory = try VerifyInventory.load(inventory)
            request.inventoryName = inventory
        }
        if wait { Terminal.note("Waiting up to \(DurationArgument.format(timeout.seconds)) for the masters of \(session)…") }
        let live = Terminal.stderrColor
        let outcome = try await VerifySession(registry: registry).run(
            request, wait: wait, timeout: timeout.seconds,
            onRound: { Terminal.note(VerifyRendering.progressLine($0)) },
            onReport: { if live { Terminal.note(VerifyRendering.hostLine($0)) } })
        for id in outcome.strangers { Terminal.warning("\(inventory ?? "inventory"): \(id) is not a participant of \(session); ignored.") }

        let ordered = outcome.reports
        if json {
            try JSONOutput.print(ordered.map(VerifyRendering.JSONReport.init))
        } else {
            print(VerifyRendering.table(ordered, names: outcome.names))
            let ready = ordered.filter(\.ready).count
            print("\(ready)/\(ordered.count) ready" + (ready == ordered.count ? "" : "; \(VerifyRendering.nextStep(ordered, session: session, wait: wait))"))
        }
        if !outcome.allReady { throw LabFailure.silentNotOK }
    }

    // MARK: Inputs

    private func expectedWorkers(_ lab: Lab) throws -> Int {
        if let expectWorkers { return expectWorkers }
        do {
            return try lab.sessionConfig(session).workerCount
        } catch let failure as WorkflowError {
            throw LabFailure.usage(failure.message + "\n  verify reads worker_count from it; or pass --expect-workers N.")
        }
    }

    /// `--identity FILE`, checked to be a private key; nil: the session's operator key.
    private func identityFile() throws -> SSHIdentity? {
        guard let identity else { return nil }
        let path = URL(fileURLWithPath: (identity as NSString).expandingTildeInPath).path
        guard let text = FileManager.default.contents(atPath: path).map({ String(decoding: $0, as: UTF8.self) }) else {
            throw LabFailure.usage("--identity \(identity): cannot read the private key file.\n  Pass the private half (e.g. ~/.ssh/id_ed25519), readable by you.")
        }
        guard text.contains("PRIVATE KEY") else {
            throw LabFailure.usage("--identity \(identity): this is not a private key file (a .pub file?).\n  Pass the private half, e.g. ~/.ssh/id_ed25519 rather than ~/.ssh/id_ed25519.pub.")
        }
        return .file(path: path)
    }
}
