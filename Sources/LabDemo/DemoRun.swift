import Foundation
import LabWorkflows
import LabCore
import LabProvision
import LabRehearsal
import LabStore

/// One rehearsal, step by step. Every step is a real labctl command (or the
/// intake's HTTP API) against the demo's lab; the stand-ins are moto for AWS and
/// loopback sshd masters for the EC2 nodes. Progress goes out as `DemoEvent`s and
/// the end as a `DemoReport`; `labctl demo` prints both.
// @unchecked Sendable: the demo runs its steps on one thread; only the signal handler's message closure reads it from another, and reads `facts` after the steps wrote them.
public final class DemoRun: @unchecked Sendable {
    public let plan: DemoPlan
    public let labDir: URL
    public let keep: Bool
    public let removeLabAtEnd: Bool
    public let readyAfter: Double
    let files: LabFiles
    let databasePath: String
    let started = Date()
    private let onEvent: (DemoEvent) -> Void
    var facts = DemoFacts()

    /// The steps run the labctl binary that is running (`DemoSupervisor`); `onEvent` prints.
    public init(plan: DemoPlan, lab labDir: URL, keep: Bool, removeLabAtEnd: Bool, readyAfter: Double,
                onEvent: @escaping (DemoEvent) -> Void) {
        self.plan = plan
        self.labDir = labDir
        self.keep = keep
        self.removeLabAtEnd = removeLabAtEnd
        self.readyAfter = readyAfter
        self.files = LabFiles(root: labDir)
        self.databasePath = labDir.appendingPathComponent(".labctl/lab.sqlite").path
        self.onEvent = onEvent
    }

    public var sessionNames: [String] { plan.sessions.map(\.name) }
    var logs: URL { labDir.appendingPathComponent(".labctl/demo-logs") }

    /// What the demo needs before it creates anything: the checkout's Terraform code
    /// and templates under `source`, and terraform, moto_server and sshd on the PATH.
    public static func checkPrerequisites(source: URL) throws {
        for needed in ["terraform/session", "terraform/network", "mail-templates"] {
            guard FileManager.default.fileExists(atPath: source.appendingPathComponent(needed).path) else {
                throw WorkflowError.usage("\(source.path) has no \(needed)/: run `labctl demo` from the labctl checkout, or pass --root <checkout>.")
            }
        }
        for tool in ["terraform", "moto_server", "sshd"] {
            do { _ = try Executables.find(tool) } catch { throw WorkflowError.usage("\(error) (the demo needs terraform, moto_server and sshd).") }
        }
    }

    func openRegistry() throws -> Registry { try Registry(path: databasePath) }

    /// Runs every step; on success returns what the summary shows (the lab directory
    /// is already removed when `removeLabAtEnd`). On failure everything it started is
    /// stopped and a `WorkflowError.notOK` names the step and the end of its log.
    public func execute() throws -> DemoReport {
        onEvent(.note("labctl demo: rehearsing \(plan.sessions.count) session(s) in \(labDir.path)"))
        let moto = try MotoServer(amisPath: DemoLab.amisFile(labDir).path, directory: labDir.appendingPathComponent(".labctl"))
        facts.motoEndpoint = moto.endpoint
        facts.emulatorEnvironment = moto.environment()
        onEvent(.note("  AWS is emulated: moto_server on \(moto.endpoint). Nothing is created on AWS and nothing costs money."))
        onEvent(.note("  Masters are loopback sshd servers that replay a kubeadm node; only 127.0.0.1 is dialled."))
        var environment = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("LABCTL_") || $0.key == "LABCTL_TF_PLUGIN_DIR" }
        environment.merge(moto.environment()) { _, b in b }
        environment["LABCTL_ROOT"] = labDir.path
        environment["LABCTL_DB"] = databasePath
        let supervisor = try DemoSupervisor(logDirectory: logs, environment: environment)
        supervisor.onCleanup("moto_server") { [keep] in if !keep { moto.stop() } }
        try recordPID(moto.processIdentifier, "moto_server")
        try recordPID(moto.awsJSON.processIdentifier, "aws-json-emulator")
        supervisor.stopOnSignals { "labctl demo: interrupted; stopping what it started." }

