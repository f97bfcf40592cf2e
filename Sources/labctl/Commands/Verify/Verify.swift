import ArgumentParser
import Foundation
import LabCore
import LabStore
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
        do { try SessionName.validate(session) } catch { throw ValidationError(error.description) }
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
        let selected = try selectParticipants(registry)
        let workers = try expectedWorkers(lab)
        let login = try loginIdentity(registry, lab: lab)
        let addresses = try self.addresses(registry, lab: lab)
        for id in forgetHostKeys { try registry.unpinHostKey(session: session, discreteID: id) }

        var targets: [MasterTarget] = []
        var unaddressed: [MasterReport] = []
        for p in selected {
            if let a = addresses[p.discreteID] {
                targets.append(MasterTarget(participant: p.discreteID, host: a.host, port: a.port ?? 22, participantKeyFingerprint: p.fingerprint))
            } else {
                var checks = CheckSet()
                checks[.tcp] = .fail(inventory == nil
                    ? "no master address recorded; run `labctl output \(session)` after `labctl apply \(session)`"
                    : "not in \(inventory!)")
                checks.fillUnset(.skipped("not attempted: no address"))
                unaddressed.append(MasterReport(target: MasterTarget(participant: p.discreteID, host: "", port: 0, participantKeyFingerprint: p.fingerprint),
                                                checks: checks, nodesReady: nil, nodesExpected: 1 + workers, hostKey: nil))
            }
        }
        if let inventory {
            let known = Set(selected.map(\.discreteID))
            let all = Set(try registry.participants(in: session).map(\.discreteID))
            for id in addresses.keys.sorted() where !all.contains(id) && !known.contains(id) {
                Terminal.warning("\(inventory): \(id) is not a participant of \(session); ignored.")
            }
        }

        let options = VerifyOptions(user: user, identity: login, expectedNodes: 1 + workers,
                                    hostTimeout: hostTimeout.seconds, parallel: parallel)
        let verifier = ReadinessVerifier(options: options, pinning: try RegistryHostKeyPins(registry: registry, session: session))
        let reports: [MasterReport]
        let notAttempted = unaddressed
        if wait {
            Terminal.note("Waiting up to \(DurationArgument.format(timeout.seconds)) for \(targets.count) master(s) of \(session)…")
            reports = await verifier.waitUntilReady(targets, timeout: timeout.seconds) { round in
                Terminal.note(VerifyRendering.progressLine(round + notAttempted))
            }
        } else {
            let live = Terminal.stderrColor
            reports = await verifier.verify(targets) { report in
                if live { Terminal.note(VerifyRendering.hostLine(report)) }
            }
        }

        let byID = Dictionary(uniqueKeysWithValues: (reports + unaddressed).map { ($0.target.participant, $0) })
        let ordered = selected.compactMap { byID[$0.discreteID] }
        try registry.saveVerifications(try reports.map { try VerifyRendering.record($0, session: session) })
        let names = Dictionary(uniqueKeysWithValues: selected.map { ($0.discreteID, $0.name) })
        if json {
            try JSONOutput.print(ordered.map(VerifyRendering.JSONReport.init))
        } else {
            print(VerifyRendering.table(ordered, names: names))
            let ready = ordered.filter(\.ready).count
            print("\(ready)/\(ordered.count) ready" + (ready == ordered.count ? "" : "; \(VerifyRendering.nextStep(ordered, session: session, wait: wait))"))
        }
        if !ordered.allSatisfy(\.ready) { throw LabFailure.silentNotOK }
    }

    // MARK: Inputs

    private func selectParticipants(_ registry: Registry) throws -> [Participant] {
        let everyone = try registry.participants(in: session)
        guard !everyone.isEmpty else {
            throw LabFailure.usage("session \(session) has no participants, so there is nothing to verify.\n  Add some with `labctl keys import \(session)` or `labctl open \(session)`, then `labctl apply \(session)`.")
        }
        guard !participants.isEmpty else { return everyone }
        var chosen: [Participant] = []
        for wanted in participants {
            guard let p = everyone.first(where: { $0.name == wanted || $0.discreteID == wanted }) else {
                throw LabFailure.usage("--participant \(wanted): no such participant in \(session).\n  See `labctl keys list \(session)` for names and discrete ids.")
            }
            if !chosen.contains(p) { chosen.append(p) }
        }
        return chosen
    }

    private func expectedWorkers(_ lab: Lab) throws -> Int {
        if let expectWorkers { return expectWorkers }
        do {
            return try lab.sessionConfig(session).workerCount
        } catch let failure as LabFailure {
            throw LabFailure.usage(failure.message + "\n  verify reads worker_count from it; or pass --expect-workers N.")
        }
    }

    private func loginIdentity(_ registry: Registry, lab: Lab) throws -> SSHIdentity {
        if let identity {
            let path = URL(fileURLWithPath: (identity as NSString).expandingTildeInPath).path
            guard let text = FileManager.default.contents(atPath: path).map({ String(decoding: $0, as: UTF8.self) }) else {
                throw LabFailure.usage("--identity \(identity): cannot read the private key file.\n  Pass the private half (e.g. ~/.ssh/id_ed25519), readable by you.")
            }
            guard text.contains("PRIVATE KEY") else {
                throw LabFailure.usage("--identity \(identity): this is not a private key file (a .pub file?).\n  Pass the private half, e.g. ~/.ssh/id_ed25519 rather than ~/.ssh/id_ed25519.pub.")
            }
            return .file(path: path)
        }
        guard let secret = try registry.sessionSecret(session) else {
            throw LabFailure.usage("session \(session) has no operator key yet: labctl generates it on the first deploy.\n  Run `labctl apply \(session)` first, or pass --identity FILE with a key the masters accept.")
        }
        return .privateKey(pem: secret.operatorPrivateKey)
    }

    private func addresses(_ registry: Registry, lab: Lab) throws -> [String: VerifyInventory.Address] {
        if let inventory { return try VerifyInventory.load(inventory, lab: lab).addresses }
        let clusters = try registry.clusters(session: session)
        guard !clusters.isEmpty else {
            throw LabFailure.usage("session \(session) has no recorded master addresses.\n  Run `labctl apply \(session)` (or `labctl output \(session)` after an apply), or pass --inventory FILE.")
        }
        var result: [String: VerifyInventory.Address] = [:]
        for c in clusters { if let ip = c.masterPublicIP { result[c.discreteID] = .init(host: ip, port: 22) } }
        return result
    }
}