        do {
            try steps(supervisor)
            supervisor.cleanUp()
            if keep { writeEnvironmentFile() }
            let report = DemoReport(plan: plan, labDir: labDir, started: started, facts: facts, keep: keep,
                                    removeLabAtEnd: removeLabAtEnd, firstSheet: firstSheet())
            if removeLabAtEnd { try? FileManager.default.removeItem(at: labDir) }
            return report
        } catch {
            supervisor.cleanUp()
            onEvent(.stepFailed)
            let detail: String
            if let step = error as? DemoSupervisor.StepFailure {
                let tail = ((try? String(contentsOf: step.log, encoding: .utf8)) ?? "")
                    .split(separator: "\n", omittingEmptySubsequences: false).suffix(15).joined(separator: "\n")
                detail = "`\(step.step)` exited \(step.status). Its log, \(step.log.path), ends:\n\(tail)"
            } else {
                detail = "\(error)"
            }
            throw WorkflowError.notOK("the demo stopped: \(detail)\nThe lab directory stays for a look: \(labDir.path) (logs in .labctl/demo-logs/). Everything the demo started has been stopped.")
        }
    }

    private func steps(_ supervisor: DemoSupervisor) throws {
        begin("Creating \(plan.sessions.count) session(s) and participant keys")
        try createSessions(supervisor)
        let keys = try makeKeys()
        end("\(plan.sessions.map { "\($0.name): \($0.people.count) participants, \($0.workers) worker(s) each" }.joined(separator: "; "))")

        begin("Starting the intake service and submitting keys")
        try intake(supervisor, keys: keys)
        end("\(facts.viaWeb) key(s) over HTTP, \(facts.viaFiles) from participants/<session>/ files; intake closed")

        begin("Applying the shared network (real Terraform against the emulator)")
        try supervisor.labctl("network-apply", ["network", "apply", "-y"])
        end("VPC, subnets, internet gateway, routes")

        begin("Applying \(sessionNames.joined(separator: ", ")) in parallel")
        onEvent(.note(""))
        // The emulator has no account quotas to check (moto's Service Quotas knows only VPC codes).
        try supervisor.labctl("apply", ["apply"] + sessionNames + ["-y", "--skip-preflight"], output: .passThrough)
        facts.resources = sessionNames.map { ($0, Self.stateSummary(LabLayout(root: labDir).localState($0))) }
        end("\(facts.resources.map { "\($0.0): \($0.1.resources) resources, \($0.1.instances) instances" }.joined(separator: "; "))")

        begin("Starting one loopback master per participant")
        let inventories = try startMasters(supervisor)
        end("\(facts.masters) sshd on 127.0.0.1, replaying cloud-init and kubeadm becoming ready in ~\(Int(readyAfter)) s")

        begin("Verifying every master (`labctl verify --wait`)")
        onEvent(.note(""))
        for s in plan.sessions {
            let json = try supervisor.labctl("verify-\(s.name)", [
                "verify", s.name, "--wait", "--timeout", "\(Int(readyAfter) + 90)s", "--inventory", inventories[s.name]!.path,
                "--user", facts.loginUser, "--json",
            ], output: .stdoutOnly)
            facts.verification[s.name] = DemoVerification.parse(json)
        }
        end("\(facts.verification.values.flatMap { $0 }.filter(\.ready).count) of \(facts.masters) masters ready")

        begin("A late joiner gets \(sessionNames[0])'s spare cluster (`labctl assign`)")
        end(try DemoLateJoiner.run(self, supervisor: supervisor, inventories: inventories))

        begin("Rendering connection sheets")
        for s in sessionNames {
            try supervisor.labctl("sheets-\(s)", ["sheets", s, "--format", "all"])
        }
        facts.cost = try supervisor.labctl("cost", ["cost"] + sessionNames)
        end("participant-access/<session>/: .txt .md .html .eml per participant, CSV, index.html")
    }

    private func begin(_ title: String) { onEvent(.stepStarted(title)) }
    private func end(_ detail: String) { onEvent(.stepFinished(detail)) }

    // MARK: - Steps

    private func createSessions(_ supervisor: DemoSupervisor) throws {
        for s in plan.sessions {
            // SSH only from the (documentation-range) training room, as a trainer should set it.
            try supervisor.labctl("create-\(s.name)", ["create-config", s.name, "--workers", String(s.workers), "--ssh-from", "203.0.113.0/24"]
                                  + DemoLateJoiner.spareArguments(s.name, plan: plan))
            let file = files.sessionFile(s.name)
            let extra = """
            ami_id        = "\(EmulatedImages.amiID)"
            session_end   = "\(Self.sessionEnd())"
            trainer_name  = "Demo Trainer"
            trainer_email = "trainer@example.org"

            """
            let text = try String(contentsOf: file, encoding: .utf8)
            try (text + extra).write(to: file, atomically: true, encoding: .utf8)
        }
    }

    /// Participant key pairs; the private halves stay in the demo directory (0600).
    private func makeKeys() throws -> [String: [String: String]] {
        var keys: [String: [String: String]] = [:]
        for s in plan.sessions {
            let folder = labDir.appendingPathComponent("participant-keys/\(s.name)")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            for p in s.people {
                let key = OperatorKey.generate(comment: "\(p.fileStem)@demo")
                let privateFile = folder.appendingPathComponent("\(p.fileStem)_ed25519")
                FileManager.default.createFile(atPath: privateFile.path, contents: Data(key.privateKeyPEM.utf8), attributes: [.posixPermissions: 0o600])
                try (key.publicKeyLine + "\n").write(to: privateFile.appendingPathExtension("pub"), atomically: true, encoding: .utf8)
                keys[s.name, default: [:]][p.fileStem] = key.publicKeyLine
                if !p.viaWeb {
                    let dir = labDir.appendingPathComponent("participants/\(s.name)")
                    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
                    try (key.publicKeyLine + "\n").write(to: dir.appendingPathComponent("\(p.fileStem).pub"), atomically: true, encoding: .utf8)
                }
            }
        }
        return keys
    }

    private func intake(_ supervisor: DemoSupervisor, keys: [String: [String: String]]) throws {
        let port = try FreePort.find()
        let base = "http://127.0.0.1:\(port)"
        var joinURLs: [String: URL] = [:]
        for s in sessionNames {
            let out = try supervisor.labctl("open-\(s)", ["open", s, "--json", "--public-url", base])
            struct Opened: Decodable { var join_url: String? }
            guard let opened = try? JSONDecoder().decode(Opened.self, from: Data(out.utf8)),
                  let url = opened.join_url.flatMap(URL.init(string:)) else {
                throw DemoError("`labctl open \(s) --json` printed no join_url: \(out.prefix(200))")
            }
            joinURLs[s] = url
        }
        let token = SecretToken.generate().value
        let tokenFile = labDir.appendingPathComponent(".labctl/demo-admin-token")
        FileManager.default.createFile(atPath: tokenFile.path, contents: Data((token + "\n").utf8), attributes: [.posixPermissions: 0o600])
        let serve = try supervisor.background("intake", ["serve", "--host", "127.0.0.1", "--port", String(port)],
                                              extraEnvironment: ["LABCTL_ADMIN_TOKEN": token])
        try recordPID(serve.processIdentifier, "labctl serve")
        supervisor.onCleanup("intake") { [keep] in if !keep { serve.stop() } }
        let deadline = Date().addingTimeInterval(30)
        while !FreePort.canConnect(port: port) {
            guard serve.isRunning, Date() < deadline else {
                throw DemoError("`labctl serve` did not listen on \(base) within 30 s; see \(logs.appendingPathComponent("intake.log").path)")
            }
            usleep(50_000)
        }
        facts.intakeURL = base
        for s in plan.sessions {
            let client = DemoIntakeClient(joinURL: joinURLs[s.name]!)
            for p in s.people where p.viaWeb {
                _ = try client.submit(first: p.firstName, last: p.lastName, email: p.email, publicKey: keys[s.name]![p.fileStem]!)
                facts.viaWeb += 1
            }
            if s.people.contains(where: { !$0.viaWeb }) {
                try supervisor.labctl("import-\(s.name)", ["keys", "import", s.name])
                facts.viaFiles += s.people.filter { !$0.viaWeb }.count
            }
            // A trainer closes intake before deploying: the participant list is final.
            try supervisor.labctl("close-\(s.name)", ["close", s.name])
        }
    }

    /// One loopback sshd per participant master; the inventory maps discrete ids to them.
    private func startMasters(_ supervisor: DemoSupervisor) throws -> [String: URL] {
        try DemoMasters.start(run: self, supervisor: supervisor)
    }

    // MARK: - Helpers

    /// The first participant's text sheet of the first session, for the summary.
    private func firstSheet() -> URL? {
        guard let s = plan.sessions.first else { return nil }
        let dir = labDir.appendingPathComponent("participant-access/\(s.name)")
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? []).filter { $0.hasSuffix(".txt") }.sorted()
        return names.first.map { dir.appendingPathComponent($0) }
    }

    /// For `--keep`: the environment that points labctl and Terraform at this lab and its emulator.
    private func writeEnvironmentFile() {
        let exports = facts.emulatorEnvironment.sorted { $0.key < $1.key }.map { "export \($0.key)='\($0.value)'" }
        let lines = ["# source this file: labctl and Terraform then use the demo's lab and its emulated AWS",
                     "export LABCTL_ROOT='\(labDir.path)'"] + exports
        try? (lines.joined(separator: "\n") + "\n").write(to: labDir.appendingPathComponent("demo-env.sh"), atomically: true, encoding: .utf8)
    }

    /// PIDs of the long-lived processes, for the demo's own test and for `--keep` users.
    private func recordPID(_ pid: Int32, _ what: String) throws {
        let file = labDir.appendingPathComponent(".labctl/demo-pids")
        let line = "\(pid) \(what)\n"
        if let handle = try? FileHandle(forWritingTo: file) {
            handle.seekToEndOfFile(); handle.write(Data(line.utf8)); try? handle.close()
        } else {
            try line.write(to: file, atomically: true, encoding: .utf8)
        }
    }

    /// Managed resources and EC2 instances in a session's local state (labctl status reads it the same way).
    static func stateSummary(_ state: URL) -> (resources: Int, instances: Int) {
        let summary = FileManager.default.contents(atPath: state.path).flatMap { try? StateSummary.parse($0) } ?? .empty
        return (summary.resourceCount, summary.instances.count)
    }

    static func sessionEnd() -> String {
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.timeZone = TimeZone(identifier: "UTC")
        f.dateFormat = "yyyy-MM-dd' 17:00 UTC'"
        return f.string(from: Date().addingTimeInterval(86_400))
    }
}

public struct DemoError: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}
